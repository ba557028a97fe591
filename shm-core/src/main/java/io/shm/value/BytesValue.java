package io.shm.value;

import io.shm.segment.ObjectType;
import io.shm.segment.Segment;
import io.shm.segment.SharedObject;
import io.shm.segment.TypeId;
import org.agrona.concurrent.AtomicBuffer;

import java.nio.charset.StandardCharsets;

/**
 * A byte string of fixed capacity in shared memory: Python's {@code Array('c', n)} read and written
 * through {@code .value}, but length-prefixed, so it holds any bytes, NULs included, and never strips
 * them.
 * <pre>{@code
 * BytesValue greeting = BytesValue.openOrCreate(segment, "greeting", 64);
 * greeting.setString("hello");
 * String text = greeting.getString();
 * }</pre>
 * <b>Layout:</b> a 4-byte length, then {@code capacity} bytes. A write stores the bytes, then the
 * length with a release store; a read loads the length with an acquire load, then the bytes. A read
 * that races with a write may see a mix of old and new bytes: share a string that changes under a
 * lock (shm-sync pairs values with one).
 */
public final class BytesValue extends SharedView
{
    /**
     * The type recorded in the segment for this kind of object; one element per byte, length prefix included.
     */
    public static final ObjectType TYPE = ObjectType.of(TypeId.BYTES_VALUE, "BytesValue", 1);

    private static final int LENGTH_INDEX = SharedObject.DATA_OFFSET;
    private static final int BYTES_INDEX = LENGTH_INDEX + Integer.BYTES;

    private final AtomicBuffer buffer;
    private final int capacity;

    private BytesValue(final SharedObject object)
    {
        super(object);
        this.buffer = object.buffer();
        this.capacity = (int)(object.length() - Integer.BYTES);
    }

    /**
     * Opens the value, or creates it empty if the segment has none of that name.
     *
     * @param segment  the segment.
     * @param name     the object name.
     * @param capacity the most bytes it can hold.
     * @return the value.
     * @throws io.shm.exceptions.LengthMismatchException if it exists with another capacity.
     */
    public static BytesValue openOrCreate(final Segment segment, final String name, final int capacity)
    {
        return new BytesValue(segment.object(name, TYPE, checkCapacity(name, capacity), object -> { }));
    }

    /**
     * Creates the value, empty.
     *
     * @param capacity the most bytes it can hold.
     * @throws io.shm.exceptions.ObjectExistsException if the segment has an object of that name.
     */
    public static BytesValue create(final Segment segment, final String name, final int capacity)
    {
        return new BytesValue(segment.createObject(name, TYPE, checkCapacity(name, capacity), object -> { }));
    }

    private static long checkCapacity(final String name, final int capacity)
    {
        if (capacity < 0 || capacity > Integer.MAX_VALUE - 64)
        {
            throw new IllegalArgumentException("capacity of BytesValue '" + name + "' must be 0 to " +
                (Integer.MAX_VALUE - 64) + ": " + capacity);
        }
        return capacity + (long)Integer.BYTES;
    }

    /**
     * Opens an existing value.
     *
     * @param segment the segment.
     * @param name    the object name.
     * @return the value.
     */
    public static BytesValue open(final Segment segment, final String name)
    {
        return new BytesValue(segment.openObject(name, TYPE));
    }

    /**
     * @return the most bytes the value can hold.
     */
    public int capacity()
    {
        return capacity;
    }

    /**
     * @return the number of bytes it holds now.
     */
    public int length()
    {
        checkOpen();
        return checkedLength(buffer.getIntAcquire(LENGTH_INDEX));
    }

    /**
     * @return a copy of the bytes it holds.
     */
    public byte[] getBytes()
    {
        checkOpen();
        final byte[] bytes = new byte[checkedLength(buffer.getIntAcquire(LENGTH_INDEX))];
        buffer.getBytes(BYTES_INDEX, bytes);
        return bytes;
    }

    /**
     * Replaces the contents.
     *
     * @param bytes the new contents, at most {@link #capacity()} bytes.
     * @throws IllegalArgumentException if they are longer than the capacity; the old contents stay.
     */
    public void setBytes(final byte[] bytes)
    {
        checkOpen();
        if (bytes.length > capacity)
        {
            throw new IllegalArgumentException(bytes.length + " bytes do not fit " + object.describe() +
                " of capacity " + capacity);
        }
        buffer.putBytes(BYTES_INDEX, bytes);
        // Release: a reader that acquires the new length sees the bytes written above.
        buffer.putIntRelease(LENGTH_INDEX, bytes.length);
    }

    /**
     * @return the contents decoded as UTF-8.
     */
    public String getString()
    {
        return new String(getBytes(), StandardCharsets.UTF_8);
    }

    /**
     * Replaces the contents with a string encoded as UTF-8.
     *
     * @param value the string; its UTF-8 form must fit the capacity.
     */
    public void setString(final String value)
    {
        setBytes(value.getBytes(StandardCharsets.UTF_8));
    }

    private int checkedLength(final int length)
    {
        if (length < 0 || length > capacity)
        {
            throw new io.shm.exceptions.CorruptSegmentException(object.describe() + " records length " + length +
                " outside its capacity " + capacity);
        }
        return length;
    }

    @Override
    public String toString()
    {
        return object.isOpen() ? getString() : "BytesValue '" + name() + "' (closed)";
    }
}
