package io.shm.segment;

import io.shm.map.MappedRegion;
import org.agrona.concurrent.AtomicBuffer;

import java.nio.MappedByteBuffer;

/**
 * A named object of a segment as this process has mapped it: its type, its length, and the memory
 * of its header and data. Typed views (values, arrays, synchronizers, channels) are built on it.
 * <p>
 * The object's data starts at {@link #DATA_OFFSET} of {@link #buffer()}; objects longer than
 * {@link MappedRegion#CHUNK_LENGTH} span several {@link #buffers()}. After the segment is closed,
 * {@link #checkOpen()} throws {@link IllegalStateException}: views call it before each access, so a
 * use after close fails cleanly instead of touching unmapped memory. Closing while another thread
 * still uses a view is a race the caller must avoid, as with any Agrona buffer.
 */
public final class SharedObject
{
    /**
     * Offset of the data from the start of the object.
     */
    public static final int DATA_OFFSET = ObjectHeaderDescriptor.LENGTH;

    private final Segment segment;
    private final String name;
    private final ObjectType type;
    private final long length;
    private final MappedRegion region;
    private final boolean created;
    private boolean closed;

    SharedObject(
        final Segment segment,
        final String name,
        final ObjectType type,
        final long length,
        final MappedRegion region,
        final boolean created)
    {
        this.segment = segment;
        this.name = name;
        this.type = type;
        this.length = length;
        this.region = region;
        this.created = created;
    }

    public Segment segment()
    {
        return segment;
    }

    public String name()
    {
        return name;
    }

    public ObjectType type()
    {
        return type;
    }

    /**
     * @return the number of elements.
     */
    public long length()
    {
        return length;
    }

    /**
     * @return whether this process created the object (and ran its initializer) rather than opened it.
     */
    public boolean created()
    {
        return created;
    }

    /**
     * @return the buffer over the object's first 1 GiB, header included.
     */
    public AtomicBuffer buffer()
    {
        return region.buffer();
    }

    /**
     * @return the buffers over the object's chunks of 1 GiB, in order.
     */
    public AtomicBuffer[] buffers()
    {
        return region.buffers();
    }

    /**
     * @return the NIO buffers over the object's chunks, for bulk copies through typed views.
     */
    public MappedByteBuffer[] mappings()
    {
        return region.mappings();
    }

    /**
     * @return false once the segment has been closed.
     */
    public boolean isOpen()
    {
        return !closed;
    }

    /**
     * @throws IllegalStateException if the segment has been closed.
     */
    public void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException(
                "object '" + name + "' of segment '" + segment.name() + "' is used after its segment was closed");
        }
    }

    /**
     * @return a description naming the segment and the object, for messages.
     */
    public String describe()
    {
        return type.name() + " '" + name + "' of segment '" + segment.name() + "'";
    }

    void close()
    {
        closed = true;
        region.close();
    }

    @Override
    public String toString()
    {
        return describe() + " length " + length;
    }
}
