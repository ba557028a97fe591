package io.shm.sync;

import io.shm.exceptions.ParameterMismatchException;
import io.shm.segment.ObjectType;
import io.shm.segment.Segment;
import io.shm.segment.Shared;
import io.shm.segment.SharedObject;
import io.shm.wait.Deadline;
import io.shm.wait.WaitStrategy;
import io.shm.wait.Waiter;
import org.agrona.concurrent.AtomicBuffer;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static io.shm.sync.SemaphoreDescriptor.*;

/**
 * A counting semaphore shared by processes: Python's {@code multiprocessing.Semaphore}, shaped like
 * {@link java.util.concurrent.Semaphore}. {@link ShmBoundedSemaphore} refuses to be released above
 * its initial count.
 * <pre>{@code
 * ShmSemaphore items = ShmSemaphore.openOrCreate(segment, "items", 0);
 * // producer process                   // consumer process
 * slot.set(produce());                  items.acquire();
 * items.release();                      consume(slot.get());
 * }</pre>
 * <b>Protocol.</b> The permit count is the futex word. {@code acquire} takes permits by CAS;
 * failing that it spins and yields, then announces itself in the waiter count, re-checks, and
 * sleeps while the count still reads what it saw. {@code release} adds permits and wakes sleepers
 * only if the waiter count is non-zero: uncontended acquire and release make no system call. Not
 * fair: a newcomer may take a permit before a woken waiter.
 * <p>
 * <b>Memory consistency effects across processes:</b> what a process did before {@code release}
 * is visible to the process whose {@code acquire} takes that permit.
 * <p>
 * <b>Failure model.</b> Permits are not owned, so a process that dies holding permits does not
 * give them back (as in Python and Java). A waiter that dies leaves the waiter count too high,
 * which costs later releases a wasted wake; {@code release} never waits for anyone.
 */
public class ShmSemaphore implements Shared
{
    final SharedObject object;
    final AtomicBuffer buffer;
    final int permits;
    private final WaitStrategy strategy;
    private final int waiters;

    ShmSemaphore(final SharedObject object, final WaitStrategy strategy)
    {
        this.object = object;
        this.buffer = object.buffer();
        this.strategy = strategy;
        this.permits = SharedObject.DATA_OFFSET + PERMITS_OFFSET;
        this.waiters = SharedObject.DATA_OFFSET + WAITERS_OFFSET;
    }

    /**
     * Opens the semaphore, or creates it with {@code initialPermits}, waiting with the default strategy.
     *
     * @param segment        the segment.
     * @param name           the semaphore's name.
     * @param initialPermits the permits of a new semaphore, 0 or more.
     * @return the semaphore.
     * @throws ParameterMismatchException if it exists, created with other permits.
     */
    public static ShmSemaphore openOrCreate(final Segment segment, final String name, final int initialPermits)
    {
        return openOrCreate(segment, name, initialPermits, WaitStrategy.defaultStrategy());
    }

    /**
     * Opens the semaphore, or creates it with {@code initialPermits}.
     *
     * @param strategy how this process waits.
     * @see #openOrCreate(Segment, String, int)
     */
    public static ShmSemaphore openOrCreate(
        final Segment segment, final String name, final int initialPermits, final WaitStrategy strategy)
    {
        return new ShmSemaphore(semaphoreObject(segment, name, SyncTypes.SEMAPHORE, false, initialPermits, UNBOUNDED),
            strategy);
    }

    /**
     * Creates the semaphore with {@code initialPermits}.
     *
     * @throws io.shm.exceptions.ObjectExistsException if the segment has an object of that name.
     */
    public static ShmSemaphore create(
        final Segment segment, final String name, final int initialPermits, final WaitStrategy strategy)
    {
        return new ShmSemaphore(semaphoreObject(segment, name, SyncTypes.SEMAPHORE, true, initialPermits, UNBOUNDED),
            strategy);
    }

    /**
     * Creates the semaphore with {@code initialPermits}, waiting with the default strategy.
     *
     * @throws io.shm.exceptions.ObjectExistsException if the segment has an object of that name.
     */
    public static ShmSemaphore create(final Segment segment, final String name, final int initialPermits)
    {
        return create(segment, name, initialPermits, WaitStrategy.defaultStrategy());
    }

    /**
     * Opens an existing semaphore, waiting with the default strategy.
     *
     * @throws io.shm.exceptions.UnknownObjectException if there is none of that name.
     */
    public static ShmSemaphore open(final Segment segment, final String name)
    {
        return open(segment, name, WaitStrategy.defaultStrategy());
    }

    /**
     * Opens an existing semaphore.
     *
     * @throws io.shm.exceptions.UnknownObjectException if there is none of that name.
     */
    public static ShmSemaphore open(final Segment segment, final String name, final WaitStrategy strategy)
    {
        return new ShmSemaphore(segment.openObject(name, SyncTypes.SEMAPHORE), strategy);
    }

    static SharedObject semaphoreObject(final Segment segment, final String name, final ObjectType type,
        final boolean create, final int initialPermits, final int bound)
    {
        if (initialPermits < 0)
        {
            throw new IllegalArgumentException(type.name() + " '" + name + "' cannot start with " + initialPermits + " permits");
        }
        final Consumer<SharedObject> initializer = object ->
        {
            object.buffer().putInt(SharedObject.DATA_OFFSET + PERMITS_OFFSET, initialPermits);
            object.buffer().putInt(SharedObject.DATA_OFFSET + BOUND_OFFSET, bound);
            object.buffer().putInt(SharedObject.DATA_OFFSET + INITIAL_PERMITS_OFFSET, initialPermits);
        };
        final SharedObject object = create ? segment.createObject(name, type, 1, initializer) :
            segment.object(name, type, 1, initializer);
        ParameterMismatchException.check(object.describe(), "initial permits",
            object.buffer().getInt(SharedObject.DATA_OFFSET + INITIAL_PERMITS_OFFSET), initialPermits);
        return object;
    }

