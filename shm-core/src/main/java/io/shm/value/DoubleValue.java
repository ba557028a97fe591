package io.shm.value;

import io.shm.segment.ObjectType;
import io.shm.segment.TypeIds;
import io.shm.segment.Segment;
import io.shm.segment.SharedObject;
import org.agrona.concurrent.AtomicBuffer;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * A {@code double} in shared memory: Python's {@code RawValue('d')}, with the API of
 * {@link java.util.concurrent.atomic.AtomicLong}. Open it by name from any process that opens the
 * segment; every process sees the same double.
 * <pre>{@code
 * DoubleValue value = segment.doubleValue("hits");
 * value.set(1);
 * }</pre>
 * <b>Memory consistency effects across processes</b> are those of the method's name: {@code get}
 * and {@code set} are volatile, {@code getAcquire}/{@code setRelease} pair up, the plain forms
 * order nothing. A write that another process observes through a volatile or acquire read makes
 * visible everything the writer did before it, as within one JVM.
 * <p>
 * Atomic updates work on the raw bits of the double through compare-and-set.
 * <p>
 * Using the value after its segment is closed throws {@link IllegalStateException}.
 */
public final class DoubleValue extends SharedView
{
    /**
     * The type recorded in the segment for this kind of object.
     */
    public static final ObjectType TYPE = ObjectType.of(TypeIds.DOUBLE_VALUE, "DoubleValue", Double.BYTES);

    private static final int INDEX = SharedObject.DATA_OFFSET;

    private final AtomicBuffer buffer;

    private DoubleValue(final SharedObject object)
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
    public static DoubleValue openOrCreate(final Segment segment, final String name, final double initial)
    {
        return new DoubleValue(segment.object(name, TYPE, 1, object -> new DoubleValue(object).setPlain(initial)));
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
    public static DoubleValue open(final Segment segment, final String name)
    {
        return new DoubleValue(segment.openObject(name, TYPE));
    }

    /**
     * Reads the value with volatile semantics.
     */
    public double get()
    {
        checkOpen();
        return Double.longBitsToDouble(buffer.getLongVolatile(INDEX));
    }

    /**
     * Writes the value with volatile semantics.
     */
    public void set(final double newValue)
    {
        checkOpen();
        buffer.putLongVolatile(INDEX, Double.doubleToRawLongBits(newValue));
    }

    /**
     * Reads the value with no ordering (plain).
     */
    public double getPlain()
    {
        checkOpen();
        return Double.longBitsToDouble(buffer.getLong(INDEX));
    }

    /**
     * Writes the value with no ordering (plain).
     */
    public void setPlain(final double newValue)
    {
        checkOpen();
        buffer.putLong(INDEX, Double.doubleToRawLongBits(newValue));
    }

    /**
     * Reads the value with acquire semantics (pairs with {@code setRelease}).
     */
    public double getAcquire()
    {
        checkOpen();
        return Double.longBitsToDouble(buffer.getLongAcquire(INDEX));
    }

    /**
     * Writes the value with release semantics (pairs with {@code getAcquire}).
     */
    public void setRelease(final double newValue)
    {
        checkOpen();
        buffer.putLongRelease(INDEX, Double.doubleToRawLongBits(newValue));
    }

    /**
     * Reads the value with opaque semantics.
     */
    public double getOpaque()
    {
        checkOpen();
        return Double.longBitsToDouble(buffer.getLongOpaque(INDEX));
    }

    /**
     * Writes the value with opaque semantics.
     */
    public void setOpaque(final double newValue)
    {
        checkOpen();
        buffer.putLongOpaque(INDEX, Double.doubleToRawLongBits(newValue));
    }

    /**
     * Atomically sets the value to {@code newValue} if it equals {@code expectedValue}, with volatile semantics. Floating-point values compare by their raw bits, so {@code NaN} matches {@code NaN} and {@code 0.0} does not match {@code -0.0}.
     *
     * @return whether it was set.
     */
    public boolean compareAndSet(final double expectedValue, final double newValue)
    {
        checkOpen();
        return buffer.compareAndSetLong(INDEX, Double.doubleToRawLongBits(expectedValue), Double.doubleToRawLongBits(newValue));
    }

    /**
     * Atomically sets the value and returns the previous value.
     */
    public double getAndSet(final double newValue)
    {
        checkOpen();
        return Double.longBitsToDouble(buffer.getAndSetLong(INDEX, Double.doubleToRawLongBits(newValue)));
    }

    /**
     * Atomically adds {@code delta} to the value.
     *
     * @return the previous value.
     */
    public double getAndAdd(final double delta)
    {
        checkOpen();
        while (true)
        {
            final long bits = buffer.getLongVolatile(INDEX);
            final double previous = Double.longBitsToDouble(bits);
            if (buffer.compareAndSetLong(INDEX, bits, Double.doubleToRawLongBits(previous + delta)))
            {
                return previous;
            }
        }
    }

    /**
     * Atomically adds {@code delta} to the value.
     *
     * @return the new value.
     */
    public double addAndGet(final double delta)
    {
        return (getAndAdd(delta) + delta);
    }

    /**
     * Atomically replaces the value with {@code function} of it, retrying while other writers interfere; the function must be free of side effects.
     *
     * @return the previous value.
     */
    public double getAndUpdate(final DoubleUnaryOperator function)
    {
        while (true)
        {
            final double previous = get();
            final double next = function.applyAsDouble(previous);
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
    public double updateAndGet(final DoubleUnaryOperator function)
    {
        while (true)
        {
            final double previous = get();
            final double next = function.applyAsDouble(previous);
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
    public double getAndAccumulate(final double x, final DoubleBinaryOperator function)
    {
        while (true)
        {
            final double previous = get();
            final double next = function.applyAsDouble(previous, x);
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
    public double accumulateAndGet(final double x, final DoubleBinaryOperator function)
    {
        while (true)
        {
            final double previous = get();
            final double next = function.applyAsDouble(previous, x);
            if (compareAndSet(previous, next))
            {
                return next;
            }
        }
    }

    @Override
    public String toString()
    {
        return object.isOpen() ? String.valueOf(get()) : "DoubleValue '" + name() + "' (closed)";
    }
}
