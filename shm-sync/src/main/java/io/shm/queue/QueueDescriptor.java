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
 *  +---------------------------------------------------------------+
 *  | 32 consumer slots of 24 bytes: Pid (8), Start Time (8),       |  64
 *  |   Taken Not Done (8)                                          |
 *  +---------------------------------------------------------------+
 *  | Capacity items of ITEM slots: Length (4), Bytes, padded to 8 ... 832
 *  +---------------------------------------------------------------+
 * </pre>
 * Every field is read and written under the queue's lock; an item is written before the tail
 * moves past it, so a process killed inside {@code put} or {@code take} leaves the queue consistent.
 */
public final class QueueDescriptor
{
    public static final int CAPACITY_OFFSET = 0;
    public static final int MAX_ITEM_LENGTH_OFFSET = 4;
    public static final int HEAD_OFFSET = 8;
    public static final int TAIL_OFFSET = 16;
    public static final int UNFINISHED_OFFSET = 24;
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
