package io.shm.value;

import io.shm.segment.ObjectType;
import io.shm.segment.TypeIds;
import io.shm.segment.Segment;
import io.shm.segment.SharedObject;
import org.agrona.concurrent.AtomicBuffer;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.util.Objects;
import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;

/**
 * An array of {@code byte} in shared memory: Python's {@code RawArray('b', n)}, with the
 * per-element API of {@link java.util.concurrent.atomic.AtomicLongArray} and bulk copies to and from
 * Java arrays. Indexes are {@code long}: an array may exceed 2<sup>31</sup> bytes, and is then
 * mapped in chunks of 1 GiB.
 * <pre>{@code
 * ByteArray array = segment.byteArray("samples", new byte[] {1, 2, 3});
 * array.set(0, (byte)4);
 * byte[] copy = array.toArray();
 * }</pre>
 * Every index is checked: a bad one throws {@link IndexOutOfBoundsException} naming the array.
 * Memory effects are those of the method's name, as for {@link ByteValue}; bulk copies are plain
 * (no ordering), so publish them with a release write or a lock.
 * <p>
 * Using the array after its segment is closed throws {@link IllegalStateException}.
 */
public final class ByteArray extends ArrayView
{
    /**
     * The type recorded in the segment for this kind of object.
     */
    public static final ObjectType TYPE = ObjectType.of(TypeIds.BYTE_ARRAY, "ByteArray", Byte.BYTES);

    private final ByteBuffer[] views;

    private ByteArray(final SharedObject object)
    {
        super(object, Byte.BYTES);
        final MappedByteBuffer[] mappings = object.mappings();
        views = new ByteBuffer[mappings.length];
        for (int k = 0; k < mappings.length; k++)
        {
            views[k] = mappings[k].duplicate().order(ByteOrder.nativeOrder());
        }
    }

    /**
     * Opens the array, or creates it if the segment has none of that name.
     *
     * @param segment  the segment.
     * @param name     the object name.
     * @param length   the number of elements.
     * @param contents the contents of a new array (its length must be {@code length}), or null for zeros.
     * @return the array.
     * @throws io.shm.exceptions.LengthMismatchException if the array exists with another length.
     */
    public static ByteArray openOrCreate(final Segment segment, final String name, final long length, final byte[] contents)
    {
        if (contents != null && contents.length != length)
        {
            throw new IllegalArgumentException("contents of " + name + " have " + contents.length +
                " elements, not " + length);
        }
        return new ByteArray(segment.object(name, TYPE, length, object ->
        {
            if (contents != null)
            {
                new ByteArray(object).set(0, contents, 0, contents.length);
            }
        }));
    }

    /**
     * Opens an existing array, whatever its length.
     *
     * @param segment the segment.
     * @param name    the object name.
     * @return the array.
     * @throws io.shm.exceptions.UnknownObjectException if there is none of that name.
     * @throws io.shm.exceptions.TypeMismatchException  if the object has another type.
     */
    public static ByteArray open(final Segment segment, final String name)
    {
        return new ByteArray(segment.openObject(name, TYPE));
    }

