package io.shm.value;

import io.shm.segment.ObjectType;
import io.shm.segment.TypeIds;
import io.shm.segment.Segment;
import io.shm.segment.SharedObject;
import org.agrona.concurrent.AtomicBuffer;

import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.MappedByteBuffer;
import java.util.Objects;
import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;

/**
 * An array of {@code char} in shared memory: Python's {@code RawArray('u', n)}, with the
 * per-element API of {@link java.util.concurrent.atomic.AtomicLongArray} and bulk copies to and from
 * Java arrays. Indexes are {@code long}: an array may exceed 2<sup>31</sup> bytes, and is then
 * mapped in chunks of 1 GiB.
 * <pre>{@code
 * CharArray array = CharArray.openOrCreate(segment, "samples", new char[] {1, 2, 3});
 * array.set(0, (char)4);
 * char[] copy = array.toArray();
 * }</pre>
 * Every index is checked: a bad one throws {@link IndexOutOfBoundsException} naming the array.
 * Memory effects are those of the method's name, as for {@link CharValue}; bulk copies are plain
 * (no ordering), so publish them with a release write or a lock.
 * <p>
 * Using the array after its segment is closed throws {@link IllegalStateException}.
 */
public final class CharArray extends ArrayView
{
    /**
     * The type recorded in the segment for this kind of object.
     */
    public static final ObjectType TYPE = ObjectType.of(TypeIds.CHAR_ARRAY, "CharArray", Character.BYTES);

    private final CharBuffer[] views;

    private CharArray(final SharedObject object)
    {
        super(object, Character.BYTES);
        final MappedByteBuffer[] mappings = object.mappings();
        views = new CharBuffer[mappings.length];
        for (int k = 0; k < mappings.length; k++)
        {
            views[k] = mappings[k].duplicate().order(ByteOrder.nativeOrder()).asCharBuffer();
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
    public static CharArray openOrCreate(final Segment segment, final String name, final long length, final char[] contents)
    {
        if (contents != null && contents.length != length)
        {
            throw new IllegalArgumentException("contents of " + name + " have " + contents.length +
                " elements, not " + length);
        }
        return new CharArray(segment.object(name, TYPE, length, object ->
        {
            if (contents != null)
            {
                new CharArray(object).set(0, contents, 0, contents.length);
            }
        }));
    }

    /**
     * Opens the array, or creates it with {@code length} zeros if the segment has none of that name.
     *
     * @param segment the segment.
     * @param name    the object name.
     * @param length  the number of elements of a new array; an existing one must have as many.
     * @return the array.
     */
    public static CharArray openOrCreate(final Segment segment, final String name, final long length)
    {
        return openOrCreate(segment, name, length, null);
    }

    /**
     * Opens the array, or creates it holding a copy of {@code contents} if the segment has none of
     * that name (Python's {@code RawArray('u', contents)}).
     *
     * @param segment  the segment.
     * @param name     the object name.
     * @param contents the elements of a new array; an existing one must have as many.
     * @return the array.
     */
    public static CharArray openOrCreate(final Segment segment, final String name, final char[] contents)
    {
        return openOrCreate(segment, name, contents.length, contents);
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
    public static CharArray open(final Segment segment, final String name)
    {
        return new CharArray(segment.openObject(name, TYPE));
    }

    /**
     * Reads the element at {@code index} with volatile semantics.
     */
    public char get(final long index)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return b.getCharVolatile(i);
    }

    /**
     * Writes the element at {@code index} with volatile semantics.
     */
    public void set(final long index, final char newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        b.putCharVolatile(i, newValue);
    }

    /**
     * Reads the element at {@code index} with no ordering (plain).
     */
    public char getPlain(final long index)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return b.getChar(i);
    }

    /**
     * Writes the element at {@code index} with no ordering (plain).
     */
    public void setPlain(final long index, final char newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        b.putChar(i, newValue);
    }

    /**
     * Reads the element at {@code index} with acquire semantics (pairs with {@code setRelease}).
     */
    public char getAcquire(final long index)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        final char value = b.getChar(i);
        VarHandle.acquireFence();
        return value;
    }

