/**
 * Waiting on words of shared memory: {@link io.shm.wait.WaitStrategy} (spin, then yield, then
 * park, in bounded slices) over Linux futexes or a portable back-off.
 */
package io.shm.wait;
