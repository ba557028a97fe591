package io.shm.value;

import io.shm.segment.ObjectType;
import io.shm.segment.TypeIds;
import io.shm.segment.Segment;
import io.shm.segment.SharedObject;
import org.agrona.concurrent.AtomicBuffer;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * A {@code float} in shared memory: Python's {@code RawValue('f')}, with the API of
 * {@link java.util.concurrent.atomic.AtomicLong}. Open it by name from any process that opens the
 * segment; every process sees the same float.
 * <pre>{@code
 * FloatValue value = segment.floatValue("hits");
 * value.set(1);
 * }</pre>
 * <b>Memory consistency effects across processes</b> are those of the method's name: {@code get}
 * and {@code set} are volatile, {@code getAcquire}/{@code setRelease} pair up, the plain forms
 * order nothing. A write that another process observes through a volatile or acquire read makes
 * visible everything the writer did before it, as within one JVM.
 * <p>
 * Atomic updates work on the raw bits of the float through compare-and-set.
 * <p>
 * Using the value after its segment is closed throws {@link IllegalStateException}.
 */
public final class FloatValue extends SharedView
{
    /**
     * The type recorded in the segment for this kind of object.
     */
    public static final ObjectType TYPE = ObjectType.of(TypeIds.FLOAT_VALUE, "FloatValue", Float.BYTES);

    private static final int INDEX = SharedObject.DATA_OFFSET;

    private final AtomicBuffer buffer;

    private FloatValue(final SharedObject object)
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
    public static FloatValue openOrCreate(final Segment segment, final String name, final float initial)
    {
        return new FloatValue(segment.object(name, TYPE, 1, object -> new FloatValue(object).setPlain(initial)));
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
    public static FloatValue open(final Segment segment, final String name)
    {
        return new FloatValue(segment.openObject(name, TYPE));
    }

    /**
     * Reads the value with volatile semantics.
     */
    public float get()
    {
        checkOpen();
        return Float.intBitsToFloat(buffer.getIntVolatile(INDEX));
    }

    /**
     * Writes the value with volatile semantics.
     */
    public void set(final float newValue)
    {
        checkOpen();
        buffer.putIntVolatile(INDEX, Float.floatToRawIntBits(newValue));
    }

    /**
     * Reads the value with no ordering (plain).
     */
    public float getPlain()
    {
        checkOpen();
        return Float.intBitsToFloat(buffer.getInt(INDEX));
    }

    /**
     * Writes the value with no ordering (plain).
     */
    public void setPlain(final float newValue)
    {
        checkOpen();
        buffer.putInt(INDEX, Float.floatToRawIntBits(newValue));
    }

    /**
     * Reads the value with acquire semantics (pairs with {@code setRelease}).
     */
    public float getAcquire()
    {
        checkOpen();
        return Float.intBitsToFloat(buffer.getIntAcquire(INDEX));
    }

    /**
     * Writes the value with release semantics (pairs with {@code getAcquire}).
     */
    public void setRelease(final float newValue)
    {
        checkOpen();
        buffer.putIntRelease(INDEX, Float.floatToRawIntBits(newValue));
    }

    /**
     * Reads the value with opaque semantics.
     */
    public float getOpaque()
    {
        checkOpen();
        return Float.intBitsToFloat(buffer.getIntOpaque(INDEX));
    }

    /**
     * Writes the value with opaque semantics.
     */
    public void setOpaque(final float newValue)
    {
        checkOpen();
        buffer.putIntOpaque(INDEX, Float.floatToRawIntBits(newValue));
    }

    /**
     * Atomically sets the value to {@code newValue} if it equals {@code expectedValue}, with volatile semantics. Floating-point values compare by their raw bits, so {@code NaN} matches {@code NaN} and {@code 0.0} does not match {@code -0.0}.
     *
     * @return whether it was set.
     */
    public boolean compareAndSet(final float expectedValue, final float newValue)
    {
        checkOpen();
        return buffer.compareAndSetInt(INDEX, Float.floatToRawIntBits(expectedValue), Float.floatToRawIntBits(newValue));
    }

    /**
     * Atomically sets the value and returns the previous value.
     */
    public float getAndSet(final float newValue)
    {
        checkOpen();
        return Float.intBitsToFloat(buffer.getAndSetInt(INDEX, Float.floatToRawIntBits(newValue)));
    }

    /**
     * Atomically adds {@code delta} to the value.
     *
     * @return the previous value.
     */
    public float getAndAdd(final float delta)
    {
        checkOpen();
        while (true)
        {
            final int bits = buffer.getIntVolatile(INDEX);
            final float previous = Float.intBitsToFloat(bits);
            if (buffer.compareAndSetInt(INDEX, bits, Float.floatToRawIntBits(previous + delta)))
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
    public float addAndGet(final float delta)
    {
        return getAndAdd(delta) + delta;
    }

    /**
     * Atomically replaces the value with {@code function} of it, retrying while other writers interfere; the function must be free of side effects.
     *
     * @return the previous value.
     */
    public float getAndUpdate(final DoubleUnaryOperator function)
    {
        while (true)
        {
            final float previous = get();
            final float next = (float)function.applyAsDouble(previous);
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
    public float updateAndGet(final DoubleUnaryOperator function)
    {
        while (true)
        {
            final float previous = get();
            final float next = (float)function.applyAsDouble(previous);
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
    public float getAndAccumulate(final float x, final DoubleBinaryOperator function)
    {
        while (true)
        {
            final float previous = get();
            final float next = (float)function.applyAsDouble(previous, x);
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
    public float accumulateAndGet(final float x, final DoubleBinaryOperator function)
    {
        while (true)
        {
            final float previous = get();
            final float next = (float)function.applyAsDouble(previous, x);
            if (compareAndSet(previous, next))
            {
                return next;
            }
        }
    }

    @Override
    public String toString()
    {
        return object.isOpen() ? String.valueOf(get()) : "FloatValue '" + name() + "' (closed)";
    }
}
