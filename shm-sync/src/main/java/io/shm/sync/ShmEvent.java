package io.shm.sync;

import io.shm.segment.Segment;
import io.shm.segment.Shared;
import io.shm.segment.SharedObject;
import io.shm.wait.ChangeWaiter;
import io.shm.wait.Deadline;
import io.shm.wait.WaitStrategy;
import org.agrona.concurrent.AtomicBuffer;

import java.util.concurrent.TimeUnit;

import static io.shm.sync.EventDescriptor.*;

/**
 * A flag processes can wait for: Python's {@code multiprocessing.Event}.
 * <pre>{@code
 * ShmEvent ready = ShmEvent.openOrCreate(segment, "ready");
 * // one process           // others
 * ready.set();             ready.await();     // or ready.await(5, TimeUnit.SECONDS)
 * }</pre>
 * {@link #set()} wakes every waiter, in every process; {@link #clear()} resets the flag. A waiter
 * returns once the flag has been set after it started waiting, even if it was cleared again before
 * the waiter ran (Python's semantics).
 * <p>
 * <b>Protocol.</b> The state word holds the flag and a generation bumped by each set. A waiter
 * spins and yields on it, then announces itself in the waiter count and sleeps while the word
 * still holds what it saw. {@code set} changes the word and wakes sleepers only if the count is
 * non-zero: {@code set} and {@code isSet} never make a system call when nobody sleeps, and
 * {@code set} never waits for anyone.
 * <p>
 * <b>Memory consistency effects across processes:</b> what a process did before {@code set} is
 * visible to a process after its {@code await} returns because of it.
 */
public final class ShmEvent implements Shared
{
    private final SharedObject object;
    private final AtomicBuffer buffer;
    private final WaitStrategy strategy;
    private final int state;
    private final int waiters;

    private ShmEvent(final SharedObject object, final WaitStrategy strategy)
    {
        this.object = object;
        this.buffer = object.buffer();
        this.strategy = strategy;
        this.state = SharedObject.DATA_OFFSET + STATE_OFFSET;
        this.waiters = SharedObject.DATA_OFFSET + WAITERS_OFFSET;
    }

    /**
     * Opens the event, or creates it clear, waiting with the default strategy.
     *
     * @param segment the segment.
     * @param name    the event's name.
     * @return the event.
     */
    public static ShmEvent openOrCreate(final Segment segment, final String name)
    {
        return openOrCreate(segment, name, WaitStrategy.defaultStrategy());
    }

    /**
     * Creates the event, waiting with the default strategy.
     *
     * @throws io.shm.exceptions.ObjectExistsException if the segment has an object of that name.
     */
    public static ShmEvent create(final Segment segment, final String name)
    {
        return create(segment, name, WaitStrategy.defaultStrategy());
    }

    /**
     * Creates the event.
     *
     * @throws io.shm.exceptions.ObjectExistsException if the segment has an object of that name.
     */
    public static ShmEvent create(final Segment segment, final String name, final WaitStrategy strategy)
    {
        return new ShmEvent(segment.createObject(name, SyncTypes.EVENT, 1, object -> { }), strategy);
    }

    /**
     * Opens an existing event, waiting with the default strategy.
     *
     * @throws io.shm.exceptions.UnknownObjectException if there is none of that name.
     */
    public static ShmEvent open(final Segment segment, final String name)
    {
        return open(segment, name, WaitStrategy.defaultStrategy());
    }

    /**
     * Opens an existing event.
     *
     * @throws io.shm.exceptions.UnknownObjectException if there is none of that name.
     */
    public static ShmEvent open(final Segment segment, final String name, final WaitStrategy strategy)
    {
        return new ShmEvent(segment.openObject(name, SyncTypes.EVENT), strategy);
    }

    /**
     * Opens the event, or creates it clear.
     *
     * @param segment  the segment.
     * @param name     the event's name.
     * @param strategy how this process waits.
     * @return the event.
     */
    public static ShmEvent openOrCreate(final Segment segment, final String name, final WaitStrategy strategy)
    {
        return new ShmEvent(segment.object(name, SyncTypes.EVENT, 1, object -> {}), strategy);
    }

    @Override
    public SharedObject object()
    {
        return object;
    }

    public boolean isSet()
    {
        object.checkOpen();
        return (buffer.getIntVolatile(state) & SET) != 0;
    }

    /**
     * Sets the flag and wakes every waiter; does nothing more if it is already set.
     */
    public void set()
    {
        object.checkOpen();
        while (true)
        {
            final int current = buffer.getIntVolatile(state);
            if ((current & SET) != 0)
            {
                return;
            }
            if (buffer.compareAndSetInt(state, current, (current + GENERATION_INCREMENT) | SET))
            {
                break;
            }
        }
        if (buffer.getIntVolatile(waiters) > 0)
        {
            strategy.wake(buffer, state, Integer.MAX_VALUE);
        }
    }

    /**
     * Clears the flag; later waiters wait for the next {@link #set()}.
     */
    public void clear()
    {
        object.checkOpen();
        while (true)
        {
            final int current = buffer.getIntVolatile(state);
            if ((current & SET) == 0 || buffer.compareAndSetInt(state, current, current & ~SET))
            {
                return;
            }
        }
    }

    /**
     * Waits until the flag is set.
     *
     * @throws InterruptedException if interrupted first; the event is unchanged.
     */
    public void await() throws InterruptedException
    {
        await(-1);
    }

    /**
     * Waits at most {@code time} for the flag; a zero or negative time does not wait.
     *
     * @param time the longest wait.
     * @param unit its unit.
     * @return whether the flag was set (Python's {@code wait(timeout)} result).
     * @throws InterruptedException if interrupted first; the event is unchanged.
     */
    public boolean await(final long time, final TimeUnit unit) throws InterruptedException
    {
        return await(Deadline.nanos(time, unit));
    }

    private boolean await(final long timeoutNanos) throws InterruptedException
    {
        object.checkOpen();
        final int start = buffer.getIntVolatile(state);
        if ((start & SET) != 0)
        {
            return true;
        }
        if (Thread.interrupted())
        {
            throw new InterruptedException();
        }
        return new Wait(start).await(Deadline.after(timeoutNanos), true);
    }

    /**
     * Waits for the state word to differ from what it was at entry: set now, or set and cleared
     * since (a new generation either way).
     */
    private final class Wait extends ChangeWaiter
    {
        Wait(final int start)
        {
            super(object, strategy, buffer, state, start, waiters);
        }
    }

    /**
     * @return the number of waiters announced, including any that died while waiting.
     */
    public int waiters()
    {
        object.checkOpen();
        return buffer.getIntVolatile(waiters);
    }

    @Override
    public String toString()
    {
        return object.describe() + (isSet() ? " set" : " clear");
    }
}
