package io.shm.segment;

import static org.agrona.BitUtil.CACHE_LINE_LENGTH;
import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Layout of a segment file: a header page, the directory of named objects, then the objects.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  Magic "SHMSEGMT" (8 bytes)                   |  0
 *  +---------------------------------------------------------------+
 *  |                        Layout Version                         |  8
 *  +---------------------------------------------------------------+
 *  |                             State                             | 12
 *  +---------------------------------------------------------------+
 *  |                   Segment Size (8 bytes)                      | 16
 *  +---------------------------------------------------------------+
 *  |                   Creator Pid (8 bytes)                       | 24
 *  +---------------------------------------------------------------+
 *  |                Creator Start Time (8 bytes)                   | 32
 *  +---------------------------------------------------------------+
 *  |              Created At, epoch ms (8 bytes)                   | 40
 *  +---------------------------------------------------------------+
 *  |                       Directory Offset                        | 48
 *  +---------------------------------------------------------------+
 *  |                      Directory Capacity                       | 52
 *  +---------------------------------------------------------------+
 *  |                    Data Offset (8 bytes)                      | 56
 *  +---------------------------------------------------------------+
 *  |       Allocation Cursor (8 bytes, own cache line, CAS)        | 64
 *  +---------------------------------------------------------------+
 *  |       Maximum Size (8 bytes): the most the segment grows to   | 72
 *  +---------------------------------------------------------------+
 *  |  Unrecorded Attachments (8 bytes): opens without a slot, CAS  | 80
 *  +---------------------------------------------------------------+
 *  |   High Water (8 bytes): the highest the cursor has been       | 88
 *  +---------------------------------------------------------------+
 *  |                      Reserved (to 128)                       ...
 *  +---------------------------------------------------------------+
 *  |   Attached processes: 64 slots of Pid (8), Start Time (8)    ... 128
 *  +---------------------------------------------------------------+
 *  |   Directory Block Count (8), then 16 Block Offsets (8 each)   ... 1152
 *  +---------------------------------------------------------------+
 *  |                  Reserved up to HEADER_LENGTH                ... 1288
 *  +---------------------------------------------------------------+
 *  |   Directory: Directory Capacity + 1 entries of               ... HEADER_LENGTH
 *  |   DirectoryEntryDescriptor.LENGTH bytes                      ...
 *  +---------------------------------------------------------------+
 *  |   Open bitmaps: per attached slot, one bit per directory      ... openBitmapsOffset
 *  |   entry (whole longs): the objects that slot's process has    ...
 *  |   mapped                                                      ...
 *  +---------------------------------------------------------------+
 *  |   Objects, each 64-byte aligned, each an ObjectHeader        ... Data Offset
 *  |   followed by its data                                       ...
 *  +---------------------------------------------------------------+ Segment Size
 * </pre>
 * Segment Size grows, up to Maximum Size, when an object does not fit: the file is extended first
 * (with its space reserved), then the new size is published, so an opener never finds the header
 * claiming more than the file holds; objects already mapped never move. Layout 2 added the maximum
 * size, the unrecorded attachments and the open bitmaps (for deleting objects).
 * <p>
 * Every field but the size, the cursor, the attachments and the bitmaps is written once, by the creator, into a
 * temporary file that is then linked into place: an opener sees no file or a complete header. The
 * cursor is bumped by CAS by any process that creates an object. Each open takes an attached slot
 * by CAS (a free one, or one whose process is proven dead) and frees it on close, so tools can
 * tell a segment in use from one whose processes are all gone.
 */
public final class SegmentDescriptor
{
    /**
     * "SHMSEGMT" as a little-endian long.
     */
    public static final long MAGIC = 0x544D474553_4D4853L;

    /**
     * The layout this library writes and reads.
     */
    public static final int LAYOUT_VERSION = 2;

    /**
     * State of a complete segment.
     */
    public static final int STATE_READY = 1;

    /**
     * Where the slots of attached processes start.
     */
    public static final int ATTACHED_OFFSET = 128;

    /**
     * Most processes recorded as attached at once; more may attach, unrecorded.
     */
    public static final int MAX_ATTACHED = 64;

    /**
     * Length of an attached-process slot: a {@link io.shm.process.ProcessSlotDescriptor process slot}.
     */
    public static final int ATTACHED_SLOT_LENGTH = io.shm.process.ProcessSlotDescriptor.LENGTH;

    /**
     * Length of the header: one page. The directory starts here.
     */
    public static final int HEADER_LENGTH = 4096;

    /**
     * Objects start on multiples of this.
     */
    public static final int OBJECT_ALIGNMENT = CACHE_LINE_LENGTH;

    /**
     * Most entries a directory may have.
     */
    public static final int MAX_DIRECTORY_CAPACITY = 1 << 16;

    /**
     * {@link #MAGIC}: the file is a segment.
     */
    public static final int MAGIC_OFFSET = 0;

    /**
     * {@link #LAYOUT_VERSION}.
     */
    public static final int LAYOUT_VERSION_OFFSET = MAGIC_OFFSET + SIZE_OF_LONG;

    /**
     * {@link #STATE_READY} once the header is complete.
     */
    public static final int STATE_OFFSET = LAYOUT_VERSION_OFFSET + SIZE_OF_INT;

    /**
     * The segment's size in bytes.
     */
    public static final int SEGMENT_SIZE_OFFSET = STATE_OFFSET + SIZE_OF_INT;

