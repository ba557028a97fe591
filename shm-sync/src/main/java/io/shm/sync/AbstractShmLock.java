package io.shm.sync;

import io.shm.segment.SharedObject;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * What {@link ShmLock} and {@link ShmReentrantLock} share: the robust mutex, its queries, and
 * conditions named after the lock. Each subclass says only what locking and unlocking mean.
 */
abstract class AbstractShmLock implements Lock, OwnedLock
{
    final RobustMutex mutex;
    private int conditions;

    AbstractShmLock(final RobustMutex mutex)
    {
        this.mutex = mutex;
    }

    /**
     * A condition of this lock, shared across processes: the n-th condition made from a lock named
     * {@code L} is the object {@code L#condition-n} of the same segment, so processes that make their
     * conditions in the same order share them. Use {@link ShmCondition#openOrCreate} to name one.
     */
    @Override
    public synchronized Condition newCondition()
    {
        return ShmCondition.openOrCreate(mutex.object().segment(), mutex.object().name() + "#condition-" + conditions++, this);
    }

    /**
     * @return whether the holder took the lock from a dead owner and has not yet called {@link #markConsistent()}.
     */
    public boolean ownerDied()
    {
        return mutex.ownerDied();
    }

    /**
     * Declares the protected state repaired after {@link #ownerDied()}.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock.
     */
    public void markConsistent()
    {
        mutex.markConsistent();
    }

    /**
     * @return false once an owner-died lock was unlocked without {@link #markConsistent()}.
     */
    public boolean isRecoverable()
    {
        return mutex.isRecoverable();
    }

    public boolean isLocked()
    {
        return mutex.isLocked();
    }

    /**
     * @return whether a waiter, in any process, has announced that it sleeps on the lock; stays
     * true until the next unlock, even if that waiter has since given up.
     */
    public boolean hasQueuedThreads()
    {
        return mutex.hasSleepers();
    }

    @Override
    public boolean isHeldByCurrentThread()
    {
        return mutex.isHeldByCurrentThread();
    }

    /**
     * @return the pid of the holding process, or 0 if the lock is free.
     */
    public long ownerPid()
    {
        return mutex.ownerPid();
    }

    @Override
    public SharedObject object()
    {
        return mutex.object();
    }

    @Override
    public String toString()
    {
        return mutex.object().describe() + (isLocked() ? " held by process " + ownerPid() : " free");
    }
}
