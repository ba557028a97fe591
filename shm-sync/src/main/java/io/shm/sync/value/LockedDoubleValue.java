package io.shm.sync.value;

import io.shm.segment.Segment;
import io.shm.sync.ShmReentrantLock;
import io.shm.value.DoubleValue;

import java.util.function.DoubleUnaryOperator;

/**
 * A {@code double} in shared memory whose every operation takes a cross-process lock: Python's
 * {@code Value('d', x)} with its default {@code lock=True}. Plain reads and writes under the lock
 * are made visible to the next holder by the lock itself.
 * <pre>{@code
 * LockedDoubleValue total = LockedDoubleValue.openOrCreate(segment, "total", 0);
 * total.updateAndGet(x -> x + 1);
 * }</pre>
 */
public final class LockedDoubleValue
{
    private final Locked<DoubleValue> locked;
    private final DoubleValue value;
    private final ShmReentrantLock lock;

    private LockedDoubleValue(final Locked<DoubleValue> locked)
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
    public static LockedDoubleValue openOrCreate(final Segment segment, final String name, final double initial)
    {
        return new LockedDoubleValue(Locked.of(segment, DoubleValue.openOrCreate(segment, name, initial)));
    }

    public ShmReentrantLock getLock()
    {
        return lock;
    }

    /**
     * @return the value and its lock, for compound updates.
     */
    public Locked<DoubleValue> locked()
    {
        return locked;
    }

    public double get()
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

    public void set(final double newValue)
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
    public double updateAndGet(final DoubleUnaryOperator function)
    {
        lock.lock();
        try
        {
            final double next = function.applyAsDouble(value.getPlain());
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
