/**
 * Shared containers: {@link io.shm.collections.ShmMap} (a {@code ConcurrentMap}),
 * {@link io.shm.collections.ShmList} and {@link io.shm.collections.ShmNamespace}, the shared
 * dict, list and namespace of Python's {@code multiprocessing.Manager}, held in the segment itself
 * rather than served by a manager process. Reads take no lock; writes lock one stripe with a robust
 * lock, and a writer killed at any instruction leaves a step record that the next writer finishes
 * or undoes.
 */
package io.shm.collections;
