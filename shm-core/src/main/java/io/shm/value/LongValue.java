package io.shm.value;

import io.shm.segment.ObjectType;
import io.shm.segment.TypeIds;
import io.shm.segment.Segment;
import io.shm.segment.SharedObject;
import org.agrona.concurrent.AtomicBuffer;

import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;

/**
 * A {@code long} in shared memory: Python's {@code RawValue('q')}, with the API of
 * {@link java.util.concurrent.atomic.AtomicLong}. Open it by name from any process that opens the
 * segment; every process sees the same long.
 * <pre>{@code
 * LongValue value = segment.longValue("hits");
 * value.incrementAndGet(1);
 * }</pre>
 * <b>Memory consistency effects across processes</b> are those of the method's name: {@code get}
 * and {@code set} are volatile, {@code getAcquire}/{@code setRelease} pair up, the plain forms
 * order nothing. A write that another process observes through a volatile or acquire read makes
 * visible everything the writer did before it, as within one JVM.
 * <p>
 * Using the value after its segment is closed throws {@link IllegalStateException}.
 */
public final class LongValue extends SharedView
{
    /**
     * The type recorded in the segment for this kind of object.
     */
    public static final ObjectType TYPE = ObjectType.of(TypeIds.LONG_VALUE, "LongValue", Long.BYTES);

    private static final int INDEX = SharedObject.DATA_OFFSET;

    private final AtomicBuffer buffer;

    private LongValue(final SharedObject object)
    {
        super(object);
        this.buffer = object.buffer();
    }

    /**
     * Opens the value, or creates it holding {@code initial} if the segment has none of that name.
     *
     * @param segment the segment.
     * @param name    the object name.
     * @param initial the value a new object starts with; ignored when the object exists.
     * @return the value.
     */
    public static LongValue openOrCreate(final Segment segment, final String name, final long initial)
    {
        return new LongValue(segment.object(name, TYPE, 1, object -> new LongValue(object).setPlain(initial)));
    }

    /**
     * Opens an existing value.
     *
     * @param segment the segment.
     * @param name    the object name.
     * @return the value.
     * @throws io.shm.exceptions.UnknownObjectException if there is none of that name.
     * @throws io.shm.exceptions.TypeMismatchException  if the object has another type.
     */
    public static LongValue open(final Segment segment, final String name)
    {
        return new LongValue(segment.openObject(name, TYPE));
    }

    /**
     * Reads the value with volatile semantics.
     */
    public long get()
    {
        checkOpen();
        return buffer.getLongVolatile(INDEX);
    }

    /**
     * Writes the value with volatile semantics.
     */
    public void set(final long newValue)
    {
        checkOpen();
        buffer.putLongVolatile(INDEX, newValue);
    }

    /**
     * Reads the value with no ordering (plain).
     */
    public long getPlain()
    {
        checkOpen();
        return buffer.getLong(INDEX);
    }

    /**
     * Writes the value with no ordering (plain).
     */
    public void setPlain(final long newValue)
    {
        checkOpen();
        buffer.putLong(INDEX, newValue);
    }

    /**
     * Reads the value with acquire semantics (pairs with {@code setRelease}).
     */
    public long getAcquire()
    {
        checkOpen();
        return buffer.getLongAcquire(INDEX);
    }

    /**
     * Writes the value with release semantics (pairs with {@code getAcquire}).
     */
    public void setRelease(final long newValue)
    {
        checkOpen();
        buffer.putLongRelease(INDEX, newValue);
    }

    /**
     * Reads the value with opaque semantics.
     */
    public long getOpaque()
    {
        checkOpen();
        return buffer.getLongOpaque(INDEX);
    }

    /**
     * Writes the value with opaque semantics.
     */
    public void setOpaque(final long newValue)
    {
        checkOpen();
        buffer.putLongOpaque(INDEX, newValue);
    }

    /**
     * Atomically sets the value to {@code newValue} if it equals {@code expectedValue}, with volatile semantics.
     *
     * @return whether it was set.
     */
    public boolean compareAndSet(final long expectedValue, final long newValue)
    {
        checkOpen();
        return buffer.compareAndSetLong(INDEX, expectedValue, newValue);
    }

    /**
     * Atomically sets the value to {@code newValue} if it equals {@code expectedValue}, with volatile semantics.
     *
     * @return the value found, which equals {@code expectedValue} on success.
     */
    public long compareAndExchange(final long expectedValue, final long newValue)
    {
        checkOpen();
        return buffer.compareAndExchangeLong(INDEX, expectedValue, newValue);
    }

    /**
     * Atomically sets the value and returns the previous value.
     */
    public long getAndSet(final long newValue)
    {
        checkOpen();
        return buffer.getAndSetLong(INDEX, newValue);
    }

    /**
     * Atomically adds {@code delta} to the value.
     *
     * @return the previous value.
     */
    public long getAndAdd(final long delta)
    {
        checkOpen();
        return buffer.getAndAddLong(INDEX, delta);
    }

    /**
     * Atomically adds {@code delta} to the value.
     *
     * @return the new value.
     */
    public long addAndGet(final long delta)
    {
        return (getAndAdd(delta) + delta);
    }

    /**
     * Atomically increments the value.
     *
     * @return the previous value.
     */
    public long getAndIncrement()
    {
        return getAndAdd(1);
    }

    /**
     * Atomically increments the value.
     *
     * @return the new value.
     */
    public long incrementAndGet()
    {
        return (getAndAdd(1) + 1);
    }

    /**
     * Atomically decrements the value.
     *
     * @return the previous value.
     */
    public long getAndDecrement()
    {
        return getAndAdd(-1);
    }

    /**
     * Atomically decrements the value.
     *
     * @return the new value.
     */
    public long decrementAndGet()
    {
        return (getAndAdd(-1) - 1);
    }

    /**
     * Atomically replaces the value with {@code function} of it, retrying while other writers interfere; the function must be free of side effects.
     *
     * @return the previous value.
     */
    public long getAndUpdate(final LongUnaryOperator function)
    {
        while (true)
        {
            final long previous = get();
            final long next = function.applyAsLong(previous);
            if (compareAndSet(previous, next))
            {
                return previous;
            }
        }
    }

    /**
     * Atomically replaces the value with {@code function} of it, retrying while other writers interfere; the function must be free of side effects.
     *
     * @return the new value.
     */
    public long updateAndGet(final LongUnaryOperator function)
    {
        while (true)
        {
            final long previous = get();
            final long next = function.applyAsLong(previous);
            if (compareAndSet(previous, next))
            {
                return next;
            }
        }
    }

    /**
     * Atomically replaces the value with {@code function(value, x)}, retrying while other writers interfere.
     *
     * @return the previous value.
     */
    public long getAndAccumulate(final long x, final LongBinaryOperator function)
    {
        while (true)
        {
            final long previous = get();
            final long next = function.applyAsLong(previous, x);
            if (compareAndSet(previous, next))
            {
                return previous;
            }
        }
    }

    /**
     * Atomically replaces the value with {@code function(value, x)}, retrying while other writers interfere.
     *
     * @return the new value.
     */
    public long accumulateAndGet(final long x, final LongBinaryOperator function)
    {
        while (true)
        {
            final long previous = get();
            final long next = function.applyAsLong(previous, x);
            if (compareAndSet(previous, next))
            {
                return next;
            }
        }
    }

    @Override
    public String toString()
    {
        return object.isOpen() ? String.valueOf(get()) : "LongValue '" + name() + "' (closed)";
    }
}
