package io.shm.value;

import io.shm.segment.ObjectType;
import io.shm.segment.TypeIds;
import io.shm.segment.Segment;
import io.shm.segment.SharedObject;
import org.agrona.concurrent.AtomicBuffer;

import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.MappedByteBuffer;
import java.util.Objects;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * An array of {@code double} in shared memory: Python's {@code RawArray('d', n)}, with the
 * per-element API of {@link java.util.concurrent.atomic.AtomicLongArray} and bulk copies to and from
 * Java arrays. Indexes are {@code long}: an array may exceed 2<sup>31</sup> bytes, and is then
 * mapped in chunks of 1 GiB.
 * <pre>{@code
 * DoubleArray array = segment.doubleArray("samples", new double[] {1, 2, 3});
 * array.set(0, (double)4);
 * double[] copy = array.toArray();
 * }</pre>
 * Every index is checked: a bad one throws {@link IndexOutOfBoundsException} naming the array.
 * Memory effects are those of the method's name, as for {@link DoubleValue}; bulk copies are plain
 * (no ordering), so publish them with a release write or a lock.
 * <p>
 * Using the array after its segment is closed throws {@link IllegalStateException}.
 */
public final class DoubleArray extends ArrayView
{
    /**
     * The type recorded in the segment for this kind of object.
     */
    public static final ObjectType TYPE = ObjectType.of(TypeIds.DOUBLE_ARRAY, "DoubleArray", Double.BYTES);

    private final DoubleBuffer[] views;

