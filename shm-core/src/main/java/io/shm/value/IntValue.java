package io.shm.value;

import io.shm.segment.ObjectType;
import io.shm.segment.TypeIds;
import io.shm.segment.Segment;
import io.shm.segment.SharedObject;
import org.agrona.concurrent.AtomicBuffer;

import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;

/**
 * A {@code int} in shared memory: Python's {@code RawValue('i')}, with the API of
 * {@link java.util.concurrent.atomic.AtomicLong}. Open it by name from any process that opens the
 * segment; every process sees the same int.
 * <pre>{@code
 * IntValue value = segment.intValue("hits");
 * value.incrementAndGet(1);
 * }</pre>
 * <b>Memory consistency effects across processes</b> are those of the method's name: {@code get}
 * and {@code set} are volatile, {@code getAcquire}/{@code setRelease} pair up, the plain forms
 * order nothing. A write that another process observes through a volatile or acquire read makes
 * visible everything the writer did before it, as within one JVM.
 * <p>
 * Using the value after its segment is closed throws {@link IllegalStateException}.
 */
public final class IntValue extends SharedView
{
    /**
     * The type recorded in the segment for this kind of object.
     */
    public static final ObjectType TYPE = ObjectType.of(TypeIds.INT_VALUE, "IntValue", Integer.BYTES);

    private static final int INDEX = SharedObject.DATA_OFFSET;

    private final AtomicBuffer buffer;

    private IntValue(final SharedObject object)
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
    public static IntValue openOrCreate(final Segment segment, final String name, final int initial)
    {
        return new IntValue(segment.object(name, TYPE, 1, object -> new IntValue(object).setPlain(initial)));
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
    public static IntValue open(final Segment segment, final String name)
    {
        return new IntValue(segment.openObject(name, TYPE));
    }

    /**
     * Reads the value with volatile semantics.
     */
    public int get()
    {
        checkOpen();
        return buffer.getIntVolatile(INDEX);
    }

    /**
     * Writes the value with volatile semantics.
     */
    public void set(final int newValue)
    {
        checkOpen();
        buffer.putIntVolatile(INDEX, newValue);
    }

    /**
     * Reads the value with no ordering (plain).
     */
    public int getPlain()
    {
        checkOpen();
        return buffer.getInt(INDEX);
    }

    /**
     * Writes the value with no ordering (plain).
     */
    public void setPlain(final int newValue)
    {
        checkOpen();
        buffer.putInt(INDEX, newValue);
    }

    /**
     * Reads the value with acquire semantics (pairs with {@code setRelease}).
     */
    public int getAcquire()
    {
        checkOpen();
        return buffer.getIntAcquire(INDEX);
    }

    /**
     * Writes the value with release semantics (pairs with {@code getAcquire}).
     */
    public void setRelease(final int newValue)
    {
        checkOpen();
        buffer.putIntRelease(INDEX, newValue);
    }

    /**
     * Reads the value with opaque semantics.
     */
    public int getOpaque()
    {
        checkOpen();
        return buffer.getIntOpaque(INDEX);
    }

    /**
     * Writes the value with opaque semantics.
     */
    public void setOpaque(final int newValue)
    {
        checkOpen();
        buffer.putIntOpaque(INDEX, newValue);
    }

    /**
     * Atomically sets the value to {@code newValue} if it equals {@code expectedValue}, with volatile semantics.
     *
     * @return whether it was set.
     */
    public boolean compareAndSet(final int expectedValue, final int newValue)
    {
        checkOpen();
        return buffer.compareAndSetInt(INDEX, expectedValue, newValue);
    }

    /**
     * Atomically sets the value to {@code newValue} if it equals {@code expectedValue}, with volatile semantics.
     *
     * @return the value found, which equals {@code expectedValue} on success.
     */
    public int compareAndExchange(final int expectedValue, final int newValue)
    {
        checkOpen();
        return buffer.compareAndExchangeInt(INDEX, expectedValue, newValue);
    }

    /**
     * Atomically sets the value and returns the previous value.
     */
    public int getAndSet(final int newValue)
    {
        checkOpen();
        return buffer.getAndSetInt(INDEX, newValue);
    }

    /**
     * Atomically adds {@code delta} to the value.
     *
     * @return the previous value.
     */
    public int getAndAdd(final int delta)
    {
        checkOpen();
        return buffer.getAndAddInt(INDEX, delta);
    }

    /**
     * Atomically adds {@code delta} to the value.
     *
     * @return the new value.
     */
    public int addAndGet(final int delta)
    {
        return (getAndAdd(delta) + delta);
    }

    /**
     * Atomically increments the value.
     *
     * @return the previous value.
     */
    public int getAndIncrement()
    {
        return getAndAdd(1);
    }

    /**
     * Atomically increments the value.
     *
     * @return the new value.
     */
    public int incrementAndGet()
    {
        return (getAndAdd(1) + 1);
    }

    /**
     * Atomically decrements the value.
     *
     * @return the previous value.
     */
    public int getAndDecrement()
    {
        return getAndAdd(-1);
    }

    /**
     * Atomically decrements the value.
     *
     * @return the new value.
     */
    public int decrementAndGet()
    {
        return (getAndAdd(-1) - 1);
    }

    /**
     * Atomically replaces the value with {@code function} of it, retrying while other writers interfere; the function must be free of side effects.
     *
     * @return the previous value.
     */
    public int getAndUpdate(final IntUnaryOperator function)
    {
        while (true)
        {
            final int previous = get();
            final int next = function.applyAsInt(previous);
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
    public int updateAndGet(final IntUnaryOperator function)
    {
        while (true)
        {
            final int previous = get();
            final int next = function.applyAsInt(previous);
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
    public int getAndAccumulate(final int x, final IntBinaryOperator function)
    {
        while (true)
        {
            final int previous = get();
            final int next = function.applyAsInt(previous, x);
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
    public int accumulateAndGet(final int x, final IntBinaryOperator function)
    {
        while (true)
        {
            final int previous = get();
            final int next = function.applyAsInt(previous, x);
            if (compareAndSet(previous, next))
            {
                return next;
            }
        }
    }

    @Override
    public String toString()
    {
        return object.isOpen() ? String.valueOf(get()) : "IntValue '" + name() + "' (closed)";
    }
}
