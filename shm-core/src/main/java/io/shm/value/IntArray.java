package io.shm.value;

import io.shm.segment.ObjectType;
import io.shm.segment.TypeIds;
import io.shm.segment.Segment;
import io.shm.segment.SharedObject;
import org.agrona.concurrent.AtomicBuffer;

import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.MappedByteBuffer;
import java.util.Objects;
import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;

/**
 * An array of {@code int} in shared memory: Python's {@code RawArray('i', n)}, with the
 * per-element API of {@link java.util.concurrent.atomic.AtomicLongArray} and bulk copies to and from
 * Java arrays. Indexes are {@code long}: an array may exceed 2<sup>31</sup> bytes, and is then
 * mapped in chunks of 1 GiB.
 * <pre>{@code
 * IntArray array = segment.intArray("samples", new int[] {1, 2, 3});
 * array.set(0, (int)4);
 * int[] copy = array.toArray();
 * }</pre>
 * Every index is checked: a bad one throws {@link IndexOutOfBoundsException} naming the array.
 * Memory effects are those of the method's name, as for {@link IntValue}; bulk copies are plain
 * (no ordering), so publish them with a release write or a lock.
 * <p>
 * Using the array after its segment is closed throws {@link IllegalStateException}.
 */
public final class IntArray extends ArrayView
{
    /**
     * The type recorded in the segment for this kind of object.
     */
    public static final ObjectType TYPE = ObjectType.of(TypeIds.INT_ARRAY, "IntArray", Integer.BYTES);

    private final IntBuffer[] views;

