package io.shm.value;

import io.shm.segment.ObjectType;
import io.shm.segment.TypeIds;
import io.shm.segment.Segment;
import io.shm.segment.SharedObject;
import org.agrona.concurrent.AtomicBuffer;

import java.lang.invoke.VarHandle;
import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;

/**
 * A {@code short} in shared memory: Python's {@code RawValue('h')}, with the API of
 * {@link java.util.concurrent.atomic.AtomicLong}. Open it by name from any process that opens the
 * segment; every process sees the same short.
 * <pre>{@code
 * ShortValue value = segment.shortValue("hits");
 * value.set((short)1);
 * }</pre>
 * <b>Memory consistency effects across processes</b> are those of the method's name: {@code get}
 * and {@code set} are volatile, {@code getAcquire}/{@code setRelease} pair up, the plain forms
 * order nothing. A write that another process observes through a volatile or acquire read makes
 * visible everything the writer did before it, as within one JVM.
 * <p>
 * The hardware has no 16-bit compare-and-set here, so atomic updates run compare-and-set on
 * the aligned 32-bit word that holds the short, leaving its neighbours as they are.
 * <p>
 * Using the value after its segment is closed throws {@link IllegalStateException}.
 */
public final class ShortValue extends SharedView
{
    /**
     * The type recorded in the segment for this kind of object.
     */
    public static final ObjectType TYPE = ObjectType.of(TypeIds.SHORT_VALUE, "ShortValue", Short.BYTES);

    private static final int INDEX = SharedObject.DATA_OFFSET;

    private final AtomicBuffer buffer;

    private ShortValue(final SharedObject object)
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
    public static ShortValue openOrCreate(final Segment segment, final String name, final short initial)
    {
        return new ShortValue(segment.object(name, TYPE, 1, object -> new ShortValue(object).setPlain(initial)));
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
    public static ShortValue open(final Segment segment, final String name)
    {
        return new ShortValue(segment.openObject(name, TYPE));
    }

    /**
     * Reads the value with volatile semantics.
     */
    public short get()
    {
        checkOpen();
        return buffer.getShortVolatile(INDEX);
    }

    /**
     * Writes the value with volatile semantics.
     */
    public void set(final short newValue)
    {
        checkOpen();
        buffer.putShortVolatile(INDEX, newValue);
    }

    /**
     * Reads the value with no ordering (plain).
     */
    public short getPlain()
    {
        checkOpen();
        return buffer.getShort(INDEX);
    }

    /**
     * Writes the value with no ordering (plain).
     */
    public void setPlain(final short newValue)
    {
        checkOpen();
        buffer.putShort(INDEX, newValue);
    }

    /**
     * Reads the value with acquire semantics (pairs with {@code setRelease}).
     */
    public short getAcquire()
    {
        checkOpen();
        final short value = buffer.getShort(INDEX);
        VarHandle.acquireFence();
        return value;
    }

    /**
     * Writes the value with release semantics (pairs with {@code getAcquire}).
     */
    public void setRelease(final short newValue)
    {
        checkOpen();
        VarHandle.releaseFence();
        buffer.putShort(INDEX, newValue);
    }

    /**
     * Reads the value with opaque semantics (volatile for sub-word types, which is stronger).
     */
    public short getOpaque()
    {
        checkOpen();
        return buffer.getShortVolatile(INDEX);
    }

    /**
     * Writes the value with opaque semantics (volatile for sub-word types, which is stronger).
     */
    public void setOpaque(final short newValue)
    {
        checkOpen();
        buffer.putShortVolatile(INDEX, newValue);
    }

    /**
     * Atomically sets the value to {@code newValue} if it equals {@code expectedValue}, with volatile semantics.
     *
     * @return whether it was set.
     */
    public boolean compareAndSet(final short expectedValue, final short newValue)
    {
        checkOpen();
        return SubWord.compareAndSet(buffer, INDEX, 2, expectedValue, newValue);
    }

    /**
     * Atomically sets the value and returns the previous value.
     */
    public short getAndSet(final short newValue)
    {
        checkOpen();
        return (short)SubWord.getAndSet(buffer, INDEX, 2, newValue);
    }

    /**
     * Atomically adds {@code delta} to the value.
     *
     * @return the previous value.
     */
    public short getAndAdd(final short delta)
    {
        checkOpen();
        return (short)SubWord.getAndAdd(buffer, INDEX, 2, delta);
    }

    /**
     * Atomically adds {@code delta} to the value.
     *
     * @return the new value.
     */
    public short addAndGet(final short delta)
    {
        return (short)(getAndAdd(delta) + delta);
    }

    /**
     * Atomically increments the value.
     *
     * @return the previous value.
     */
    public short getAndIncrement()
    {
        return getAndAdd((short)1);
    }

    /**
     * Atomically increments the value.
     *
     * @return the new value.
     */
    public short incrementAndGet()
    {
        return (short)(getAndAdd((short)1) + 1);
    }

    /**
     * Atomically decrements the value.
     *
     * @return the previous value.
     */
    public short getAndDecrement()
    {
        return getAndAdd((short)-1);
    }

    /**
     * Atomically decrements the value.
     *
     * @return the new value.
     */
    public short decrementAndGet()
    {
        return (short)(getAndAdd((short)-1) - 1);
    }

    /**
     * Atomically replaces the value with {@code function} of it, retrying while other writers interfere; the function must be free of side effects.
     *
     * @return the previous value.
     */
    public short getAndUpdate(final IntUnaryOperator function)
    {
        while (true)
        {
            final short previous = get();
            final short next = (short)function.applyAsInt(previous);
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
    public short updateAndGet(final IntUnaryOperator function)
    {
        while (true)
        {
            final short previous = get();
            final short next = (short)function.applyAsInt(previous);
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
    public short getAndAccumulate(final short x, final IntBinaryOperator function)
    {
        while (true)
        {
            final short previous = get();
            final short next = (short)function.applyAsInt(previous, x);
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
    public short accumulateAndGet(final short x, final IntBinaryOperator function)
    {
        while (true)
        {
            final short previous = get();
            final short next = (short)function.applyAsInt(previous, x);
            if (compareAndSet(previous, next))
            {
                return next;
            }
        }
    }

    @Override
    public String toString()
    {
        return object.isOpen() ? String.valueOf(get()) : "ShortValue '" + name() + "' (closed)";
    }
}
