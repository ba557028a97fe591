package io.shm.sync;

import io.shm.segment.Segment;
import io.shm.segment.Shared;
import io.shm.segment.SharedObject;
import io.shm.wait.ChangeWaiter;
import io.shm.wait.Deadline;
import io.shm.wait.WaitStrategy;
import io.shm.wait.Waiter;
import org.agrona.concurrent.AtomicBuffer;

import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.function.BooleanSupplier;

import static io.shm.sync.ConditionDescriptor.SEQUENCE_OFFSET;
import static io.shm.sync.ConditionDescriptor.WAITERS_OFFSET;

/**
 * A condition variable shared by processes, bound to a {@link ShmLock} or {@link ShmReentrantLock}:
 * Python's {@code multiprocessing.Condition}, as a {@link Condition}.
 * <pre>{@code
 * ShmLock lock = ShmLock.openOrCreate(segment, "buffer.lock");
 * ShmCondition notEmpty = ShmCondition.openOrCreate(segment, "buffer.notEmpty", lock);
 * lock.lock();
 * try
 * {
 *     while (count.get() == 0)
 *     {
 *         notEmpty.await();
 *     }
 *     ...
 * }
 * finally
 * {
 *     lock.unlock();
 * }
 * }</pre>
 * <b>Protocol.</b> A waiter, holding the lock, reads the sequence word and increments the waiter
 * count, releases the lock, waits (spin, yield, park) until the sequence changes, decrements the
 * count and takes the lock back. {@link #signal()} and {@link #signalAll()}, called with the lock
 * held, bump the sequence and wake one or all sleepers, but only when the count says someone
 * waits. Because the waiter reads the sequence while it still holds the lock, a signal cannot
 * fall between its check of the predicate and its sleep.
 * <p>
 * <b>A notifier never waits for a waiter</b>: signalling is one atomic add and at most one system
 * call. Python's {@code notify} waits for the woken thread to acknowledge, so a killed waiter hangs
 * it; here a killed waiter only leaves the count too high, which costs later signals a wasted wake.
 * As the {@link Condition} contract allows, a waiter may wake spuriously (for instance when
 * {@code signal} is called while several wait): always wait in a loop on the predicate.
 * <p>
 * <b>Memory consistency effects</b> are those of the lock, which every waiter holds again on return.
 */
public final class ShmCondition implements Condition, Shared
{
    private final SharedObject object;
    private final AtomicBuffer buffer;
    private final AbstractShmLock lock;
    private final WaitStrategy strategy;
    private final int sequence;
    private final int waiters;

    private ShmCondition(final SharedObject object, final AbstractShmLock lock, final WaitStrategy strategy)
    {
        this.object = object;
        this.buffer = object.buffer();
        this.lock = lock;
        this.strategy = strategy;
        this.sequence = SharedObject.DATA_OFFSET + SEQUENCE_OFFSET;
        this.waiters = SharedObject.DATA_OFFSET + WAITERS_OFFSET;
    }

    /**
     * Opens the named condition of a lock, or creates it.
     *
     * @param segment the segment (the lock's or another).
     * @param name    the condition's name.
     * @param lock    the lock every waiter and signaller holds.
     * @return the condition.
     */
    public static ShmCondition openOrCreate(final Segment segment, final String name, final ShmLock lock)
    {
        return forLock(segment, name, lock);
    }

    /**
     * Opens the named condition of a reentrant lock, or creates it.
     *
     * @param segment the segment.
     * @param name    the condition's name.
     * @param lock    the lock every waiter and signaller holds.
     * @return the condition.
     */
    public static ShmCondition openOrCreate(final Segment segment, final String name, final ShmReentrantLock lock)
    {
        return forLock(segment, name, lock);
    }

    /**
     * Opens the named condition of a lock, or creates it, waiting with {@code strategy} instead
     * of its lock's.
     */
    public static ShmCondition openOrCreate(
        final Segment segment, final String name, final ShmLock lock, final WaitStrategy strategy)
    {
        return new ShmCondition(segment.object(name, SyncTypes.CONDITION, 1, object -> { }), lock, strategy);
    }

    /**
     * Opens the named condition of a reentrant lock, or creates it, waiting with {@code strategy}
     * instead of its lock's.
     */
    public static ShmCondition openOrCreate(
        final Segment segment, final String name, final ShmReentrantLock lock, final WaitStrategy strategy)
    {
        return new ShmCondition(segment.object(name, SyncTypes.CONDITION, 1, object -> { }), lock, strategy);
    }

