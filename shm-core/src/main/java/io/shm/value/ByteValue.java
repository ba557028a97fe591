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
 * A {@code byte} in shared memory: Python's {@code RawValue('b')}, with the API of
 * {@link java.util.concurrent.atomic.AtomicLong}. Open it by name from any process that opens the
 * segment; every process sees the same byte.
 * <pre>{@code
 * ByteValue value = segment.byteValue("hits");
 * value.set((byte)1);
 * }</pre>
 * <b>Memory consistency effects across processes</b> are those of the method's name: {@code get}
 * and {@code set} are volatile, {@code getAcquire}/{@code setRelease} pair up, the plain forms
 * order nothing. A write that another process observes through a volatile or acquire read makes
 * visible everything the writer did before it, as within one JVM.
 * <p>
 * The hardware has no 8-bit compare-and-set here, so atomic updates run compare-and-set on
 * the aligned 32-bit word that holds the byte, leaving its neighbours as they are.
 * <p>
 * Using the value after its segment is closed throws {@link IllegalStateException}.
 */
public final class ByteValue extends SharedView
{
    /**
     * The type recorded in the segment for this kind of object.
     */
    public static final ObjectType TYPE = ObjectType.of(TypeIds.BYTE_VALUE, "ByteValue", Byte.BYTES);

    private static final int INDEX = SharedObject.DATA_OFFSET;

    private final AtomicBuffer buffer;

    private ByteValue(final SharedObject object)
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
    public static ByteValue openOrCreate(final Segment segment, final String name, final byte initial)
    {
        return new ByteValue(segment.object(name, TYPE, 1, object -> new ByteValue(object).setPlain(initial)));
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
    public static ByteValue open(final Segment segment, final String name)
    {
        return new ByteValue(segment.openObject(name, TYPE));
    }

    /**
     * Reads the value with volatile semantics.
     */
    public byte get()
    {
        checkOpen();
        return buffer.getByteVolatile(INDEX);
    }

    /**
     * Writes the value with volatile semantics.
     */
    public void set(final byte newValue)
    {
        checkOpen();
        buffer.putByteVolatile(INDEX, newValue);
    }

    /**
     * Reads the value with no ordering (plain).
     */
    public byte getPlain()
    {
        checkOpen();
        return buffer.getByte(INDEX);
    }

    /**
     * Writes the value with no ordering (plain).
     */
    public void setPlain(final byte newValue)
    {
        checkOpen();
        buffer.putByte(INDEX, newValue);
    }

    /**
     * Reads the value with acquire semantics (pairs with {@code setRelease}).
     */
    public byte getAcquire()
    {
        checkOpen();
        final byte value = buffer.getByte(INDEX);
        VarHandle.acquireFence();
        return value;
    }

    /**
     * Writes the value with release semantics (pairs with {@code getAcquire}).
     */
    public void setRelease(final byte newValue)
    {
        checkOpen();
        VarHandle.releaseFence();
        buffer.putByte(INDEX, newValue);
    }

    /**
     * Reads the value with opaque semantics (volatile for sub-word types, which is stronger).
     */
    public byte getOpaque()
    {
        checkOpen();
        return buffer.getByteVolatile(INDEX);
    }

    /**
     * Writes the value with opaque semantics (volatile for sub-word types, which is stronger).
     */
    public void setOpaque(final byte newValue)
    {
        checkOpen();
        buffer.putByteVolatile(INDEX, newValue);
    }

    /**
     * Atomically sets the value to {@code newValue} if it equals {@code expectedValue}, with volatile semantics.
     *
     * @return whether it was set.
     */
    public boolean compareAndSet(final byte expectedValue, final byte newValue)
    {
        checkOpen();
        return SubWord.compareAndSet(buffer, INDEX, 1, expectedValue, newValue);
    }

    /**
     * Atomically sets the value and returns the previous value.
     */
    public byte getAndSet(final byte newValue)
    {
        checkOpen();
        return (byte)SubWord.getAndSet(buffer, INDEX, 1, newValue);
    }

    /**
     * Atomically adds {@code delta} to the value.
     *
     * @return the previous value.
     */
    public byte getAndAdd(final byte delta)
    {
        checkOpen();
        return (byte)SubWord.getAndAdd(buffer, INDEX, 1, delta);
    }

    /**
     * Atomically adds {@code delta} to the value.
     *
     * @return the new value.
     */
    public byte addAndGet(final byte delta)
    {
        return (byte)(getAndAdd(delta) + delta);
    }

    /**
     * Atomically increments the value.
     *
     * @return the previous value.
     */
    public byte getAndIncrement()
    {
        return getAndAdd((byte)1);
    }

    /**
     * Atomically increments the value.
     *
     * @return the new value.
     */
    public byte incrementAndGet()
    {
        return (byte)(getAndAdd((byte)1) + 1);
    }

    /**
     * Atomically decrements the value.
     *
     * @return the previous value.
     */
    public byte getAndDecrement()
    {
        return getAndAdd((byte)-1);
    }

    /**
     * Atomically decrements the value.
     *
     * @return the new value.
     */
    public byte decrementAndGet()
    {
        return (byte)(getAndAdd((byte)-1) - 1);
    }

    /**
     * Atomically replaces the value with {@code function} of it, retrying while other writers interfere; the function must be free of side effects.
     *
     * @return the previous value.
     */
    public byte getAndUpdate(final IntUnaryOperator function)
    {
        while (true)
        {
            final byte previous = get();
            final byte next = (byte)function.applyAsInt(previous);
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
    public byte updateAndGet(final IntUnaryOperator function)
    {
        while (true)
        {
            final byte previous = get();
            final byte next = (byte)function.applyAsInt(previous);
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
    public byte getAndAccumulate(final byte x, final IntBinaryOperator function)
    {
        while (true)
        {
            final byte previous = get();
            final byte next = (byte)function.applyAsInt(previous, x);
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
    public byte accumulateAndGet(final byte x, final IntBinaryOperator function)
    {
        while (true)
        {
            final byte previous = get();
            final byte next = (byte)function.applyAsInt(previous, x);
            if (compareAndSet(previous, next))
            {
                return next;
            }
        }
    }

    @Override
    public String toString()
    {
        return object.isOpen() ? String.valueOf(get()) : "ByteValue '" + name() + "' (closed)";
    }
}