    /**
     * The creator's pid.
     */
    public static final int CREATOR_PID_OFFSET = SEGMENT_SIZE_OFFSET + SIZE_OF_LONG;

    /**
     * The creator's start time.
     */
    public static final int CREATOR_START_TIME_OFFSET = CREATOR_PID_OFFSET + SIZE_OF_LONG;

    /**
     * When it was created, in epoch milliseconds.
     */
    public static final int CREATED_AT_OFFSET = CREATOR_START_TIME_OFFSET + SIZE_OF_LONG;

    /**
     * Where the directory starts.
     */
    public static final int DIRECTORY_OFFSET_OFFSET = CREATED_AT_OFFSET + SIZE_OF_LONG;

    /**
     * How many entries the directory has.
     */
    public static final int DIRECTORY_CAPACITY_OFFSET = DIRECTORY_OFFSET_OFFSET + SIZE_OF_INT;

    /**
     * Where the objects start.
     */
    public static final int DATA_OFFSET_OFFSET = DIRECTORY_CAPACITY_OFFSET + SIZE_OF_INT;

    /**
     * The end of the allocated objects, moved by CAS; on a cache line of its own.
     */
    public static final int ALLOCATION_CURSOR_OFFSET = DATA_OFFSET_OFFSET + SIZE_OF_LONG;

    /**
     * The most the segment may grow to, in bytes; equal to its size if it may not grow.
     */
    public static final int MAX_SIZE_OFFSET = ALLOCATION_CURSOR_OFFSET + SIZE_OF_LONG;

    /**
     * How many opens hold no attached slot (all were taken): while any does, a deleted object's
     * space is never reclaimed, since who has it mapped is not known.
     */
    public static final int UNRECORDED_OFFSET = MAX_SIZE_OFFSET + SIZE_OF_LONG;

    /**
     * The highest the cursor has been: space below it may hold a deleted object's bytes, so a new
     * object there is zeroed; space above it is as the file was extended, zero.
     */
    public static final int HIGH_WATER_OFFSET = UNRECORDED_OFFSET + SIZE_OF_LONG;

    /**
     * How many directory blocks the directory has grown by (published last, release).
     */
    public static final int DIRECTORY_BLOCK_COUNT_OFFSET = ATTACHED_OFFSET + MAX_ATTACHED * ATTACHED_SLOT_LENGTH;

    /**
     * The most blocks a directory grows by; block {@code k} holds {@code (capacity + 1) << k} entries.
     */
    public static final int MAX_DIRECTORY_BLOCKS = 16;

    /**
     * @param block a directory block, 0 to {@link #MAX_DIRECTORY_BLOCKS} - 1.
     * @return where the header records that block's offset in the segment.
     */
    public static int directoryBlockOffset(final int block)
    {
        return DIRECTORY_BLOCK_COUNT_OFFSET + SIZE_OF_LONG + block * SIZE_OF_LONG;
    }

    /**
     * @param slot an attached-process slot, 0 to {@link #MAX_ATTACHED} - 1.
     * @return its offset in the header.
     */
    public static int attachedSlotOffset(final int slot)
    {
        return ATTACHED_OFFSET + slot * ATTACHED_SLOT_LENGTH;
    }

    private SegmentDescriptor()
    {
    }

    /**
     * @param directoryCapacity the number of directory entries.
     * @return where the data area starts for that capacity: after the directory, page aligned.
     */
    public static long dataOffset(final int directoryCapacity)
    {
        final long end = openBitmapsOffset(directoryCapacity) + (long)MAX_ATTACHED * bitmapLength(directoryCapacity);
        return align(end, HEADER_LENGTH);
    }

    /**
     * @param directoryCapacity the number of objects the directory holds.
     * @return its entries: one more, the last never given to an object, so that a creator or a
     *         deleter can always reserve a FREE entry (see {@code ObjectDirectory}).
     */
    public static int entries(final int directoryCapacity)
    {
        return directoryCapacity + 1;
    }

    /**
     * @param directoryCapacity the number of objects the directory holds.
     * @return where the open bitmaps start: after the directory, on a cache line.
     */
    public static int openBitmapsOffset(final int directoryCapacity)
    {
        return (int)align(HEADER_LENGTH + (long)entries(directoryCapacity) * DirectoryEntryDescriptor.LENGTH,
            CACHE_LINE_LENGTH);
    }

    /**
     * @param directoryCapacity the number of objects the directory holds.
     * @return the length of one slot's open bitmap: one bit per entry, in whole longs.
     */
    public static int bitmapLength(final int directoryCapacity)
    {
        return (entries(directoryCapacity) + Long.SIZE - 1) / Long.SIZE * SIZE_OF_LONG;
    }

    /**
     * @return the offset of the long holding entry {@code index}'s bit in attached slot {@code slot}'s bitmap.
     */
    public static int openBitOffset(final int directoryCapacity, final int slot, final int index)
    {
        return openBitmapsOffset(directoryCapacity) + slot * bitmapLength(directoryCapacity) + index / Long.SIZE * SIZE_OF_LONG;
    }

    /**
     * @param value     a non-negative value.
     * @param alignment a power of two.
     * @return the smallest multiple of {@code alignment} not below {@code value}.
     */
    public static long align(final long value, final long alignment)
    {
        return (value + alignment - 1) & -alignment;
    }
}