    /**
     * Creates the named condition of a lock.
     *
     * @throws io.shm.exceptions.ObjectExistsException if the segment has an object of that name.
     */
    public static ShmCondition create(final Segment segment, final String name, final ShmLock lock)
    {
        return new ShmCondition(segment.createObject(name, SyncTypes.CONDITION, 1, object -> { }), lock,
            lock.mutex.strategy());
    }

    /**
     * Creates the named condition of a reentrant lock.
     *
     * @throws io.shm.exceptions.ObjectExistsException if the segment has an object of that name.
     */
    public static ShmCondition create(final Segment segment, final String name, final ShmReentrantLock lock)
    {
        return new ShmCondition(segment.createObject(name, SyncTypes.CONDITION, 1, object -> { }), lock,
            lock.mutex.strategy());
    }

    /**
     * Opens an existing condition of a lock.
     *
     * @throws io.shm.exceptions.UnknownObjectException if there is none of that name.
     */
    public static ShmCondition open(final Segment segment, final String name, final ShmLock lock)
    {
        return new ShmCondition(segment.openObject(name, SyncTypes.CONDITION), lock, lock.mutex.strategy());
    }

    /**
     * Opens an existing condition of a reentrant lock.
     *
     * @throws io.shm.exceptions.UnknownObjectException if there is none of that name.
     */
    public static ShmCondition open(final Segment segment, final String name, final ShmReentrantLock lock)
    {
        return new ShmCondition(segment.openObject(name, SyncTypes.CONDITION), lock, lock.mutex.strategy());
    }

    static ShmCondition forLock(final Segment segment, final String name, final AbstractShmLock lock)
    {
        // The condition waits as its lock does: a lock made with the portable strategy gets a portable condition.
        return new ShmCondition(segment.object(name, SyncTypes.CONDITION, 1, object -> { }), lock, lock.mutex.strategy());
    }

    @Override
    public SharedObject object()
    {
        return object;
    }

    @Override
    public void await() throws InterruptedException
    {
        awaitNanos(-1, true);
    }

    @Override
    public void awaitUninterruptibly()
    {
        try
        {
            awaitNanos(-1, false);
        }
        catch (final InterruptedException ex)
        {
            throw new AssertionError("an uninterruptible wait was interrupted", ex);
        }
    }

    /**
     * {@inheritDoc}
     *
     * @return an estimate of the time left, zero or less once the time is up.
     */
    @Override
    public long awaitNanos(final long nanosTimeout) throws InterruptedException
    {
        final long start = System.nanoTime();
        awaitNanos(Math.max(0, nanosTimeout), true);
        return nanosTimeout - (System.nanoTime() - start);
    }

    @Override
    public boolean await(final long time, final TimeUnit unit) throws InterruptedException
    {
        return awaitNanos(Deadline.nanos(time, unit), true);
    }

    @Override
    public boolean awaitUntil(final Date deadline) throws InterruptedException
    {
        return awaitNanos(TimeUnit.MILLISECONDS.toNanos(Math.max(0, deadline.getTime() - System.currentTimeMillis())), true);
    }

    /**
     * Wakes one waiter, if any process waits. The caller must hold the lock; it never waits.
     */
    @Override
    public void signal()
    {
        notifyWaiters(1);
    }

    /**
     * Wakes at most {@code n} sleeping waiters (Python's {@code notify(n)}); waiters still spinning
     * before their sleep see the signal too, as spurious wake-ups that a waiter re-checks for. The
     * caller must hold the lock; it never waits.
     *
     * @param n how many to wake, 0 or more.
     */
    public void signal(final int n)
    {
        if (n < 0)
        {
            throw new IllegalArgumentException("cannot wake " + n + " waiters of " + object.describe());
        }
        if (n > 0)
        {
            notifyWaiters(n);
        }
    }

    /**
     * Waits until {@code predicate} holds, re-checking it after each wake (Python's
     * {@code wait_for(predicate)}). The caller must hold the lock; the predicate is evaluated
     * holding it.
     *
     * @throws InterruptedException if interrupted while waiting.
     */
    public void waitFor(final BooleanSupplier predicate) throws InterruptedException
    {
        while (!predicate.getAsBoolean())
        {
            await();
        }
    }

    /**
     * Waits at most {@code timeout} until {@code predicate} holds (Python's
     * {@code wait_for(predicate, timeout)}).
     *
     * @return the predicate's last value: false if the time ran out first.
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean waitFor(final BooleanSupplier predicate, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        long nanos = unit.toNanos(timeout);
        while (!predicate.getAsBoolean())
        {
            if (nanos <= 0)
            {
                return false;
            }
            nanos = awaitNanos(nanos);
        }
        return true;
    }

    /**
     * Wakes every waiter, in every process. The caller must hold the lock; it never waits.
     */
    @Override
    public void signalAll()
    {
        notifyWaiters(Integer.MAX_VALUE);
    }

