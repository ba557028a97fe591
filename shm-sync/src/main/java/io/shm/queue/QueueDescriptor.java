package io.shm.queue;

import io.shm.process.ProcessSlotDescriptor;
import org.agrona.BitUtil;

import static org.agrona.BitUtil.CACHE_LINE_LENGTH;
import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Layout of a queue: a state block of two cache lines, a slot per consumer process, then a ring
 * of bytes holding the items, each as long as it is.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                       Capacity in items                       |   0
 *  +---------------------------------------------------------------+
 *  |                        Max Item Length                        |   4
 *  +---------------------------------------------------------------+
 *  |          Head (8 bytes): index of the next item to take       |   8
 *  +---------------------------------------------------------------+
 *  |          Tail (8 bytes): index of the next item to put        |  16
 *  +---------------------------------------------------------------+
 *  |     Unfinished (8 bytes): items put and not yet marked done   |  24
 *  +---------------------------------------------------------------+
 *  |                Pending Op: the step under way                 |  32
 *  +---------------------------------------------------------------+
 *  |           Pending Slot: the consumer slot of that step        |  36
 *  +---------------------------------------------------------------+
 *  |     Pending Index (8 bytes): the head or tail before it       |  40
 *  +---------------------------------------------------------------+
 *  | Pending Taken (8 bytes): the consumer's taken count before it |  48
 *  +---------------------------------------------------------------+
 *  | Pending Unfinished (8 bytes): the unfinished count before it  |  56
 *  +---------------------------------------------------------------+
 *  |  32 consumer slots of 24 bytes: a process slot (Pid 8, Start ... 64
 *  |  Time 8, ProcessSlotDescriptor), then Taken Not Done (8)      |
 *  +---------------------------------------------------------------+
 *  |  Capacity item slots: Length (4), Bytes, padded to 8 bytes   ... 832
 *  +---------------------------------------------------------------+
 * </pre>
 * Every field is read and written under the queue's lock, a companion object named
 * {@code NAME.lock}; takers wait on the condition {@code NAME.notEmpty} and putters on
 * {@code NAME.notFull}, and a joinable queue's {@code join} on {@code NAME.allDone} (the reserved
 * suffixes of {@link io.shm.segment.Companion}). A put, a take and a {@code taskDone} each change
 * several words, so each first records what it is about to do (the <b>pending step</b>: the words
 * it will change, as they are before it, with Pending Op written last) and clears Pending Op when
 * done. The next holder of the lock after an owner died finds the step and finishes or undoes it
 * from those values alone, whichever words the dead process had reached.
 */
public final class QueueDescriptor
{
    /**
     * How many items the queue holds.
     */
    public static final int CAPACITY_OFFSET = 0;

    /**
     * The longest item, in bytes.
     */
    public static final int MAX_ITEM_LENGTH_OFFSET = CAPACITY_OFFSET + SIZE_OF_INT;

    /**
     * Index of the next item to take (counting from the first put, not wrapped).
     */
    public static final int HEAD_OFFSET = MAX_ITEM_LENGTH_OFFSET + SIZE_OF_INT;

    /**
     * Index of the next item to put.
     */
    public static final int TAIL_OFFSET = HEAD_OFFSET + SIZE_OF_LONG;

    /**
     * Items put and not yet marked done (a joinable queue's {@code join} waits for 0).
     */
    public static final int UNFINISHED_OFFSET = TAIL_OFFSET + SIZE_OF_LONG;

    /**
     * The step under way: {@link #NO_STEP}, {@link #PUT_STEP}, {@link #TAKE_STEP} or {@link #DONE_STEP}.
     */
    public static final int PENDING_OP_OFFSET = UNFINISHED_OFFSET + SIZE_OF_LONG;

    /**
     * The consumer slot of the step under way.
     */
    public static final int PENDING_SLOT_OFFSET = PENDING_OP_OFFSET + SIZE_OF_INT;

