package io.shm.collections;

import io.shm.exceptions.SegmentFullException;
import io.shm.segment.Companion;
import io.shm.segment.ObjectType;
import io.shm.segment.SharedObject;
import io.shm.segment.TypeId;
import org.agrona.concurrent.AtomicBuffer;

import java.util.concurrent.atomic.AtomicReferenceArray;

import static io.shm.collections.MapDescriptor.*;

/**
 * The memory a container's entries and tables live in: a chain of extent objects of doubling length
 * (the first {@code FIRST_EXTENT_LENGTH}, each next one twice the last, at most 512 MiB), made in
 * the segment when the one before is full, so that growing never moves what other processes have
 * mapped. Blocks are handed out from one cursor by CAS, so allocation takes no lock and a process
 * killed right after its CAS leaks one block and breaks nothing. Freed entries are not returned
 * here: each stripe keeps free lists by size class ({@link Stripe}).
 * <p>
 * Each process maps an extent the first time a ref leads into it. A ref read by a lock-free reader
 * may be torn garbage; {@link #buffer(long, int)} returns null for one that leads outside the
 * extents or their bounds, and the reader's sequence check then sends it round again.
 */
final class Heap
{
    static final ObjectType EXTENT = ObjectType.of(TypeId.MAP_EXTENT, "MapExtent", 1);

    private final SharedObject root;
    private final AtomicBuffer rootBuffer;
    private final long firstExtentLength;
    // Published with a release store: another thread that sees a buffer sees it whole.
    private final AtomicReferenceArray<AtomicBuffer> extents = new AtomicReferenceArray<>(MAX_EXTENTS);

    Heap(final SharedObject root)
    {
        this.root = root;
        this.rootBuffer = root.buffer();
        this.firstExtentLength = rootBuffer.getLong(SharedObject.DATA_OFFSET + FIRST_EXTENT_LENGTH_OFFSET);
    }

    /**
     * Writes a new heap's fields into a root being created (before it is published).
     */
    static void initialize(final AtomicBuffer root, final long firstExtentLength)
    {
        root.putLong(SharedObject.DATA_OFFSET + FIRST_EXTENT_LENGTH_OFFSET, firstExtentLength);
        root.putLong(SharedObject.DATA_OFFSET + CURSOR_OFFSET, ref(0, SharedObject.DATA_OFFSET));
        root.putLong(SharedObject.DATA_OFFSET + EXTENTS_OFFSET, 0);
    }

    /**
     * @return the data length of extent {@code k}.
     */
    long extentLength(final int k)
    {
        return Math.min(firstExtentLength << Math.min(k, MAX_EXTENT_SHIFT), MAX_EXTENT_LENGTH);
    }

    /**
     * Hands out {@code length} fresh bytes, aligned to {@code alignment} (a power of two, at least 16).
     *
     * @return the block's ref.
     * @throws SegmentFullException if no extent can hold it and the segment has no room for another.
     */
    long allocate(final long length, final int alignment)
    {
        if (length > MAX_EXTENT_LENGTH)
        {
            throw new SegmentFullException(root.describe() + " cannot hold a block of " + length + " bytes: " +
                "its extents are at most " + MAX_EXTENT_LENGTH + " bytes");
        }
        final int cursor = SharedObject.DATA_OFFSET + CURSOR_OFFSET;
        while (true)
        {
            final long current = rootBuffer.getLongVolatile(cursor);
            final int k = extentOf(current);
            final long start = (offsetOf(current) + (long)alignment - 1) & -alignment;
            if (start + length <= SharedObject.DATA_OFFSET + extentLength(k))
            {
                extent(k);
                if (rootBuffer.compareAndSetLong(cursor, current, ref(k, (int)start) + length))
                {
                    return ref(k, (int)start);
                }
            }
            else
            {
                // Make the next extent before the cursor may point into it: every ref below the
                // cursor lies in an extent that exists.
                extent(k + 1);
                rootBuffer.compareAndSetLong(cursor, current, ref(k + 1, SharedObject.DATA_OFFSET));
            }
        }
    }

    /**
     * @return the bytes handed out so far, and the length of all extents.
     */
    long[] usage()
    {
        final long current = rootBuffer.getLongVolatile(SharedObject.DATA_OFFSET + CURSOR_OFFSET);
        long used = 0;
        long total = 0;
        for (int k = 0; k < extentsPublished(); k++)
        {
            total += extentLength(k);
            used += k < extentOf(current) ? extentLength(k) : k == extentOf(current) ? offsetOf(current) - SharedObject.DATA_OFFSET : 0;
        }
        return new long[] {used, total};
    }

    int extentsPublished()
    {
        return (int)rootBuffer.getLongVolatile(SharedObject.DATA_OFFSET + EXTENTS_OFFSET);
    }

    /**
     * @return the buffer holding the block at {@code ref} of {@code length} bytes, or null if the
     * ref does not lead inside an extent.
     */
    AtomicBuffer buffer(final long ref, final int length)
    {
        final int k = extentOf(ref);
        final int offset = offsetOf(ref);
        if (k < 0 || k >= MAX_EXTENTS || offset < SharedObject.DATA_OFFSET || length < 0)
        {
            return null;
        }
        AtomicBuffer buffer = extents.getAcquire(k);
        if (buffer == null)
        {
            if (k >= extentsPublished())
            {
                return null;
            }
            buffer = extent(k);
        }
        return (long)offset + length <= buffer.capacity() ? buffer : null;
    }

    /**
     * @return the buffer of the block at a ref known to be good (one this process wrote or took under the lock).
     */
    AtomicBuffer at(final long ref)
    {
        final AtomicBuffer buffer = extents.getAcquire(extentOf(ref));
        return buffer != null ? buffer : extent(extentOf(ref));
    }

    /**
     * Maps extent {@code k}, making it if no process has.
     */
    private synchronized AtomicBuffer extent(final int k)
    {
        final AtomicBuffer known = k < MAX_EXTENTS ? extents.getAcquire(k) : null;
        if (known != null)
        {
            return known;
        }
        if (k >= MAX_EXTENTS)
        {
            throw new SegmentFullException(root.describe() + " has all of its " + MAX_EXTENTS + " extents");
        }
        final String name = Companion.EXTENT.of(root.segment().name(), root.name(), k);
        final SharedObject extent;
        try
        {
            extent = root.segment().object(name, EXTENT, extentLength(k), created -> { });
        }
        catch (final SegmentFullException ex)
        {
            throw new SegmentFullException(root.describe() + " needs its extent " + k + " of " + extentLength(k) +
                " bytes and " + ex.getMessage() + "; make the segment larger (SegmentOptions.withSize)", ex);
        }
        final int published = SharedObject.DATA_OFFSET + EXTENTS_OFFSET;
        for (long seen = rootBuffer.getLongVolatile(published); seen < k + 1; seen = rootBuffer.getLongVolatile(published))
        {
            rootBuffer.compareAndSetLong(published, seen, k + 1);
        }
        extents.setRelease(k, extent.buffer());
        return extent.buffer();
    }
}
