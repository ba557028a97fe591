package io.shm.sync;

import io.shm.segment.SharedObject;

/**
 * What a {@link ShmCondition} needs of its lock: to give it up entirely while waiting and to take
 * it back afterwards, with the same hold count.
 */
interface OwnedLock
{
    /**
     * @return the lock's object, for messages and for naming its conditions.
     */
    SharedObject object();

    /**
     * @return whether the calling thread holds the lock.
     */
    boolean isHeldByCurrentThread();

    /**
     * Releases every hold of the calling thread.
     *
     * @return the number of holds released.
     */
    int releaseAll();

    /**
     * Takes the lock back with {@code holds} holds, waiting as long as it takes; an interrupt is
     * remembered, not thrown.
     *
     * @param holds the number released by {@link #releaseAll()}.
     */
    void reacquire(int holds);
}