    /**
     * Writes the element at {@code index} with release semantics (pairs with {@code getAcquire}).
     */
    public void setRelease(final long index, final char newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        VarHandle.releaseFence();
        b.putChar(i, newValue);
    }

    /**
     * Reads the element at {@code index} with opaque semantics (volatile for sub-word types, which is stronger).
     */
    public char getOpaque(final long index)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return b.getCharVolatile(i);
    }

    /**
     * Writes the element at {@code index} with opaque semantics (volatile for sub-word types, which is stronger).
     */
    public void setOpaque(final long index, final char newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        b.putCharVolatile(i, newValue);
    }

    /**
     * Atomically sets the element at {@code index} to {@code newValue} if it equals {@code expectedValue}, with volatile semantics.
     *
     * @return whether it was set.
     */
    public boolean compareAndSet(final long index, final char expectedValue, final char newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return SubWord.compareAndSet(b, i, 2, expectedValue, newValue);
    }

    /**
     * Atomically sets the element at {@code index} and returns the previous value.
     */
    public char getAndSet(final long index, final char newValue)
    {
        final long p = offset(index);
        final AtomicBuffer b = bufferAt(p);
        final int i = indexAt(p);
        return (char)SubWord.getAndSet(b, i, 2, newValue);
    }

    /**
     * Atomically replaces the element at {@code index} with {@code function} of it, retrying while other writers interfere; the function must be free of side effects.
     *
     * @return the previous value.
     */
    public char getAndUpdate(final long index, final IntUnaryOperator function)
    {
        while (true)
        {
            final char previous = get(index);
            final char next = (char)function.applyAsInt(previous);
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
    public char updateAndGet(final long index, final IntUnaryOperator function)
    {
        while (true)
        {
            final char previous = get(index);
            final char next = (char)function.applyAsInt(previous);
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
    public char getAndAccumulate(final long index, final char x, final IntBinaryOperator function)
    {
        while (true)
        {
            final char previous = get(index);
            final char next = (char)function.applyAsInt(previous, x);
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
    public char accumulateAndGet(final long index, final char x, final IntBinaryOperator function)
    {
        while (true)
        {
            final char previous = get(index);
            final char next = (char)function.applyAsInt(previous, x);
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
    public void get(final long index, final char[] destination, final int destinationOffset, final int count)
    {
        Objects.checkFromIndexSize(destinationOffset, count, destination.length);
        long p = offsetOfRange(index, count);
        int done = 0;
        while (done < count)
        {
            final int chunk = chunkOf(p);
            final int n = elementsLeftInChunk(p, count - done);
            views[chunk].get(indexAt(p) / Character.BYTES, destination, destinationOffset + done, n);
            done += n;
            p += (long)n * Character.BYTES;
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
    public void set(final long index, final char[] source, final int sourceOffset, final int count)
    {
        Objects.checkFromIndexSize(sourceOffset, count, source.length);
        long p = offsetOfRange(index, count);
        int done = 0;
        while (done < count)
        {
            final int chunk = chunkOf(p);
            final int n = elementsLeftInChunk(p, count - done);
            views[chunk].put(indexAt(p) / Character.BYTES, source, sourceOffset + done, n);
            done += n;
            p += (long)n * Character.BYTES;
        }
    }

    /**
     * Copies the whole of {@code source} into the start of this array.
     *
     * @param source the Java array, at most {@link #length()} elements long.
     */
    public void set(final char[] source)
    {
        set(0, source, 0, source.length);
    }

    /**
     * @return a copy of the whole array.
     * @throws IllegalStateException if the array is too long for a Java array.
     */
    public char[] toArray()
    {
        final char[] copy = new char[checkedJavaLength()];
        get(0, copy, 0, copy.length);
        return copy;
    }
}
