package io.shm.sync;

import io.shm.segment.Companion;
import io.shm.segment.Segment;
import io.shm.segment.Shared;
import io.shm.segment.SharedObject;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * What {@link ShmLock} and {@link ShmReentrantLock} share: the robust mutex, its queries, holds,
 * and conditions named after the lock. Each subclass says only what locking and unlocking mean;
 * code that takes either (a locked value's lock) sees this type.
 */
public abstract sealed class AbstractShmLock implements Lock, Shared permits ShmLock, ShmReentrantLock
{
    final RobustMutex mutex;

    AbstractShmLock(final RobustMutex mutex)
    {
        this.mutex = mutex;
    }

    /**
     * Locks, for a try-with-resources statement that unlocks: {@code try (Held held = lock.hold())}.
     *
     * @return the hold; closing it unlocks.
     */
    public Held hold()
    {
        lock();
        return new Held(this::unlock);
    }

    /**
     * As {@link #hold()}, the wait interruptible.
     *
     * @throws InterruptedException if interrupted while waiting; the lock is then not held.
     */
    public Held holdInterruptibly() throws InterruptedException
    {
        lockInterruptibly();
        return new Held(this::unlock);
    }

    /**
     * Refused: a condition shared across processes needs a name that every process gives it, and
     * conditions numbered in the order a process makes them would pair wrongly between processes
     * that make them in another order. Use {@link #newCondition(String)}.
     *
     * @throws UnsupportedOperationException always, as {@link Lock#newCondition()} allows.
     */
    @Override
    public Condition newCondition()
    {
        throw new UnsupportedOperationException("conditions of " + mutex.object().describe() + " are shared by name " +
            "across processes: use newCondition(String), or ShmCondition.openOrCreate(segment, name, lock)");
    }

    /**
     * A condition of this lock, shared across processes: the object {@code L#name} of the lock's
     * segment, where {@code L} is the lock's name, so every process that asks for {@code name}
     * gets the same condition.
     *
     * @param name the condition's name within the lock (an object name's characters).
     * @return the condition.
     */
    public ShmCondition newCondition(final String name)
    {
        final Segment segment = mutex.object().segment();
        return ShmCondition.forLock(segment, Companion.condition(segment.name(), mutex.object().name(), name), this);
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

    /**
     * Releases every hold of the calling thread, for a condition wait.
     *
     * @return the number of holds released.
     */
    abstract int releaseAll();

    /**
     * Takes the lock back with {@code holds} holds after a condition wait, waiting as long as it
     * takes; an interrupt is remembered, not thrown.
     *
     * @param holds the number {@link #releaseAll()} returned.
     */
    abstract void reacquire(int holds);

    @Override
    public String toString()
    {
        return mutex.object().describe() + (isLocked() ? " held by process " + ownerPid() : " free");
    }
}
