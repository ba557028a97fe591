package io.shm.wait;

/**
 * Something a thread receives from and may wait on among others ({@link WaitMany}): a channel's
 * receiver, a pipe's connection, a broadcast receiver, a queue.
 */
public interface Waitable
{
    /**
     * @return whether a receive would return or fail at once: a message is there, or the stream
     *         has ended. A cheap look, made on every pass of a wait: a sender's death is found by
     *         the wait's check once a slice, and {@link WaitMany} then returns the source as ready.
     */
    boolean isReady();

    /**
     * @return the waiter this source's own receive sleeps with: a wait on many sources announces
     *         itself and sleeps through each one's.
     */
    Waiter waiter();
}
