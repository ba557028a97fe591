package io.shm.map;

import org.agrona.IoUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A byte range of a file, mapped read-write and shared, seen as one or more Agrona
 * {@link AtomicBuffer}s. This is the only class of the library that maps or unmaps memory.
 * <p>
 * A buffer's capacity is an {@code int}, so a region longer than {@link #CHUNK_LENGTH} is mapped as
 * several consecutive chunks of exactly {@code CHUNK_LENGTH} bytes (the last one shorter). A byte at
 * region offset {@code p} is in chunk {@code p >>> CHUNK_SHIFT} at index {@code p & CHUNK_MASK}.
 * Chunk boundaries are multiples of 2<sup>30</sup> from the region's start, so an aligned element of
 * up to 8 bytes never straddles two chunks.
 * <p>
 * The caller validates {@code offset + length} against the file's real length first: touching a
 * mapped page past the end of the file raises SIGBUS.
 */
public final class MappedRegion implements AutoCloseable
{
    /**
     * Log2 of the chunk length.
     */
    public static final int CHUNK_SHIFT = 30;

    /**
     * Length in bytes of every chunk but the last.
     */
    public static final long CHUNK_LENGTH = 1L << CHUNK_SHIFT;

    /**
     * Mask of a region offset that gives the index within its chunk.
     */
    public static final long CHUNK_MASK = CHUNK_LENGTH - 1;

    private final long length;
    private final MappedByteBuffer[] mappings;
    private final AtomicBuffer[] buffers;

    private MappedRegion(final long length, final MappedByteBuffer[] mappings, final AtomicBuffer[] buffers)
    {
        this.length = length;
        this.mappings = mappings;
        this.buffers = buffers;
    }

    /**
     * Maps {@code [offset, offset + length)} of a file.
     *
     * @param channel a channel open for reading and writing.
     * @param offset  the first byte of the region in the file.
     * @param length  the number of bytes, at least 1.
     * @return the mapped region.
     * @throws UncheckedIOException if the mapping fails; chunks already mapped are unmapped.
     */
    public static MappedRegion map(final FileChannel channel, final long offset, final long length)
    {
        if (offset < 0 || length <= 0)
        {
            throw new IllegalArgumentException("cannot map offset " + offset + " length " + length);
        }
        final int count = (int)((length + CHUNK_MASK) >>> CHUNK_SHIFT);
        final MappedByteBuffer[] mappings = new MappedByteBuffer[count];
        final AtomicBuffer[] buffers = new AtomicBuffer[count];
        try
        {
            for (int i = 0; i < count; i++)
            {
                final long chunkOffset = (long)i << CHUNK_SHIFT;
                final long chunkLength = Math.min(CHUNK_LENGTH, length - chunkOffset);
                mappings[i] = channel.map(FileChannel.MapMode.READ_WRITE, offset + chunkOffset, chunkLength);
                buffers[i] = new UnsafeBuffer(mappings[i]);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            for (final MappedByteBuffer mapping : mappings)
            {
                if (mapping != null)
                {
                    IoUtil.unmap(mapping);
                }
            }
            if (ex instanceof IOException io)
            {
                throw new UncheckedIOException("cannot map " + length + " bytes at offset " + offset, io);
            }
            throw (RuntimeException)ex;
        }
        return new MappedRegion(length, mappings, buffers);
    }

    /**
     * @return the length of the region in bytes.
     */
    public long length()
    {
        return length;
    }

    /**
     * @return the buffer over the first chunk (the whole region when it is at most {@link #CHUNK_LENGTH}).
     */
    public AtomicBuffer buffer()
    {
        return buffers[0];
    }

    /**
     * @return the buffers over the chunks, in order; the array is shared, not copied.
     */
    public AtomicBuffer[] buffers()
    {
        return buffers;
    }

    /**
     * @return the mapped byte buffers behind the chunks, in order; for bulk copies through NIO views.
     */
    public MappedByteBuffer[] mappings()
    {
        return mappings;
    }

    /**
     * Unmaps every chunk. Any later access through this region's buffers crashes the JVM, so the
     * owners of a region make sure nothing uses it after close.
     */
    @Override
    public void close()
    {
        for (final MappedByteBuffer mapping : mappings)
        {
            IoUtil.unmap(mapping);
        }
    }
}
