/**
 * Mapped memory: {@link io.shm.map.MappedRegion} maps file ranges, in several chunks past 1 GiB, and
 * is the only place that maps or unmaps.
 */
package io.shm.map;