    private DoubleArray(final SharedObject object)
    {
        super(object, Double.BYTES);
        final MappedByteBuffer[] mappings = object.mappings();
        views = new DoubleBuffer[mappings.length];
        for (int k = 0; k < mappings.length; k++)
        {
            views[k] = mappings[k].duplicate().order(ByteOrder.nativeOrder()).asDoubleBuffer();
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
    public static DoubleArray openOrCreate(final Segment segment, final String name, final long length, final double[] contents)
    {
        if (contents != null && contents.length != length)
        {
            throw new IllegalArgumentException("contents of " + name + " have " + contents.length +
                " elements, not " + length);
        }
        return new DoubleArray(segment.object(name, TYPE, length, object ->
        {
            if (contents != null)
            {
                new DoubleArray(object).set(0, contents, 0, contents.length);
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
    public static DoubleArray open(final Segment segment, final String name)
    {
        return new DoubleArray(segment.openObject(name, TYPE));
    }

    /**
     * Reads the element at {@code index} with volatile semantics.
     */
    public double get(final long index)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return Double.longBitsToDouble(b.getLongVolatile(i));
    }

    /**
     * Writes the element at {@code index} with volatile semantics.
     */
    public void set(final long index, final double newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        b.putLongVolatile(i, Double.doubleToRawLongBits(newValue));
    }

    /**
     * Reads the element at {@code index} with no ordering (plain).
     */
    public double getPlain(final long index)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return Double.longBitsToDouble(b.getLong(i));
    }

    /**
     * Writes the element at {@code index} with no ordering (plain).
     */
    public void setPlain(final long index, final double newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        b.putLong(i, Double.doubleToRawLongBits(newValue));
    }

    /**
     * Reads the element at {@code index} with acquire semantics (pairs with {@code setRelease}).
     */
    public double getAcquire(final long index)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return Double.longBitsToDouble(b.getLongAcquire(i));
    }

    /**
     * Writes the element at {@code index} with release semantics (pairs with {@code getAcquire}).
     */
    public void setRelease(final long index, final double newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        b.putLongRelease(i, Double.doubleToRawLongBits(newValue));
    }

    /**
     * Reads the element at {@code index} with opaque semantics.
     */
    public double getOpaque(final long index)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return Double.longBitsToDouble(b.getLongOpaque(i));
    }

    /**
     * Writes the element at {@code index} with opaque semantics.
     */
    public void setOpaque(final long index, final double newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        b.putLongOpaque(i, Double.doubleToRawLongBits(newValue));
    }

    /**
     * Atomically sets the element at {@code index} to {@code newValue} if it equals {@code expectedValue}, with volatile semantics. Floating-point values compare by their raw bits, so {@code NaN} matches {@code NaN} and {@code 0.0} does not match {@code -0.0}.
     *
     * @return whether it was set.
     */
    public boolean compareAndSet(final long index, final double expectedValue, final double newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return b.compareAndSetLong(i, Double.doubleToRawLongBits(expectedValue), Double.doubleToRawLongBits(newValue));
    }

    /**
     * Atomically sets the element at {@code index} and returns the previous value.
     */
    public double getAndSet(final long index, final double newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return Double.longBitsToDouble(b.getAndSetLong(i, Double.doubleToRawLongBits(newValue)));
    }

    /**
     * Atomically adds {@code delta} to the element at {@code index}.
     *
     * @return the previous value.
     */
    public double getAndAdd(final long index, final double delta)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        while (true)
        {
            final long bits = b.getLongVolatile(i);
            final double previous = Double.longBitsToDouble(bits);
            if (b.compareAndSetLong(i, bits, Double.doubleToRawLongBits(previous + delta)))
            {
                return previous;
            }
        }
    }

    /**
     * Atomically adds {@code delta} to the element at {@code index}.
     *
     * @return the new value.
     */
    public double addAndGet(final long index, final double delta)
    {
        return (getAndAdd(index, delta) + delta);
    }

    /**
     * Atomically replaces the element at {@code index} with {@code function} of it, retrying while other writers interfere; the function must be free of side effects.
     *
     * @return the previous value.
     */
    public double getAndUpdate(final long index, final DoubleUnaryOperator function)
    {
        while (true)
        {
            final double previous = get(index);
            final double next = function.applyAsDouble(previous);
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
    public double updateAndGet(final long index, final DoubleUnaryOperator function)
    {
        while (true)
        {
            final double previous = get(index);
            final double next = function.applyAsDouble(previous);
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
    public double getAndAccumulate(final long index, final double x, final DoubleBinaryOperator function)
    {
        while (true)
        {
            final double previous = get(index);
            final double next = function.applyAsDouble(previous, x);
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
    public double accumulateAndGet(final long index, final double x, final DoubleBinaryOperator function)
    {
        while (true)
        {
            final double previous = get(index);
            final double next = function.applyAsDouble(previous, x);
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
    public void get(final long index, final double[] destination, final int destinationOffset, final int count)
    {
        Objects.checkFromIndexSize(destinationOffset, count, destination.length);
        long p = offsetOfRange(index, count);
        int done = 0;
        while (done < count)
        {
            final int chunk = chunkOf(p);
            final int n = elementsLeftInChunk(p, count - done);
            views[chunk].get(indexAt(p) / Double.BYTES, destination, destinationOffset + done, n);
            done += n;
            p += (long)n * Double.BYTES;
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
    public void set(final long index, final double[] source, final int sourceOffset, final int count)
    {
        Objects.checkFromIndexSize(sourceOffset, count, source.length);
        long p = offsetOfRange(index, count);
        int done = 0;
        while (done < count)
        {
            final int chunk = chunkOf(p);
            final int n = elementsLeftInChunk(p, count - done);
            views[chunk].put(indexAt(p) / Double.BYTES, source, sourceOffset + done, n);
            done += n;
            p += (long)n * Double.BYTES;
        }
    }

    /**
     * Copies the whole of {@code source} into the start of this array.
     *
     * @param source the Java array, at most {@link #length()} elements long.
     */
    public void set(final double[] source)
    {
        set(0, source, 0, source.length);
    }

    /**
     * @return a copy of the whole array.
     * @throws IllegalStateException if the array is too long for a Java array.
     */
    public double[] toArray()
    {
        final double[] copy = new double[checkedJavaLength()];
        get(0, copy, 0, copy.length);
        return copy;
    }
}