    /**
     * Reads the element at {@code index} with volatile semantics.
     */
    public byte get(final long index)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return b.getByteVolatile(i);
    }

    /**
     * Writes the element at {@code index} with volatile semantics.
     */
    public void set(final long index, final byte newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        b.putByteVolatile(i, newValue);
    }

    /**
     * Reads the element at {@code index} with no ordering (plain).
     */
    public byte getPlain(final long index)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return b.getByte(i);
    }

    /**
     * Writes the element at {@code index} with no ordering (plain).
     */
    public void setPlain(final long index, final byte newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        b.putByte(i, newValue);
    }

    /**
     * Reads the element at {@code index} with acquire semantics (pairs with {@code setRelease}).
     */
    public byte getAcquire(final long index)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        final byte value = b.getByte(i);
        VarHandle.acquireFence();
        return value;
    }

    /**
     * Writes the element at {@code index} with release semantics (pairs with {@code getAcquire}).
     */
    public void setRelease(final long index, final byte newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        VarHandle.releaseFence();
        b.putByte(i, newValue);
    }

    /**
     * Reads the element at {@code index} with opaque semantics (volatile for sub-word types, which is stronger).
     */
    public byte getOpaque(final long index)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return b.getByteVolatile(i);
    }

    /**
     * Writes the element at {@code index} with opaque semantics (volatile for sub-word types, which is stronger).
     */
    public void setOpaque(final long index, final byte newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        b.putByteVolatile(i, newValue);
    }

    /**
     * Atomically sets the element at {@code index} to {@code newValue} if it equals {@code expectedValue}, with volatile semantics.
     *
     * @return whether it was set.
     */
    public boolean compareAndSet(final long index, final byte expectedValue, final byte newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return SubWord.compareAndSet(b, i, 1, expectedValue, newValue);
    }

    /**
     * Atomically sets the element at {@code index} and returns the previous value.
     */
    public byte getAndSet(final long index, final byte newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return (byte)SubWord.getAndSet(b, i, 1, newValue);
    }

    /**
     * Atomically adds {@code delta} to the element at {@code index}.
     *
     * @return the previous value.
     */
    public byte getAndAdd(final long index, final byte delta)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return (byte)SubWord.getAndAdd(b, i, 1, delta);
    }

    /**
     * Atomically adds {@code delta} to the element at {@code index}.
     *
     * @return the new value.
     */
    public byte addAndGet(final long index, final byte delta)
    {
        return (byte)(getAndAdd(index, delta) + delta);
    }

    /**
     * Atomically increments the element at {@code index}.
     *
     * @return the previous value.
     */
    public byte getAndIncrement(final long index)
    {
        return getAndAdd(index, (byte)1);
    }

    /**
     * Atomically increments the element at {@code index}.
     *
     * @return the new value.
     */
    public byte incrementAndGet(final long index)
    {
        return (byte)(getAndAdd(index, (byte)1) + 1);
    }

    /**
     * Atomically decrements the element at {@code index}.
     *
     * @return the previous value.
     */
    public byte getAndDecrement(final long index)
    {
        return getAndAdd(index, (byte)-1);
    }

    /**
     * Atomically decrements the element at {@code index}.
     *
     * @return the new value.
     */
    public byte decrementAndGet(final long index)
    {
        return (byte)(getAndAdd(index, (byte)-1) - 1);
    }

    /**
     * Atomically replaces the element at {@code index} with {@code function} of it, retrying while other writers interfere; the function must be free of side effects.
     *
     * @return the previous value.
     */
    public byte getAndUpdate(final long index, final IntUnaryOperator function)
    {
        while (true)
        {
            final byte previous = get(index);
            final byte next = (byte)function.applyAsInt(previous);
            if (compareAndSet(index, previous, next))
            {
                return previous;
            }
        }
    }

    /**
     * Atomically replaces the element at {@code index} with {@code function} of it, retrying while other writers interfere; the function must be free of side effects.
     *
     * @return the new value.
     */
    public byte updateAndGet(final long index, final IntUnaryOperator function)
    {
        while (true)
        {
            final byte previous = get(index);
            final byte next = (byte)function.applyAsInt(previous);
            if (compareAndSet(index, previous, next))
            {
                return next;
            }
        }
    }

    /**
     * Atomically replaces the element at {@code index} with {@code function(value, x)}, retrying while other writers interfere.
     *
     * @return the previous value.
     */
    public byte getAndAccumulate(final long index, final byte x, final IntBinaryOperator function)
    {
        while (true)
        {
            final byte previous = get(index);
            final byte next = (byte)function.applyAsInt(previous, x);
            if (compareAndSet(index, previous, next))
            {
                return previous;
            }
        }
    }

    /**
     * Atomically replaces the element at {@code index} with {@code function(value, x)}, retrying while other writers interfere.
     *
     * @return the new value.
     */
    public byte accumulateAndGet(final long index, final byte x, final IntBinaryOperator function)
    {
        while (true)
        {
            final byte previous = get(index);
            final byte next = (byte)function.applyAsInt(previous, x);
            if (compareAndSet(index, previous, next))
            {
                return next;
            }
        }
    }

    /**
     * Copies {@code count} elements starting at {@code index} into {@code destination} (plain reads).
     *
     * @param index             the first element of this array.
     * @param destination       the Java array.
     * @param destinationOffset the first position written in it.
     * @param count             the number of elements.
     */
    public void get(final long index, final byte[] destination, final int destinationOffset, final int count)
    {
        Objects.checkFromIndexSize(destinationOffset, count, destination.length);
        long p = offsetOfRange(index, count);
        int done = 0;
        while (done < count)
        {
            final int chunk = chunkOf(p);
            final int n = elementsLeftInChunk(p, count - done);
            views[chunk].get(indexAt(p) / Byte.BYTES, destination, destinationOffset + done, n);
            done += n;
            p += (long)n * Byte.BYTES;
        }
    }

    /**
     * Copies {@code count} elements of {@code source} into this array starting at {@code index} (plain writes).
     *
     * @param index        the first element of this array.
     * @param source       the Java array.
     * @param sourceOffset the first position read from it.
     * @param count        the number of elements.
     */
    public void set(final long index, final byte[] source, final int sourceOffset, final int count)
    {
        Objects.checkFromIndexSize(sourceOffset, count, source.length);
        long p = offsetOfRange(index, count);
        int done = 0;
        while (done < count)
        {
            final int chunk = chunkOf(p);
            final int n = elementsLeftInChunk(p, count - done);
            views[chunk].put(indexAt(p) / Byte.BYTES, source, sourceOffset + done, n);
            done += n;
            p += (long)n * Byte.BYTES;
        }
    }

    /**
     * Copies the whole of {@code source} into the start of this array.
     *
     * @param source the Java array, at most {@link #length()} elements long.
     */
    public void set(final byte[] source)
    {
        set(0, source, 0, source.length);
    }

    /**
     * @return a copy of the whole array.
     * @throws IllegalStateException if the array is too long for a Java array.
     */
    public byte[] toArray()
    {
        final byte[] copy = new byte[checkedJavaLength()];
        get(0, copy, 0, copy.length);
        return copy;
    }
}