    /**
     * The head (take) or tail (put) before the step.
     */
    public static final int PENDING_INDEX_OFFSET = PENDING_SLOT_OFFSET + SIZE_OF_INT;

    /**
     * The consumer's taken-not-done count before the step.
     */
    public static final int PENDING_TAKEN_OFFSET = PENDING_INDEX_OFFSET + SIZE_OF_LONG;

    /**
     * The unfinished count before the step.
     */
    public static final int PENDING_UNFINISHED_OFFSET = PENDING_TAKEN_OFFSET + SIZE_OF_LONG;

    /**
     * Pending Op: no step under way.
     */
    public static final int NO_STEP = 0;

    /**
     * Pending Op: a put, whose item is already written; recovery finishes it.
     */
    public static final int PUT_STEP = 1;

    /**
     * Pending Op: a take, whose item has not reached its caller; recovery undoes it.
     */
    public static final int TAKE_STEP = 2;

    /**
     * Pending Op: a {@code taskDone}; recovery finishes it.
     */
    public static final int DONE_STEP = 3;

    /**
     * The ring's length in bytes, on the state block's second line.
     */
    public static final int RING_LENGTH_OFFSET = CACHE_LINE_LENGTH;

    /**
     * The ring byte (counted from the first put, not wrapped) of the next take.
     */
    public static final int HEAD_POSITION_OFFSET = RING_LENGTH_OFFSET + 2 * SIZE_OF_INT;

    /**
     * The ring byte of the next put.
     */
    public static final int TAIL_POSITION_OFFSET = HEAD_POSITION_OFFSET + SIZE_OF_LONG;

    /**
     * The head (take) or tail (put) position before the step.
     */
    public static final int PENDING_POSITION_OFFSET = TAIL_POSITION_OFFSET + SIZE_OF_LONG;

    /**
     * The length of a record that pads the ring to its end, in place of an item's length.
     */
    public static final int PAD = -1;

    /**
     * The first consumer slot, after the state block's two cache lines.
     */
    public static final int CONSUMER_SLOTS_OFFSET = 2 * CACHE_LINE_LENGTH;

    /**
     * How many consumer processes can hold a slot at once.
     */
    public static final int MAX_CONSUMERS = 32;

    /**
     * A consumer slot's process slot, at its start.
     */
    public static final int CONSUMER_PID_OFFSET = ProcessSlotDescriptor.PID_OFFSET;

    /**
     * The consumer's start time, the process slot's second word.
     */
    public static final int CONSUMER_START_TIME_OFFSET = ProcessSlotDescriptor.START_TIME_OFFSET;

    /**
     * Items this consumer took and has not yet marked done: given back if it dies.
     */
    public static final int CONSUMER_TAKEN_OFFSET = ProcessSlotDescriptor.LENGTH;

    /**
     * Length of a consumer slot.
     */
    public static final int CONSUMER_SLOT_LENGTH = CONSUMER_TAKEN_OFFSET + SIZE_OF_LONG;

    /**
     * The ring of item records.
     */
    public static final int ITEMS_OFFSET = CONSUMER_SLOTS_OFFSET + MAX_CONSUMERS * CONSUMER_SLOT_LENGTH;

    private QueueDescriptor()
    {
    }

    /**
     * @param itemLength an item's length.
     * @return the length of its record in the ring.
     */
    public static int recordLength(final int itemLength)
    {
        return BitUtil.align(Integer.BYTES + itemLength, Long.BYTES);
    }

    /**
     * @param capacity      the most items.
     * @param maxItemLength the longest item.
     * @return the default ring: {@code capacity} items of up to 60 bytes, and at least two of
     *         the longest.
     */
    public static long defaultRingLength(final int capacity, final int maxItemLength)
    {
        final long maxRecord = recordLength(maxItemLength);
        return Math.max(2 * maxRecord, (long)capacity * Math.min(maxRecord, recordLength(60)));
    }

    public static int consumerSlotOffset(final int slot)
    {
        return CONSUMER_SLOTS_OFFSET + slot * CONSUMER_SLOT_LENGTH;
    }
}
