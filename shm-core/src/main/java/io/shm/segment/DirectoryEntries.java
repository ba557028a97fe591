package io.shm.segment;

import io.shm.exceptions.CorruptSegmentException;
import io.shm.exceptions.SegmentFullException;
import io.shm.map.MappedRegion;
import io.shm.process.ProcessSlot;
import org.agrona.concurrent.AtomicBuffer;

import java.nio.channels.FileChannel;
import java.util.function.LongSupplier;

import static io.shm.segment.SegmentDescriptor.*;

/**
 * Where each directory entry and its open bits live: the first {@code capacity + 1} in the header
 * region, the rest in directory blocks made in the data area as the directory grows, block
 * {@code k} holding {@code (capacity + 1) << k} entries followed by one open bitmap per attached
 * slot. The header lists the blocks' offsets and publishes their count last (release), after the
 * block is zeroed: a reader that sees the count sees FREE entries and clear bits.
 * <p>
 * An entry's <b>address</b> packs which buffer ({@code 0} the header, {@code k + 1} block
 * {@code k}) above its offset in that buffer, so that {@code address + FIELD_OFFSET} addresses a
 * field, as an offset into one buffer would.
 */
final class DirectoryEntries
{
    private final FileChannel channel;
    private final AtomicBuffer header;
    private final int capacity;
    private final int baseEntries;
    private final MappedRegion[] blocks = new MappedRegion[MAX_DIRECTORY_BLOCKS];

    DirectoryEntries(final FileChannel channel, final AtomicBuffer header, final int capacity)
    {
        this.channel = channel;
        this.header = header;
        this.capacity = capacity;
        this.baseEntries = entries(capacity);
    }

    /**
     * @return how many entries the directory has now.
     */
    int count()
    {
        return baseEntries << blockCount();
    }

    private int blockCount()
    {
        return (int)header.getLongVolatile(DIRECTORY_BLOCK_COUNT_OFFSET);
    }

    /**
     * @return entry {@code index}'s address.
     */
    long address(final int index)
    {
        if (index < baseEntries)
        {
            return HEADER_LENGTH + (long)index * DirectoryEntryDescriptor.LENGTH;
        }
        final int k = blockOf(index);
        return (long)(k + 1) << 32 | (long)(index - (baseEntries << k)) * DirectoryEntryDescriptor.LENGTH;
    }

    private int blockOf(final int index)
    {
        return 31 - Integer.numberOfLeadingZeros(index / baseEntries);
    }

    AtomicBuffer buffer(final long address)
    {
        final int which = (int)(address >>> 32);
        return which == 0 ? header : block(which - 1);
    }

    static int offset(final long address)
    {
        return (int)address;
    }

    long getLongVolatile(final long address)
    {
        return buffer(address).getLongVolatile(offset(address));
    }

    long getLong(final long address)
    {
        return buffer(address).getLong(offset(address));
    }

    int getInt(final long address)
    {
        return buffer(address).getInt(offset(address));
    }

    byte getByte(final long address)
    {
        return buffer(address).getByte(offset(address));
    }

    void getBytes(final long address, final byte[] bytes)
    {
        buffer(address).getBytes(offset(address), bytes);
    }

    boolean compareAndSetLong(final long address, final long expected, final long value)
    {
        return buffer(address).compareAndSetLong(offset(address), expected, value);
    }

    void putLong(final long address, final long value)
    {
        buffer(address).putLong(offset(address), value);
    }

    void putLongVolatile(final long address, final long value)
    {
        buffer(address).putLongVolatile(offset(address), value);
    }

    void putLongRelease(final long address, final long value)
    {
        buffer(address).putLongRelease(offset(address), value);
    }

    void putInt(final long address, final int value)
    {
        buffer(address).putInt(offset(address), value);
    }

    void putBytes(final long address, final byte[] bytes)
    {
        buffer(address).putBytes(offset(address), bytes);
    }

    void writeStartTime(final long address)
    {
        ProcessSlot.writeStartTime(buffer(address), offset(address));
    }

    long holderStartTime(final long entry, final long word)
    {
        return ProcessSlot.holderStartTime(buffer(entry), offset(entry) + DirectoryEntryDescriptor.RESERVER_START_TIME_OFFSET,
            offset(entry) + DirectoryEntryDescriptor.STATE_WORD_OFFSET, word);
    }

    boolean clearStartTimeOfDead(final long address, final long startTime)
    {
        return ProcessSlot.clearStartTimeOfDead(buffer(address), offset(address), startTime);
    }

    /**
     * @return the address of the long holding entry {@code index}'s bit in attached slot {@code slot}'s bitmap.
     */
    long bitAddress(final int slot, final int index)
    {
        if (index < baseEntries)
        {
            return openBitOffset(capacity, slot, index);
        }
        final int k = blockOf(index);
        final int entries = baseEntries << k;
        final int local = index - entries;
        return (long)(k + 1) << 32 | ((long)entries * DirectoryEntryDescriptor.LENGTH + (long)slot * blockBitmapLength(entries) +
            local / Long.SIZE * Long.BYTES);
    }

    /**
     * Clears attached slot {@code slot}'s open bits in the header and in every block.
     */
    void clearSlot(final int slot)
    {
        header.setMemory(openBitOffset(capacity, slot, 0), bitmapLength(capacity), (byte)0);
        for (int k = 0; k < blockCount(); k++)
        {
            final int entries = baseEntries << k;
            block(k).setMemory(entries * DirectoryEntryDescriptor.LENGTH + slot * blockBitmapLength(entries),
                blockBitmapLength(entries), (byte)0);
        }
    }

    /**
     * Adds the next block, its space from {@code space} (given its length); under the creation reservation.
     *
     * @throws SegmentFullException if the directory has all its blocks.
     */
    void grow(final java.util.function.LongUnaryOperator space)
    {
        final int k = blockCount();
        if (k >= MAX_DIRECTORY_BLOCKS)
        {
            throw new SegmentFullException("the directory has all of its " + MAX_DIRECTORY_BLOCKS + " blocks (" +
                count() + " entries)");
        }
        final long length = blockLength(baseEntries << k);
        final long offset = space.applyAsLong(length);
        try (MappedRegion region = MappedRegion.map(channel, offset, length))
        {
            // The space may hold a deleted object's bytes: a block starts with FREE entries and clear bits.
            region.buffer().setMemory(0, (int)length, (byte)0);
        }
        header.putLong(directoryBlockOffset(k), offset);
        // Release: the zeroed block and its offset are visible to whoever reads the new count.
        header.putLongRelease(DIRECTORY_BLOCK_COUNT_OFFSET, k + 1);
    }

    private synchronized AtomicBuffer block(final int k)
    {
        if (blocks[k] == null)
        {
            if (k >= blockCount())
            {
                throw new CorruptSegmentException("directory block " + k + " is not published");
            }
            blocks[k] = MappedRegion.map(channel, header.getLong(directoryBlockOffset(k)), blockLength(baseEntries << k));
        }
        return blocks[k].buffer();
    }

    synchronized void close()
    {
        for (int k = 0; k < blocks.length; k++)
        {
            if (blocks[k] != null)
            {
                blocks[k].close();
                blocks[k] = null;
            }
        }
    }

    static int blockBitmapLength(final int entries)
    {
        return (entries + Long.SIZE - 1) / Long.SIZE * Long.BYTES;
    }

    static long blockLength(final int entries)
    {
        return align((long)entries * DirectoryEntryDescriptor.LENGTH + (long)MAX_ATTACHED * blockBitmapLength(entries),
            OBJECT_ALIGNMENT);
    }
}
