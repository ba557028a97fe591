package io.shm.value;

import io.shm.segment.ObjectType;
import io.shm.segment.TypeIds;
import io.shm.segment.Segment;
import io.shm.segment.SharedObject;
import org.agrona.concurrent.AtomicBuffer;

import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.MappedByteBuffer;
import java.util.Objects;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;

/**
 * An array of {@code long} in shared memory: Python's {@code RawArray('q', n)}, with the
 * per-element API of {@link java.util.concurrent.atomic.AtomicLongArray} and bulk copies to and from
 * Java arrays. Indexes are {@code long}: an array may exceed 2<sup>31</sup> bytes, and is then
 * mapped in chunks of 1 GiB.
 * <pre>{@code
 * LongArray array = segment.longArray("samples", new long[] {1, 2, 3});
 * array.set(0, (long)4);
 * long[] copy = array.toArray();
 * }</pre>
 * Every index is checked: a bad one throws {@link IndexOutOfBoundsException} naming the array.
 * Memory effects are those of the method's name, as for {@link LongValue}; bulk copies are plain
 * (no ordering), so publish them with a release write or a lock.
 * <p>
 * Using the array after its segment is closed throws {@link IllegalStateException}.
 */
public final class LongArray extends ArrayView
{
    /**
     * The type recorded in the segment for this kind of object.
     */
    public static final ObjectType TYPE = ObjectType.of(TypeIds.LONG_ARRAY, "LongArray", Long.BYTES);

    private final LongBuffer[] views;