    /**
     * @return the condition's object name in its segment.
     */
    public String name()
    {
        return object.name();
    }

    /**
     * @return the number of waiters announced, including any that died while waiting.
     */
    public int waiters()
    {
        object.checkOpen();
        return buffer.getIntVolatile(waiters);
    }

    private void notifyWaiters(final int count)
    {
        checkHeld();
        if (buffer.getIntVolatile(waiters) > 0)
        {
            buffer.getAndAddInt(sequence, 1);
            strategy.wake(buffer, sequence, count);
        }
    }

    /**
     * @param timeoutNanos a negative value for no limit.
     * @return false if the time ran out before a signal.
     */
    private boolean awaitNanos(final long timeoutNanos, final boolean interruptible) throws InterruptedException
    {
        checkHeld();
        if (interruptible && Thread.interrupted())
        {
            throw new InterruptedException();
        }
        final long deadline = Deadline.after(timeoutNanos);
        // Read under the lock: a signal after this point changes the sequence.
        final Wait wait = new Wait(buffer.getIntVolatile(sequence));
        // Registered for the whole wait: the count and the lock are touched after the sleep, so
        // a close of the segment waits for that too before it unmaps.
        object.sleeping(wait);
        boolean signalled = false;
        try
        {
            buffer.getAndAddInt(waiters, 1);
            final int holds = lock.releaseAll();
            try
            {
                signalled = wait.await(deadline, interruptible);
            }
            finally
            {
                buffer.getAndAddInt(waiters, -1);
                lock.reacquire(holds);
            }
        }
        finally
        {
            object.awake(wait);
        }
        if (wait.interrupted && !signalled)
        {
            throw new InterruptedException();
        }
        if (wait.interrupted)
        {
            Thread.currentThread().interrupt();
        }
        return signalled;
    }

    /**
     * With the lock held, waits on this condition while {@code blocked} holds, running
     * {@code look} before each look at it (a repair of what a holder that died left, say).
     *
     * @param timeoutNanos the longest wait, or a negative value for no limit.
     * @return false if the time ran out while still blocked.
     */
    public boolean awaitWhile(final BooleanSupplier blocked, final long timeoutNanos, final Runnable look)
        throws InterruptedException
    {
        long nanos = timeoutNanos;
        look.run();
        while (blocked.getAsBoolean())
        {
            if (nanos == 0)
            {
                return false;
            }
            nanos = nanos < 0 ? awaitForever() : Math.max(0, awaitNanos(nanos));
            look.run();
        }
        return true;
    }

    private long awaitForever() throws InterruptedException
    {
        await();
        return -1;
    }

    /**
     * A waiter for {@code ready} to hold, woken by this condition's signals, for a thread that
     * waits without the lock (a {@link io.shm.wait.WaitMany} on a queue): it announces itself
     * among the condition's waiters and sleeps on its sequence. A signaller must then make its
     * change visible before it signals with a full fence, since such a waiter looks at the state
     * without the lock; and {@link #signalAll()}, so that the wake of one never goes to a waiter
     * that will not take the state.
     *
     * @param ready the state waited for, looked at without the lock.
     */
    public Waiter watcher(final BooleanSupplier ready)
    {
        return new Watch(ready);
    }

    private final class Watch extends Waiter
    {
        private final BooleanSupplier ready;

        Watch(final BooleanSupplier ready)
        {
            super(object, strategy, buffer, sequence, false, waiters);
            this.ready = ready;
        }

        @Override
        protected boolean tryAcquire()
        {
            return ready.getAsBoolean();
        }

        @Override
        protected int sleepValue()
        {
            return buffer.getIntVolatile(sequence);
        }
    }

    /**
     * Waits, with the lock released, for the sequence to move from what it was under the lock.
     * The waiter was announced before the lock was released, so a signal never misses it.
     */
    private final class Wait extends ChangeWaiter
    {
        private boolean interrupted;

        Wait(final int seen)
        {
            super(object, strategy, buffer, sequence, seen, -1);
        }

        @Override
        protected boolean onInterrupt()
        {
            // The lock is taken back before InterruptedException is thrown, as Condition requires.
            interrupted = true;
            return true;
        }
    }

    private void checkHeld()
    {
        object.checkOpen();
        if (!lock.isHeldByCurrentThread())
        {
            throw new IllegalMonitorStateException("the lock " + lock.object().describe() + " of " + object.describe() +
                " is not held by this thread");
        }
    }

    @Override
    public String toString()
    {
        return object.describe() + " of " + lock.object().describe();
    }
}
