package io.shm.sync;

import io.shm.segment.Segment;
import io.shm.segment.SharedObject;
import io.shm.wait.Deadline;
import io.shm.wait.WaitStrategy;

import java.util.concurrent.TimeUnit;

/**
 * A reentrant lock shared by processes: Python's {@code multiprocessing.RLock}, shaped like
 * {@link java.util.concurrent.locks.ReentrantLock}. The owner is one thread of one process; it
 * may lock again, and must unlock as many times. Robust to the death of its holder exactly as
 * {@link ShmLock} is: the next owner is told through {@link #ownerDied()} and starts with a hold
 * count of 1.
 * <pre>{@code
 * ShmReentrantLock lock = ShmReentrantLock.openOrCreate(segment, "box");
 * lock.lock();
 * try
 * {
 *     addAll(box);           // which itself locks and unlocks the same lock
 * }
 * finally
 * {
 *     lock.unlock();
 * }
 * }</pre>
 * <b>Memory consistency effects across processes</b> are those of {@link ShmLock}.
 */
public final class ShmReentrantLock extends AbstractShmLock
{
    private ShmReentrantLock(final SharedObject object, final WaitStrategy strategy)
    {
        super(new RobustMutex(object, strategy));
    }

    /**
     * Opens the lock, or creates it free, with the default waiting strategy.
     *
     * @param segment the segment.
     * @param name    the lock's name in it.
     * @return the lock.
     */
    public static ShmReentrantLock openOrCreate(final Segment segment, final String name)
    {
        return openOrCreate(segment, name, WaitStrategy.defaultStrategy());
    }

    /**
     * Creates the reentrantlock, waiting with the default strategy.
     *
     * @throws io.shm.exceptions.ObjectExistsException if the segment has an object of that name.
     */
    public static ShmReentrantLock create(final Segment segment, final String name)
    {
        return create(segment, name, WaitStrategy.defaultStrategy());
    }

    /**
     * Creates the reentrantlock.
     *
     * @throws io.shm.exceptions.ObjectExistsException if the segment has an object of that name.
     */
    public static ShmReentrantLock create(final Segment segment, final String name, final WaitStrategy strategy)
    {
        return new ShmReentrantLock(segment.createObject(name, SyncTypes.REENTRANT_LOCK, 1, object -> { }), strategy);
    }

    /**
     * Opens an existing reentrantlock, waiting with the default strategy.
     *
     * @throws io.shm.exceptions.UnknownObjectException if there is none of that name.
     */
    public static ShmReentrantLock open(final Segment segment, final String name)
    {
        return open(segment, name, WaitStrategy.defaultStrategy());
    }

    /**
     * Opens an existing reentrantlock.
     *
     * @throws io.shm.exceptions.UnknownObjectException if there is none of that name.
     */
    public static ShmReentrantLock open(final Segment segment, final String name, final WaitStrategy strategy)
    {
        return new ShmReentrantLock(segment.openObject(name, SyncTypes.REENTRANT_LOCK), strategy);
    }

    /**
     * Opens the lock, or creates it free.
     *
     * @param segment  the segment.
     * @param name     the lock's name in it.
     * @param strategy how this process waits for it.
     * @return the lock.
     */
    public static ShmReentrantLock openOrCreate(final Segment segment, final String name, final WaitStrategy strategy)
    {
        return new ShmReentrantLock(segment.object(name, SyncTypes.REENTRANT_LOCK, 1, object -> {}), strategy);
    }

    @Override
    public void lock()
    {
        if (reenter())
        {
            return;
        }
        try
        {
            mutex.acquire(-1, false);
        }
        catch (final InterruptedException ex)
        {
            throw new AssertionError("an uninterruptible wait was interrupted", ex);
        }
        mutex.holdCount(1);
    }

    @Override
    public void lockInterruptibly() throws InterruptedException
    {
        if (Thread.interrupted())
        {
            throw new InterruptedException();
        }
        if (!reenter())
        {
            mutex.acquire(-1, true);
            mutex.holdCount(1);
        }
    }

    @Override
    public boolean tryLock()
    {
        if (reenter())
        {
            return true;
        }
        if (mutex.tryAcquire())
        {
            mutex.holdCount(1);
            return true;
        }
        return false;
    }

    /**
     * {@inheritDoc} A zero or negative time does not wait, as in {@link java.util.concurrent.locks.ReentrantLock}.
     */
    @Override
    public boolean tryLock(final long time, final TimeUnit unit) throws InterruptedException
    {
        if (Thread.interrupted())
        {
            throw new InterruptedException();
        }
        if (reenter())
        {
            return true;
        }
        if (mutex.acquire(Deadline.nanos(time, unit), true))
        {
            mutex.holdCount(1);
            return true;
        }
        return false;
    }

    /**
     * Drops one hold; the last one releases the lock.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock.
     */
    @Override
    public void unlock()
    {
        mutex.checkOwner();
        final int holds = mutex.holdCount();
        if (holds > 1)
        {
            mutex.holdCount(holds - 1);
        }
        else
        {
            mutex.holdCount(0);
            mutex.release();
        }
    }

    /**
     * @return the number of holds of the calling thread, 0 if it does not hold the lock.
     */
    public int getHoldCount()
    {
        return mutex.isHeldByCurrentThread() ? mutex.holdCount() : 0;
    }

    @Override
    int releaseAll()
    {
        mutex.checkOwner();
        final int holds = mutex.holdCount();
        mutex.holdCount(0);
        mutex.release();
        return holds;
    }

    @Override
    void reacquire(final int holds)
    {
        lock();
        mutex.holdCount(holds);
    }

    private boolean reenter()
    {
        if (mutex.isHeldByCurrentThread())
        {
            mutex.holdCount(mutex.holdCount() + 1);
            return true;
        }
        return false;
    }

}
