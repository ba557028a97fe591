package io.shm.value;

import io.shm.segment.ObjectType;
import io.shm.segment.TypeIds;
import io.shm.segment.Segment;
import io.shm.segment.SharedObject;
import org.agrona.concurrent.AtomicBuffer;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.util.Objects;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * An array of {@code float} in shared memory: Python's {@code RawArray('f', n)}, with the
 * per-element API of {@link java.util.concurrent.atomic.AtomicLongArray} and bulk copies to and from
 * Java arrays. Indexes are {@code long}: an array may exceed 2<sup>31</sup> bytes, and is then
 * mapped in chunks of 1 GiB.
 * <pre>{@code
 * FloatArray array = segment.floatArray("samples", new float[] {1, 2, 3});
 * array.set(0, (float)4);
 * float[] copy = array.toArray();
 * }</pre>
 * Every index is checked: a bad one throws {@link IndexOutOfBoundsException} naming the array.
 * Memory effects are those of the method's name, as for {@link FloatValue}; bulk copies are plain
 * (no ordering), so publish them with a release write or a lock.
 * <p>
 * Using the array after its segment is closed throws {@link IllegalStateException}.
 */
public final class FloatArray extends ArrayView
{
    /**
     * The type recorded in the segment for this kind of object.
     */
    public static final ObjectType TYPE = ObjectType.of(TypeIds.FLOAT_ARRAY, "FloatArray", Float.BYTES);

    private final FloatBuffer[] views;

    private FloatArray(final SharedObject object)
    {
        super(object, Float.BYTES);
        final MappedByteBuffer[] mappings = object.mappings();
        views = new FloatBuffer[mappings.length];
        for (int k = 0; k < mappings.length; k++)
        {
            views[k] = mappings[k].duplicate().order(ByteOrder.nativeOrder()).asFloatBuffer();
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
    public static FloatArray openOrCreate(final Segment segment, final String name, final long length, final float[] contents)
    {
        if (contents != null && contents.length != length)
        {
            throw new IllegalArgumentException("contents of " + name + " have " + contents.length +
                " elements, not " + length);
        }
        return new FloatArray(segment.object(name, TYPE, length, object ->
        {
            if (contents != null)
            {
                new FloatArray(object).set(0, contents, 0, contents.length);
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
    public static FloatArray open(final Segment segment, final String name)
    {
        return new FloatArray(segment.openObject(name, TYPE));
    }

    /**
     * Reads the element at {@code index} with volatile semantics.
     */
    public float get(final long index)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return Float.intBitsToFloat(b.getIntVolatile(i));
    }

    /**
     * Writes the element at {@code index} with volatile semantics.
     */
    public void set(final long index, final float newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        b.putIntVolatile(i, Float.floatToRawIntBits(newValue));
    }

    /**
     * Reads the element at {@code index} with no ordering (plain).
     */
    public float getPlain(final long index)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return Float.intBitsToFloat(b.getInt(i));
    }

    /**
     * Writes the element at {@code index} with no ordering (plain).
     */
    public void setPlain(final long index, final float newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        b.putInt(i, Float.floatToRawIntBits(newValue));
    }

    /**
     * Reads the element at {@code index} with acquire semantics (pairs with {@code setRelease}).
     */
    public float getAcquire(final long index)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return Float.intBitsToFloat(b.getIntAcquire(i));
    }

    /**
     * Writes the element at {@code index} with release semantics (pairs with {@code getAcquire}).
     */
    public void setRelease(final long index, final float newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        b.putIntRelease(i, Float.floatToRawIntBits(newValue));
    }

    /**
     * Reads the element at {@code index} with opaque semantics.
     */
    public float getOpaque(final long index)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return Float.intBitsToFloat(b.getIntOpaque(i));
    }

    /**
     * Writes the element at {@code index} with opaque semantics.
     */
    public void setOpaque(final long index, final float newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        b.putIntOpaque(i, Float.floatToRawIntBits(newValue));
    }

    /**
     * Atomically sets the element at {@code index} to {@code newValue} if it equals {@code expectedValue}, with volatile semantics. Floating-point values compare by their raw bits, so {@code NaN} matches {@code NaN} and {@code 0.0} does not match {@code -0.0}.
     *
     * @return whether it was set.
     */
    public boolean compareAndSet(final long index, final float expectedValue, final float newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return b.compareAndSetInt(i, Float.floatToRawIntBits(expectedValue), Float.floatToRawIntBits(newValue));
    }

    /**
     * Atomically sets the element at {@code index} and returns the previous value.
     */
    public float getAndSet(final long index, final float newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return Float.intBitsToFloat(b.getAndSetInt(i, Float.floatToRawIntBits(newValue)));
    }

    /**
     * Atomically adds {@code delta} to the element at {@code index}.
     *
     * @return the previous value.
     */
    public float getAndAdd(final long index, final float delta)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        while (true)
        {
            final int bits = b.getIntVolatile(i);
            final float previous = Float.intBitsToFloat(bits);
            if (b.compareAndSetInt(i, bits, Float.floatToRawIntBits(previous + delta)))
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
    public float addAndGet(final long index, final float delta)
    {
        return getAndAdd(index, delta) + delta;
    }

    /**
     * Atomically replaces the element at {@code index} with {@code function} of it, retrying while other writers interfere; the function must be free of side effects.
     *
     * @return the previous value.
     */
    public float getAndUpdate(final long index, final DoubleUnaryOperator function)
    {
        while (true)
        {
            final float previous = get(index);
            final float next = (float)function.applyAsDouble(previous);
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
    public float updateAndGet(final long index, final DoubleUnaryOperator function)
    {
        while (true)
        {
            final float previous = get(index);
            final float next = (float)function.applyAsDouble(previous);
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
    public float getAndAccumulate(final long index, final float x, final DoubleBinaryOperator function)
    {
        while (true)
        {
            final float previous = get(index);
            final float next = (float)function.applyAsDouble(previous, x);
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
    public float accumulateAndGet(final long index, final float x, final DoubleBinaryOperator function)
    {
        while (true)
        {
            final float previous = get(index);
            final float next = (float)function.applyAsDouble(previous, x);
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
    public void get(final long index, final float[] destination, final int destinationOffset, final int count)
    {
        Objects.checkFromIndexSize(destinationOffset, count, destination.length);
        long p = offsetOfRange(index, count);
        int done = 0;
        while (done < count)
        {
            final int chunk = chunkOf(p);
            final int n = elementsLeftInChunk(p, count - done);
            views[chunk].get(indexAt(p) / Float.BYTES, destination, destinationOffset + done, n);
            done += n;
            p += (long)n * Float.BYTES;
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
    public void set(final long index, final float[] source, final int sourceOffset, final int count)
    {
        Objects.checkFromIndexSize(sourceOffset, count, source.length);
        long p = offsetOfRange(index, count);
        int done = 0;
        while (done < count)
        {
            final int chunk = chunkOf(p);
            final int n = elementsLeftInChunk(p, count - done);
            views[chunk].put(indexAt(p) / Float.BYTES, source, sourceOffset + done, n);
            done += n;
            p += (long)n * Float.BYTES;
        }
    }

    /**
     * Copies the whole of {@code source} into the start of this array.
     *
     * @param source the Java array, at most {@link #length()} elements long.
     */
    public void set(final float[] source)
    {
        set(0, source, 0, source.length);
    }

    /**
     * @return a copy of the whole array.
     * @throws IllegalStateException if the array is too long for a Java array.
     */
    public float[] toArray()
    {
        final float[] copy = new float[checkedJavaLength()];
        get(0, copy, 0, copy.length);
        return copy;
    }
}
