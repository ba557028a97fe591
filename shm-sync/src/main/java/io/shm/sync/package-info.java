/**
 * Cross-process synchronizers over shared memory: {@link io.shm.sync.ShmLock},
 * {@link io.shm.sync.ShmReentrantLock}, {@link io.shm.sync.ShmSemaphore},
 * {@link io.shm.sync.ShmBoundedSemaphore}, {@link io.shm.sync.ShmEvent},
 * {@link io.shm.sync.ShmCondition} and {@link io.shm.sync.ShmBarrier}, each a named object of a
 * segment.
 * <p>
 * Conventions: every wait spins, yields, then sleeps (see {@link io.shm.wait.WaitStrategy}); every
 * wait has a timed and an interruptible form, and a timeout or an interrupt changes nothing in
 * shared memory but the waiter's own announcement; zero or negative timeouts do not wait, as in
 * {@code java.util.concurrent}. Notifiers ({@code unlock}, {@code release}, {@code set},
 * {@code signal}, the last {@code await} of a barrier) change a word and wake sleepers if any
 * announced themselves; they never wait. The death of a process is proven only by its pid and
 * start time.
 */
package io.shm.sync;