    private IntArray(final SharedObject object)
    {
        super(object, Integer.BYTES);
        final MappedByteBuffer[] mappings = object.mappings();
        views = new IntBuffer[mappings.length];
        for (int k = 0; k < mappings.length; k++)
        {
            views[k] = mappings[k].duplicate().order(ByteOrder.nativeOrder()).asIntBuffer();
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
    public static IntArray openOrCreate(final Segment segment, final String name, final long length, final int[] contents)
    {
        if (contents != null && contents.length != length)
        {
            throw new IllegalArgumentException("contents of " + name + " have " + contents.length +
                " elements, not " + length);
        }
        return new IntArray(segment.object(name, TYPE, length, object ->
        {
            if (contents != null)
            {
                new IntArray(object).set(0, contents, 0, contents.length);
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
    public static IntArray open(final Segment segment, final String name)
    {
        return new IntArray(segment.openObject(name, TYPE));
    }

    /**
     * Reads the element at {@code index} with volatile semantics.
     */
    public int get(final long index)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return b.getIntVolatile(i);
    }

    /**
     * Writes the element at {@code index} with volatile semantics.
     */
    public void set(final long index, final int newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        b.putIntVolatile(i, newValue);
    }

    /**
     * Reads the element at {@code index} with no ordering (plain).
     */
    public int getPlain(final long index)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return b.getInt(i);
    }

    /**
     * Writes the element at {@code index} with no ordering (plain).
     */
    public void setPlain(final long index, final int newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        b.putInt(i, newValue);
    }

    /**
     * Reads the element at {@code index} with acquire semantics (pairs with {@code setRelease}).
     */
    public int getAcquire(final long index)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return b.getIntAcquire(i);
    }

    /**
     * Writes the element at {@code index} with release semantics (pairs with {@code getAcquire}).
     */
    public void setRelease(final long index, final int newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        b.putIntRelease(i, newValue);
    }

    /**
     * Reads the element at {@code index} with opaque semantics.
     */
    public int getOpaque(final long index)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return b.getIntOpaque(i);
    }

    /**
     * Writes the element at {@code index} with opaque semantics.
     */
    public void setOpaque(final long index, final int newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        b.putIntOpaque(i, newValue);
    }

    /**
     * Atomically sets the element at {@code index} to {@code newValue} if it equals {@code expectedValue}, with volatile semantics.
     *
     * @return whether it was set.
     */
    public boolean compareAndSet(final long index, final int expectedValue, final int newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return b.compareAndSetInt(i, expectedValue, newValue);
    }

    /**
     * Atomically sets the element at {@code index} to {@code newValue} if it equals {@code expectedValue}, with volatile semantics.
     *
     * @return the value found, which equals {@code expectedValue} on success.
     */
    public int compareAndExchange(final long index, final int expectedValue, final int newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return b.compareAndExchangeInt(i, expectedValue, newValue);
    }

    /**
     * Atomically sets the element at {@code index} and returns the previous value.
     */
    public int getAndSet(final long index, final int newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return b.getAndSetInt(i, newValue);
    }

    /**
     * Atomically adds {@code delta} to the element at {@code index}.
     *
     * @return the previous value.
     */
    public int getAndAdd(final long index, final int delta)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return b.getAndAddInt(i, delta);
    }

    /**
     * Atomically adds {@code delta} to the element at {@code index}.
     *
     * @return the new value.
     */
    public int addAndGet(final long index, final int delta)
    {
        return (getAndAdd(index, delta) + delta);
    }

    /**
     * Atomically increments the element at {@code index}.
     *
     * @return the previous value.
     */
    public int getAndIncrement(final long index)
    {
        return getAndAdd(index, 1);
    }

    /**
     * Atomically increments the element at {@code index}.
     *
     * @return the new value.
     */
    public int incrementAndGet(final long index)
    {
        return (getAndAdd(index, 1) + 1);
    }

    /**
     * Atomically decrements the element at {@code index}.
     *
     * @return the previous value.
     */
    public int getAndDecrement(final long index)
    {
        return getAndAdd(index, -1);
    }

    /**
     * Atomically decrements the element at {@code index}.
     *
     * @return the new value.
     */
    public int decrementAndGet(final long index)
    {
        return (getAndAdd(index, -1) - 1);
    }

    /**
     * Atomically replaces the element at {@code index} with {@code function} of it, retrying while other writers interfere; the function must be free of side effects.
     *
     * @return the previous value.
     */
    public int getAndUpdate(final long index, final IntUnaryOperator function)
    {
        while (true)
        {
            final int previous = get(index);
            final int next = function.applyAsInt(previous);
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
    public int updateAndGet(final long index, final IntUnaryOperator function)
    {
        while (true)
        {
            final int previous = get(index);
            final int next = function.applyAsInt(previous);
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
    public int getAndAccumulate(final long index, final int x, final IntBinaryOperator function)
    {
        while (true)
        {
            final int previous = get(index);
            final int next = function.applyAsInt(previous, x);
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
    public int accumulateAndGet(final long index, final int x, final IntBinaryOperator function)
    {
        while (true)
        {
            final int previous = get(index);
            final int next = function.applyAsInt(previous, x);
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
    public void get(final long index, final int[] destination, final int destinationOffset, final int count)
    {
        Objects.checkFromIndexSize(destinationOffset, count, destination.length);
        long p = offsetOfRange(index, count);
        int done = 0;
        while (done < count)
        {
            final int chunk = chunkOf(p);
            final int n = elementsLeftInChunk(p, count - done);
            views[chunk].get(indexAt(p) / Integer.BYTES, destination, destinationOffset + done, n);
            done += n;
            p += (long)n * Integer.BYTES;
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
    public void set(final long index, final int[] source, final int sourceOffset, final int count)
    {
        Objects.checkFromIndexSize(sourceOffset, count, source.length);
        long p = offsetOfRange(index, count);
        int done = 0;
        while (done < count)
        {
            final int chunk = chunkOf(p);
            final int n = elementsLeftInChunk(p, count - done);
            views[chunk].put(indexAt(p) / Integer.BYTES, source, sourceOffset + done, n);
            done += n;
            p += (long)n * Integer.BYTES;
        }
    }

    /**
     * Copies the whole of {@code source} into the start of this array.
     *
     * @param source the Java array, at most {@link #length()} elements long.
     */
    public void set(final int[] source)
    {
        set(0, source, 0, source.length);
    }

    /**
     * @return a copy of the whole array.
     * @throws IllegalStateException if the array is too long for a Java array.
     */
    public int[] toArray()
    {
        final int[] copy = new int[checkedJavaLength()];
        get(0, copy, 0, copy.length);
        return copy;
    }
}
