package io.shm.broadcast;

import io.shm.process.ProcessSlotDescriptor;

import static org.agrona.BitUtil.CACHE_LINE_LENGTH;
import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Layout of a broadcast channel: a control block of cache lines, the receiver slots, then the ring.
 * <pre>
 *  +---------------------------------------------------------------+
 *  | line 0: Capacity (int), Max Message Length (int), Flags (int), |    0
 *  |         Max Receivers (int), Sender: a process slot of Pid (8; |
 *  |         -1 once closed) and Start Time (8)                     |
 *  +---------------------------------------------------------------+
 *  | line 1: Tail Intent (8), Tail (8), Next Sequence (8)           |   64
 *  +---------------------------------------------------------------+
 *  | line 2: Head (8): the oldest record the ring still holds;      |  128
 *  |         Joins (4): bumped by every receiver that joins         |
 *  +---------------------------------------------------------------+
 *  | line 3: Data Sequence (4, futex word), Receivers Waiting (4)    |  192
 *  +---------------------------------------------------------------+
 *  | line 4: Space Sequence (4, futex word), Sender Waiting (4)     |  256
 *  +---------------------------------------------------------------+
 *  | Max Receivers slots of one line: a process slot of Pid (8) and |  320
 *  |   Start Time (8), Position (8; Long.MAX_VALUE while free)      |
 *  +---------------------------------------------------------------+
 *  | Ring: Capacity bytes of records, each 8-byte aligned          ...
 *  +---------------------------------------------------------------+
 * </pre>
 * A <b>record</b> is a 16-byte header and its payload, padded to 8 bytes:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |          Length: of the payload, or a padding record's whole   |  0
 *  +---------------------------------------------------------------+
 *  |          Type: {@link #MESSAGE} or {@link #PADDING}            |  4
 *  +---------------------------------------------------------------+
 *  |          Sequence (8): the message's number, from 0            |  8
 *  +---------------------------------------------------------------+
 *  |                         Payload                              ... 16
 *  +---------------------------------------------------------------+
 * </pre>
 * A padding record at the ring's end may be only 8 bytes long: its length and type, no sequence.
 * Positions are byte counts since the start of the stream; a record at position {@code p} lies at
 * {@code p & (capacity - 1)} of the ring, never across its end (a padding record fills the rest).
 * The sender stores Tail Intent (the end of what it is about to write) before it overwrites
 * anything, and Tail once the record is whole; a reader copies a record at {@code p} and keeps it
 * only if Tail Intent is still at most {@code p + capacity} afterwards. Head is a record boundary
 * the sender moves forward, before it overwrites the records behind it: where a lapped receiver
 * starts again, and where one that joins at the oldest message starts.
 */
public final class BroadcastDescriptor
{
    /**
     * Line 0, read-mostly: the ring's capacity in bytes, a power of two.
     */
    public static final int CAPACITY_OFFSET = 0;

    /**
     * The longest message, in bytes (at most an eighth of the capacity).
     */
    public static final int MAX_MESSAGE_LENGTH_OFFSET = CAPACITY_OFFSET + SIZE_OF_INT;

    /**
     * {@link #BACK_PRESSURED}, or 0 for a lossy channel.
     */
    public static final int FLAGS_OFFSET = MAX_MESSAGE_LENGTH_OFFSET + SIZE_OF_INT;

    /**
     * How many receiver slots follow the control block.
     */
    public static final int MAX_RECEIVERS_OFFSET = FLAGS_OFFSET + SIZE_OF_INT;

    /**
     * The sender's process slot: 0 when none, {@link #SENDER_CLOSED} once it closed.
     */
    public static final int SENDER_SLOT_OFFSET = MAX_RECEIVERS_OFFSET + SIZE_OF_INT;

    /**
     * Line 1, written by the sender: the end of what it is writing, stored before it overwrites.
     */
    public static final int TAIL_INTENT_OFFSET = CACHE_LINE_LENGTH;

    /**
     * The end of the last whole record.
     */
    public static final int TAIL_OFFSET = TAIL_INTENT_OFFSET + SIZE_OF_LONG;

    /**
     * The sequence number of the next message, so that a sender that takes over goes on counting.
     */
    public static final int NEXT_SEQUENCE_OFFSET = TAIL_OFFSET + SIZE_OF_LONG;

    /**
     * Line 2: the oldest record boundary the ring still holds.
     */
    public static final int HEAD_OFFSET = TAIL_INTENT_OFFSET + CACHE_LINE_LENGTH;

    /**
     * Bumped by every receiver that joins, after it has stored its position: a back-pressured
     * sender that sees it move reads the slots again.
     */
    public static final int JOINS_OFFSET = HEAD_OFFSET + SIZE_OF_LONG;

    /**
     * Line 3: the futex word sleeping receivers wait on, bumped by the sender that wakes them.
     */
    public static final int DATA_SEQUENCE_OFFSET = HEAD_OFFSET + CACHE_LINE_LENGTH;

    /**
     * How many receivers have announced a sleep.
     */
    public static final int RECEIVERS_WAITING_OFFSET = DATA_SEQUENCE_OFFSET + SIZE_OF_INT;

    /**
     * Line 4: the futex word a back-pressured sender waits on for room.
     */
    public static final int SPACE_SEQUENCE_OFFSET = DATA_SEQUENCE_OFFSET + CACHE_LINE_LENGTH;

    /**
     * 1 while the sender may sleep for room: a receiver that publishes its position wakes it.
     */
    public static final int SENDER_WAITING_OFFSET = SPACE_SEQUENCE_OFFSET + SIZE_OF_INT;

    /**
     * The first receiver slot.
     */
    public static final int SLOTS_OFFSET = SPACE_SEQUENCE_OFFSET + CACHE_LINE_LENGTH;

    /**
     * A receiver slot's length: one line.
     */
    public static final int SLOT_LENGTH = CACHE_LINE_LENGTH;

    /**
     * A receiver's published position, after its process slot.
     */
    public static final int SLOT_POSITION_OFFSET = ProcessSlotDescriptor.LENGTH;

    /**
     * Flag: the sender waits for the slowest live receiver instead of overwriting.
     */
    public static final int BACK_PRESSURED = 1;

    /**
     * The sender slot's pid once the sender closed: the end of the stream.
     */
    public static final long SENDER_CLOSED = -1;

    /**
     * A record header's length.
     */
    public static final int HEADER_LENGTH = 16;

    /**
     * Records start on multiples of this.
     */
    public static final int RECORD_ALIGNMENT = SIZE_OF_LONG;

    /**
     * Offset of a record's type.
     */
    public static final int TYPE_OFFSET = SIZE_OF_INT;

    /**
     * Offset of a record's sequence number.
     */
    public static final int SEQUENCE_OFFSET = 2 * SIZE_OF_INT;

    /**
     * Type of a record holding a message.
     */
    public static final int MESSAGE = 1;

    /**
     * Type of a record filling the ring's end, or a dead sender's unfinished record.
     */
    public static final int PADDING = 2;

    /**
     * The smallest ring.
     */
    public static final int MIN_CAPACITY = 1024;

    private BroadcastDescriptor()
    {
    }

    /**
     * @return the offset of receiver slot {@code i} from the data's start.
     */
    public static int slotOffset(final int i)
    {
        return SLOTS_OFFSET + i * SLOT_LENGTH;
    }

    /**
     * @return the offset of the ring from the data's start, for {@code maxReceivers} slots.
     */
    public static int ringOffset(final int maxReceivers)
    {
        return slotOffset(maxReceivers);
    }

    /**
     * @return the length of the record holding a payload of {@code length} bytes, aligned.
     */
    public static int recordLength(final int length)
    {
        return (HEADER_LENGTH + length + RECORD_ALIGNMENT - 1) & -RECORD_ALIGNMENT;
    }
}
