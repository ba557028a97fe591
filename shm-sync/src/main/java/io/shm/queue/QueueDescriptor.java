package io.shm.queue;

import org.agrona.BitUtil;

/**
 * Layout of a queue: a state block, a slot per consumer process, then the items.
 * <pre>
 *  +---------------------------------------------------------------+
 *  | Capacity in items (4), Max Item Length (4)                    |   0
 *  | Head (8): index of the next item to take                      |   8
 *  | Tail (8): index of the next item to put                       |  16
 *  | Unfinished (8): items put and not yet marked done (joinable)  |  24
 *  | Pending Op (4), Pending Slot (4): the step under way, if any  |  32
 *  | Pending Index (8): the head or tail before it                 |  40
 *  | Pending Taken (8): the consumer's taken count before it       |  48
 *  | Pending Unfinished (8): the unfinished count before it        |  56
 *  +---------------------------------------------------------------+
 *  | 32 consumer slots of 24 bytes: a process slot of Pid (8) and  |  64
 *  |   Start Time (8), then Taken Not Done (8)                     |
 *  +---------------------------------------------------------------+
 *  | Capacity items of ITEM slots: Length (4), Bytes, padded to 8 ... 832
 *  +---------------------------------------------------------------+
 * </pre>
 * Every field is read and written under the queue's lock. A put, a take and a {@code taskDone}
 * each change several words, so each first records what it is about to do (the <b>pending
 * step</b>: the words it will change, as they are before it, with Pending Op written last) and
 * clears Pending Op when done. The next holder of the lock after an owner died finds the step and
 * finishes or undoes it from those values alone, whichever words the dead process had reached.
 */
public final class QueueDescriptor
{
    public static final int CAPACITY_OFFSET = 0;
    public static final int MAX_ITEM_LENGTH_OFFSET = 4;
    public static final int HEAD_OFFSET = 8;
    public static final int TAIL_OFFSET = 16;
    public static final int UNFINISHED_OFFSET = 24;
    public static final int PENDING_OP_OFFSET = 32;
    public static final int PENDING_SLOT_OFFSET = 36;
    public static final int PENDING_INDEX_OFFSET = 40;
    public static final int PENDING_TAKEN_OFFSET = 48;
    public static final int PENDING_UNFINISHED_OFFSET = 56;

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
    public static final int CONSUMER_SLOTS_OFFSET = 64;
    public static final int MAX_CONSUMERS = 32;
    public static final int CONSUMER_SLOT_LENGTH = 24;
    public static final int CONSUMER_PID_OFFSET = 0;
    public static final int CONSUMER_START_TIME_OFFSET = 8;
    public static final int CONSUMER_TAKEN_OFFSET = 16;
    public static final int ITEMS_OFFSET = CONSUMER_SLOTS_OFFSET + MAX_CONSUMERS * CONSUMER_SLOT_LENGTH;

    private QueueDescriptor()
    {
    }

    /**
     * @param maxItemLength the longest item.
     * @return the length of an item slot.
     */
    public static int itemSlotLength(final int maxItemLength)
    {
        return BitUtil.align(Integer.BYTES + maxItemLength, Long.BYTES);
    }

    public static int consumerSlotOffset(final int slot)
    {
        return CONSUMER_SLOTS_OFFSET + slot * CONSUMER_SLOT_LENGTH;
    }
}