    private LongArray(final SharedObject object)
    {
        super(object, Long.BYTES);
        final MappedByteBuffer[] mappings = object.mappings();
        views = new LongBuffer[mappings.length];
        for (int k = 0; k < mappings.length; k++)
        {
            views[k] = mappings[k].duplicate().order(ByteOrder.nativeOrder()).asLongBuffer();
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
    public static LongArray openOrCreate(final Segment segment, final String name, final long length, final long[] contents)
    {
        if (contents != null && contents.length != length)
        {
            throw new IllegalArgumentException("contents of " + name + " have " + contents.length +
                " elements, not " + length);
        }
        return new LongArray(segment.object(name, TYPE, length, object ->
        {
            if (contents != null)
            {
                new LongArray(object).set(0, contents, 0, contents.length);
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
    public static LongArray open(final Segment segment, final String name)
    {
        return new LongArray(segment.openObject(name, TYPE));
    }

    /**
     * Reads the element at {@code index} with volatile semantics.
     */
    public long get(final long index)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return b.getLongVolatile(i);
    }

    /**
     * Writes the element at {@code index} with volatile semantics.
     */
    public void set(final long index, final long newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        b.putLongVolatile(i, newValue);
    }

    /**
     * Reads the element at {@code index} with no ordering (plain).
     */
    public long getPlain(final long index)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return b.getLong(i);
    }

    /**
     * Writes the element at {@code index} with no ordering (plain).
     */
    public void setPlain(final long index, final long newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        b.putLong(i, newValue);
    }

    /**
     * Reads the element at {@code index} with acquire semantics (pairs with {@code setRelease}).
     */
    public long getAcquire(final long index)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return b.getLongAcquire(i);
    }

    /**
     * Writes the element at {@code index} with release semantics (pairs with {@code getAcquire}).
     */
    public void setRelease(final long index, final long newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        b.putLongRelease(i, newValue);
    }

    /**
     * Reads the element at {@code index} with opaque semantics.
     */
    public long getOpaque(final long index)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return b.getLongOpaque(i);
    }

    /**
     * Writes the element at {@code index} with opaque semantics.
     */
    public void setOpaque(final long index, final long newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        b.putLongOpaque(i, newValue);
    }

    /**
     * Atomically sets the element at {@code index} to {@code newValue} if it equals {@code expectedValue}, with volatile semantics.
     *
     * @return whether it was set.
     */
    public boolean compareAndSet(final long index, final long expectedValue, final long newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return b.compareAndSetLong(i, expectedValue, newValue);
    }

    /**
     * Atomically sets the element at {@code index} to {@code newValue} if it equals {@code expectedValue}, with volatile semantics.
     *
     * @return the value found, which equals {@code expectedValue} on success.
     */
    public long compareAndExchange(final long index, final long expectedValue, final long newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return b.compareAndExchangeLong(i, expectedValue, newValue);
    }

    /**
     * Atomically sets the element at {@code index} and returns the previous value.
     */
    public long getAndSet(final long index, final long newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return b.getAndSetLong(i, newValue);
    }

    /**
     * Atomically adds {@code delta} to the element at {@code index}.
     *
     * @return the previous value.
     */
    public long getAndAdd(final long index, final long delta)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return b.getAndAddLong(i, delta);
    }

    /**
     * Atomically adds {@code delta} to the element at {@code index}.
     *
     * @return the new value.
     */
    public long addAndGet(final long index, final long delta)
    {
        return (getAndAdd(index, delta) + delta);
    }

    /**
     * Atomically increments the element at {@code index}.
     *
     * @return the previous value.
     */
    public long getAndIncrement(final long index)
    {
        return getAndAdd(index, 1);
    }

    /**
     * Atomically increments the element at {@code index}.
     *
     * @return the new value.
     */
    public long incrementAndGet(final long index)
    {
        return (getAndAdd(index, 1) + 1);
    }

    /**
     * Atomically decrements the element at {@code index}.
     *
     * @return the previous value.
     */
    public long getAndDecrement(final long index)
    {
        return getAndAdd(index, -1);
    }

    /**
     * Atomically decrements the element at {@code index}.
     *
     * @return the new value.
     */
    public long decrementAndGet(final long index)
    {
        return (getAndAdd(index, -1) - 1);
    }

    /**
     * Atomically replaces the element at {@code index} with {@code function} of it, retrying while other writers interfere; the function must be free of side effects.
     *
     * @return the previous value.
     */
    public long getAndUpdate(final long index, final LongUnaryOperator function)
    {
        while (true)
        {
            final long previous = get(index);
            final long next = function.applyAsLong(previous);
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
    public long updateAndGet(final long index, final LongUnaryOperator function)
    {
        while (true)
        {
            final long previous = get(index);
            final long next = function.applyAsLong(previous);
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
    public long getAndAccumulate(final long index, final long x, final LongBinaryOperator function)
    {
        while (true)
        {
            final long previous = get(index);
            final long next = function.applyAsLong(previous, x);
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
    public long accumulateAndGet(final long index, final long x, final LongBinaryOperator function)
    {
        while (true)
        {
            final long previous = get(index);
            final long next = function.applyAsLong(previous, x);
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
    public void get(final long index, final long[] destination, final int destinationOffset, final int count)
    {
        Objects.checkFromIndexSize(destinationOffset, count, destination.length);
        long p = offsetOfRange(index, count);
        int done = 0;
        while (done < count)
        {
            final int chunk = chunkOf(p);
            final int n = elementsLeftInChunk(p, count - done);
            views[chunk].get(indexAt(p) / Long.BYTES, destination, destinationOffset + done, n);
            done += n;
            p += (long)n * Long.BYTES;
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
    public void set(final long index, final long[] source, final int sourceOffset, final int count)
    {
        Objects.checkFromIndexSize(sourceOffset, count, source.length);
        long p = offsetOfRange(index, count);
        int done = 0;
        while (done < count)
        {
            final int chunk = chunkOf(p);
            final int n = elementsLeftInChunk(p, count - done);
            views[chunk].put(indexAt(p) / Long.BYTES, source, sourceOffset + done, n);
            done += n;
            p += (long)n * Long.BYTES;
        }
    }

    /**
     * Copies the whole of {@code source} into the start of this array.
     *
     * @param source the Java array, at most {@link #length()} elements long.
     */
    public void set(final long[] source)
    {
        set(0, source, 0, source.length);
    }

    /**
     * @return a copy of the whole array.
     * @throws IllegalStateException if the array is too long for a Java array.
     */
    public long[] toArray()
    {
        final long[] copy = new long[checkedJavaLength()];
        get(0, copy, 0, copy.length);
        return copy;
    }
}