    @Override
    public SharedObject object()
    {
        return object;
    }

    /**
     * Acquires a permit, for a try-with-resources statement that releases it:
     * {@code try (Held held = semaphore.hold())} (Python's {@code with semaphore:}).
     *
     * @return the hold; closing it releases the permit.
     * @throws InterruptedException if interrupted while waiting; nothing is then acquired.
     */
    public Held hold() throws InterruptedException
    {
        return hold(1);
    }

    /**
     * Acquires {@code count} permits, for a try-with-resources statement that releases them.
     *
     * @return the hold; closing it releases the permits.
     * @throws InterruptedException if interrupted while waiting; nothing is then acquired.
     */
    public Held hold(final int count) throws InterruptedException
    {
        acquire(count);
        return new Held(() -> release(count));
    }

    public void acquire() throws InterruptedException
    {
        acquire(1, -1, true);
    }

    public void acquire(final int count) throws InterruptedException
    {
        acquire(checkCount(count), -1, true);
    }

    public void acquireUninterruptibly()
    {
        acquireUninterruptibly(1);
    }

    public void acquireUninterruptibly(final int count)
    {
        try
        {
            acquire(checkCount(count), -1, false);
        }
        catch (final InterruptedException ex)
        {
            throw new AssertionError("an uninterruptible wait was interrupted", ex);
        }
    }

    public boolean tryAcquire()
    {
        return tryAcquire(1);
    }

    public boolean tryAcquire(final int count)
    {
        object.checkOpen();
        return take(checkCount(count));
    }

    /**
     * Waits at most {@code time} for a permit; a zero or negative time does not wait.
     *
     * @param time the longest wait.
     * @param unit its unit.
     * @return whether a permit was taken.
     * @throws InterruptedException if interrupted while waiting; no permit is taken.
     */
    public boolean tryAcquire(final long time, final TimeUnit unit) throws InterruptedException
    {
        return acquire(1, Deadline.nanos(time, unit), true);
    }

    public boolean tryAcquire(final int count, final long time, final TimeUnit unit) throws InterruptedException
    {
        return acquire(checkCount(count), Deadline.nanos(time, unit), true);
    }

    public void release()
    {
        release(1);
    }

    /**
     * Adds permits and wakes waiters if any announced themselves; never waits.
     *
     * @param count the permits to add, at least 1.
     */
    public void release(final int count)
    {
        object.checkOpen();
        add(checkCount(count));
        if (buffer.getIntVolatile(waiters) > 0)
        {
            strategy.wake(buffer, permits, count);
        }
    }

    void add(final int count)
    {
        // One atomic add, not read-then-CAS: a handoff moves the cache line once instead of twice.
        final int before = buffer.getAndAddInt(permits, count);
        if (before > Integer.MAX_VALUE - count)
        {
            buffer.getAndAddInt(permits, -count);
            throw new IllegalStateException(object.describe() + " would exceed " + Integer.MAX_VALUE + " permits");
        }
    }

    public int availablePermits()
    {
        object.checkOpen();
        return buffer.getIntVolatile(permits);
    }

    /**
     * @return the number of permits taken, all that were available.
     */
    public int drainPermits()
    {
        object.checkOpen();
        return buffer.getAndSetInt(permits, 0);
    }

    /**
     * @return the number of waiters announced, including any that died while waiting.
     */
    public int waiters()
    {
        object.checkOpen();
        return buffer.getIntVolatile(waiters);
    }

    public String name()
    {
        return object.name();
    }

    private boolean take(final int count)
    {
        while (true)
        {
            final int current = buffer.getIntVolatile(permits);
            if (current < count)
            {
                return false;
            }
            if (buffer.compareAndSetInt(permits, current, current - count))
            {
                return true;
            }
        }
    }

    private boolean acquire(final int count, final long timeoutNanos, final boolean interruptible) throws InterruptedException
    {
        object.checkOpen();
        // As java.util.concurrent: an interruptible acquire fails on an interrupt set on entry.
        if (interruptible && Thread.interrupted())
        {
            throw new InterruptedException();
        }
        if (take(count))
        {
            return true;
        }
        if (timeoutNanos == 0)
        {
            return false;
        }
        return new Wait(count).await(Deadline.after(timeoutNanos), interruptible);
    }

    /**
     * Waits for {@code count} permits; sleeps on the permit count, announced in the waiter count.
     */
    private final class Wait extends Waiter
    {
        private final int count;

        Wait(final int count)
        {
            super(object, strategy, buffer, permits, false, waiters);
            this.count = count;
        }

        @Override
        protected boolean tryAcquire()
        {
            return take(count);
        }

        @Override
        protected int sleepValue()
        {
            return buffer.getIntVolatile(permits);
        }
    }

    private int checkCount(final int count)
    {
        if (count < 0)
        {
            throw new IllegalArgumentException("permit count must not be negative: " + count);
        }
        return count;
    }

    @Override
    public String toString()
    {
        return object.describe() + " with " + availablePermits() + " permits";
    }
}
