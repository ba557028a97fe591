/**
 * A pool of worker JVMs ({@link io.shm.pool.ShmPool}): Python's {@code multiprocessing.Pool},
 * where a dead worker fails only the work it held.
 */
package io.shm.pool;
