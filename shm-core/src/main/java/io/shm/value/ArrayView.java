package io.shm.value;

import io.shm.map.MappedRegion;
import io.shm.segment.SharedObject;
import org.agrona.concurrent.AtomicBuffer;

/**
 * What every typed array has in common: its length, bounds checks, and the arithmetic that finds
 * element {@code index} in the object's chunks. The element at {@code index} starts at object
 * offset {@code p = DATA_OFFSET + index * elementSize}, in chunk {@code p >>> 30} at
 * {@code p & (2^30 - 1)}; elements are aligned to their size, so none straddles two chunks.
 */
public abstract class ArrayView extends SharedView
{
    private final AtomicBuffer[] buffers;
    private final long length;
    private final int elementSize;

    ArrayView(final SharedObject object, final int elementSize)
    {
        super(object);
        this.buffers = object.buffers();
        this.length = object.length();
        this.elementSize = elementSize;
    }

    /**
     * @return the number of elements.
     */
    public final long length()
    {
        return length;
    }

    /**
     * @param index an element index.
     * @return the offset of the element in the object.
     * @throws IndexOutOfBoundsException if the index is outside the array.
     */
    final long offset(final long index)
    {
        checkOpen();
        if (index < 0 || index >= length)
        {
            throw new IndexOutOfBoundsException("index " + index + " is out of bounds for " + object.describe() +
                " of length " + length);
        }
        return SharedObject.DATA_OFFSET + index * elementSize;
    }

    /**
     * @param index the first element of a range.
     * @param count the number of elements.
     * @return the offset of the first element in the object.
     * @throws IndexOutOfBoundsException if the range is not inside the array.
     */
    final long offsetOfRange(final long index, final int count)
    {
        checkOpen();
        if (index < 0 || count < 0 || index > length - count)
        {
            throw new IndexOutOfBoundsException("range [" + index + ", " + index + " + " + count + ") is out of bounds for " +
                object.describe() + " of length " + length);
        }
        return SharedObject.DATA_OFFSET + index * elementSize;
    }

    final AtomicBuffer bufferAt(final long offset)
    {
        return buffers[chunkOf(offset)];
    }

    static int chunkOf(final long offset)
    {
        return (int)(offset >>> MappedRegion.CHUNK_SHIFT);
    }

    static int indexAt(final long offset)
    {
        return (int)(offset & MappedRegion.CHUNK_MASK);
    }

    /**
     * @return how many of {@code wanted} elements from {@code offset} lie in the same chunk.
     */
    final int elementsLeftInChunk(final long offset, final int wanted)
    {
        final long room = (MappedRegion.CHUNK_LENGTH - (offset & MappedRegion.CHUNK_MASK)) / elementSize;
        return (int)Math.min(wanted, room);
    }

    /**
     * @return the length as an {@code int}, for copying into a Java array.
     * @throws IllegalStateException if the array has more elements than a Java array can hold.
     */
    final int checkedJavaLength()
    {
        if (length > Integer.MAX_VALUE - 8)
        {
            throw new IllegalStateException(object.describe() + " has " + length +
                " elements, too many for one Java array; copy it in ranges");
        }
        return (int)length;
    }
}
