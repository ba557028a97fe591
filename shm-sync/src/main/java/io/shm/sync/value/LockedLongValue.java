package io.shm.sync.value;

import io.shm.segment.Segment;
import io.shm.sync.ShmReentrantLock;
import io.shm.value.LongValue;

import java.util.function.LongUnaryOperator;

/**
 * A {@code long} in shared memory whose every operation takes a cross-process lock: Python's
 * {@code Value('q', x)} with its default {@code lock=True}. Plain reads and writes under the lock
 * are made visible to the next holder by the lock itself.
 * <pre>{@code
 * LockedLongValue total = LockedLongValue.openOrCreate(segment, "total", 0);
 * total.updateAndGet(x -> x + 1);
 * }</pre>
 */
public final class LockedLongValue
{
    private final Locked<LongValue> locked;
    private final LongValue value;
    private final ShmReentrantLock lock;

    private LockedLongValue(final Locked<LongValue> locked)
    {
        this.locked = locked;
        this.value = locked.raw();
        this.lock = locked.getLock();
    }

    /**
     * Opens the value and its lock ({@code <name>.lock}), or creates them.
     *
     * @param segment the segment.
     * @param name    the value's name.
     * @param initial the value a new object starts with.
     * @return the locked value.
     */
    public static LockedLongValue openOrCreate(final Segment segment, final String name, final long initial)
    {
        return new LockedLongValue(Locked.of(segment, LongValue.openOrCreate(segment, name, initial)));
    }

    public ShmReentrantLock getLock()
    {
        return lock;
    }

    /**
     * @return the value and its lock, for compound updates.
     */
    public Locked<LongValue> locked()
    {
        return locked;
    }

    public long get()
    {
        lock.lock();
        try
        {
            return value.getPlain();
        }
        finally
        {
            lock.unlock();
        }
    }

    public void set(final long newValue)
    {
        lock.lock();
        try
        {
            value.setPlain(newValue);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Replaces the value with {@code function} of it, under the lock; the function may have side effects.
     *
     * @param function the update.
     * @return the new value.
     */
    public long updateAndGet(final LongUnaryOperator function)
    {
        lock.lock();
        try
        {
            final long next = function.applyAsLong(value.getPlain());
            value.setPlain(next);
            return next;
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public String toString()
    {
        return String.valueOf(get());
    }
}
