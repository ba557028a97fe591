package io.shm.sync;

import io.shm.segment.Segment;
import io.shm.segment.SharedObject;
import io.shm.wait.Deadline;
import io.shm.wait.WaitStrategy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

/**
 * A mutual-exclusion lock shared by processes: Python's {@code multiprocessing.Lock}, as a
 * {@link Lock}, robust to the death of its holder.
 * <pre>{@code
 * ShmLock lock = ShmLock.openOrCreate(segment, "counter.lock");
 * lock.lock();
 * try
 * {
 *     if (lock.ownerDied())          // the previous holder died inside its critical section
 *     {
 *         repair(counter);
 *         lock.markConsistent();
 *     }
 *     counter.setPlain(counter.getPlain() + 1);
 * }
 * finally
 * {
 *     lock.unlock();
 * }
 * }</pre>
 * <b>Ownership.</b> The lock is held by one thread of one process; {@link #unlock()} by any other
 * thread, in this process or another, throws {@link IllegalMonitorStateException}. It is not
 * reentrant: locking it again from the holding thread throws {@link IllegalMonitorStateException}
 * (use {@link ShmReentrantLock}).
 * <p>
 * <b>Memory consistency effects across processes:</b> everything a process wrote before
 * {@code unlock()} is visible to the process that next acquires the lock, as with
 * {@link java.util.concurrent.locks.ReentrantLock} within one JVM.
 * <p>
 * <b>Failure model.</b> If the holder's process dies, one waiter (or the next caller) takes the lock
 * within one wait slice of noticing ({@link WaitStrategy#sliceNanos()}) and {@link #ownerDied()}
 * tells it so; it repairs the protected state and calls {@link #markConsistent()}. Unlocking
 * without that makes the lock not recoverable: every later acquire throws
 * {@link io.shm.exceptions.LockNotRecoverableException}. Death is proven by pid and start time
 * only; a stopped or slow holder keeps the lock, and timeouts fail only the waiter that set them.
 * Waiting spins, yields, then sleeps on a futex (see {@link WaitStrategy}); uncontended
 * {@code lock}/{@code unlock} make no system call.
 */
public final class ShmLock extends AbstractShmLock
{
    private ShmLock(final SharedObject object, final WaitStrategy strategy)
    {
        super(new RobustMutex(object, strategy));
    }

    private ShmLock(final RobustMutex mutex)
    {
        super(mutex);
    }

    /**
     * A lock that lives inside another object, as a {@code pthread_mutex_t} lives inside a shared
     * struct: its {@link LockDescriptor#LENGTH} bytes start at {@code offset} of that object's
     * buffer, and every process must give the same offset. An object with many locks (one per
     * stripe of a map) uses this rather than one named lock object each. All zeros is a free lock.
     *
     * @param object   the object whose memory holds the lock.
     * @param offset   where the lock starts in {@code object.buffer()}; a multiple of 64, past the header.
     * @param strategy how this process waits for it.
     * @return the lock.
     * @throws IllegalArgumentException if the lock would not lie, aligned, within the object's data.
     */
    public static ShmLock embedded(final SharedObject object, final int offset, final WaitStrategy strategy)
    {
        if (offset < SharedObject.DATA_OFFSET || offset % LockDescriptor.LENGTH != 0 ||
            offset + (long)LockDescriptor.LENGTH > object.buffer().capacity())
        {
            throw new IllegalArgumentException("a lock embedded in " + object.describe() + " must start at a multiple " +
                "of " + LockDescriptor.LENGTH + " from " + SharedObject.DATA_OFFSET + " and end within its " +
                object.buffer().capacity() + " bytes: offset " + offset);
        }
        return new ShmLock(new RobustMutex(object, offset, strategy));
    }

    /**
     * Opens the lock, or creates it free, with the default waiting strategy.
     *
     * @param segment the segment.
     * @param name    the lock's name in it.
     * @return the lock.
     */
    public static ShmLock openOrCreate(final Segment segment, final String name)
    {
        return openOrCreate(segment, name, WaitStrategy.defaultStrategy());
    }

    /**
     * Opens the lock, or creates it free.
     *
     * @param segment  the segment.
     * @param name     the lock's name in it.
     * @param strategy how this process waits for it.
     * @return the lock.
     */
    public static ShmLock openOrCreate(final Segment segment, final String name, final WaitStrategy strategy)
    {
        return new ShmLock(segment.object(name, SyncTypes.LOCK, 1, object -> {}), strategy);
    }

    /**
     * Opens an existing lock.
     *
     * @param segment the segment.
     * @param name    the lock's name.
     * @return the lock.
     */
    public static ShmLock open(final Segment segment, final String name)
    {
        return open(segment, name, WaitStrategy.defaultStrategy());
    }

    /**
     * Opens an existing lock.
     *
     * @throws io.shm.exceptions.UnknownObjectException if there is none of that name.
     */
    public static ShmLock open(final Segment segment, final String name, final WaitStrategy strategy)
    {
        return new ShmLock(segment.openObject(name, SyncTypes.LOCK), strategy);
    }

    /**
     * Creates the lock, free, waiting with the default strategy.
     *
     * @throws io.shm.exceptions.ObjectExistsException if the segment has an object of that name.
     */
    public static ShmLock create(final Segment segment, final String name)
    {
        return create(segment, name, WaitStrategy.defaultStrategy());
    }

    /**
     * Creates the lock, free.
     *
     * @throws io.shm.exceptions.ObjectExistsException if the segment has an object of that name.
     */
    public static ShmLock create(final Segment segment, final String name, final WaitStrategy strategy)
    {
        return new ShmLock(segment.createObject(name, SyncTypes.LOCK, 1, object -> { }), strategy);
    }

    /**
     * Acquires the lock, waiting as long as it takes; an interrupt is remembered, not thrown.
     *
     * @throws io.shm.exceptions.LockNotRecoverableException if the lock is not recoverable.
     */
    @Override
    public void lock()
    {
        try
        {
            mutex.acquire(-1, false);
        }
        catch (final InterruptedException ex)
        {
            throw new AssertionError("an uninterruptible wait was interrupted", ex);
        }
    }

    @Override
    public void lockInterruptibly() throws InterruptedException
    {
        mutex.acquire(-1, true);
    }

    @Override
    public boolean tryLock()
    {
        return mutex.tryAcquire();
    }

    /**
     * {@inheritDoc} A zero or negative time does not wait, as in {@link java.util.concurrent.locks.ReentrantLock}.
     */
    @Override
    public boolean tryLock(final long time, final TimeUnit unit) throws InterruptedException
    {
        return mutex.acquire(Deadline.nanos(time, unit), true);
    }

    @Override
    public void unlock()
    {
        mutex.release();
    }

    @Override
    int releaseAll()
    {
        mutex.release();
        return 1;
    }

    @Override
    void reacquire(final int holds)
    {
        if (holds != 1)
        {
            throw new IllegalArgumentException("a non-reentrant lock is held once, not " + holds + " times");
        }
        lock();
    }

}
