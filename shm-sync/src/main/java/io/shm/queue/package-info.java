/**
 * Queues between processes: {@link io.shm.queue.ShmQueue} (Python's {@code Queue}) and
 * {@link io.shm.queue.ShmJoinableQueue} (Python's {@code JoinableQueue}), with items encoded by a
 * {@link io.shm.codec.Codec}.
 */
package io.shm.queue;
