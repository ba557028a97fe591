package io.shm.sync.value;

import io.shm.segment.Segment;
import io.shm.sync.ShmReentrantLock;
import io.shm.value.IntValue;

import java.util.function.IntUnaryOperator;

/**
 * A {@code int} in shared memory whose every operation takes a cross-process lock: Python's
 * {@code Value('i', x)} with its default {@code lock=True}. Plain reads and writes under the lock
 * are made visible to the next holder by the lock itself.
 * <pre>{@code
 * LockedIntValue total = LockedIntValue.openOrCreate(segment, "total", 0);
 * total.updateAndGet(x -> x + 1);
 * }</pre>
 */
public final class LockedIntValue
{
    private final Locked<IntValue> locked;
    private final IntValue value;
    private final ShmReentrantLock lock;

    private LockedIntValue(final Locked<IntValue> locked)
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
    public static LockedIntValue openOrCreate(final Segment segment, final String name, final int initial)
    {
        return new LockedIntValue(Locked.of(segment, IntValue.openOrCreate(segment, name, initial)));
    }

    public ShmReentrantLock getLock()
    {
        return lock;
    }

    /**
     * @return the value and its lock, for compound updates.
     */
    public Locked<IntValue> locked()
    {
        return locked;
    }

    public int get()
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

    public void set(final int newValue)
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
    public int updateAndGet(final IntUnaryOperator function)
    {
        lock.lock();
        try
        {
            final int next = function.applyAsInt(value.getPlain());
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
