/**
 * Segments: mapped files holding many named objects, created and opened atomically across
 * processes. Layouts are described by {@link io.shm.segment.SegmentDescriptor},
 * {@link io.shm.segment.DirectoryEntryDescriptor} and {@link io.shm.segment.ObjectHeaderDescriptor}.
 */
package io.shm.segment;
