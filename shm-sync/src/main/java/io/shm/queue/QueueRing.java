package io.shm.queue;

import io.shm.exceptions.CorruptSegmentException;
import io.shm.segment.SharedObject;
import org.agrona.concurrent.AtomicBuffer;

import java.util.ArrayList;
import java.util.List;

import static io.shm.queue.QueueDescriptor.*;

/**
 * A queue's words in shared memory ({@link QueueDescriptor}): its ring of item records, and the
 * record of the step under way that the next lock holder repairs after an owner's death. Called
 * with the queue's lock held.
 */
final class QueueRing
{
    private final SharedObject object;
    private final AtomicBuffer buffer;
    private final int base;
    private final int ring;
    private final int capacity;
    private final int maxItemLength;
    private final int ringLength;

    QueueRing(final SharedObject object)
    {
        this.object = object;
        this.buffer = object.buffer();
        this.base = SharedObject.DATA_OFFSET;
        this.ring = base + ITEMS_OFFSET;
        this.capacity = buffer.getInt(base + CAPACITY_OFFSET);
        this.maxItemLength = buffer.getInt(base + MAX_ITEM_LENGTH_OFFSET);
        this.ringLength = buffer.getInt(base + RING_LENGTH_OFFSET);
    }

    long head()
    {
        return buffer.getLong(base + HEAD_OFFSET);
    }

    long tail()
    {
        return buffer.getLong(base + TAIL_OFFSET);
    }

    int ringLength()
    {
        return ringLength;
    }

    /**
     * Writes {@code bytes} as the item record at tail position {@code position}, after a pad to
     * the ring's end if the record does not fit before it.
     *
     * @return the tail position after the record.
     */
    long writeItem(final long position, final byte[] bytes)
    {
        final long record = recordLength(bytes.length);
        final int offset = (int)(position % ringLength);
        final long padding = offset + record > ringLength ? ringLength - offset : 0;
        if (padding > 0)
        {
            buffer.putInt(ring + offset, PAD);
        }
        final int at = ring + (int)((position + padding) % ringLength);
        buffer.putInt(at, bytes.length);
        buffer.putBytes(at + Integer.BYTES, bytes);
        return position + padding + record;
    }

    /**
     * Records the step about to change the queue: the words it changes, as they are now; the
     * op goes last, so a record cut short is no record.
     */
    void beginStep(final int op, final int slot, final long index, final long position, final long taken)
    {
        buffer.putInt(base + PENDING_SLOT_OFFSET, slot);
        buffer.putLong(base + PENDING_INDEX_OFFSET, index);
        buffer.putLong(base + PENDING_POSITION_OFFSET, position);
        buffer.putLong(base + PENDING_TAKEN_OFFSET, taken);
        buffer.putLong(base + PENDING_UNFINISHED_OFFSET, buffer.getLong(base + UNFINISHED_OFFSET));
        buffer.putIntRelease(base + PENDING_OP_OFFSET, op);
    }
    void endStep()
    {
        buffer.putIntRelease(base + PENDING_OP_OFFSET, NO_STEP);
    }
    int takenOffset(final int slot)
    {
        return base + consumerSlotOffset(slot) + CONSUMER_TAKEN_OFFSET;
    }
    /**
     * Sets the words a dead owner's step changes to where the step takes them (put, taskDone) or
     * to where they were before it (take), from the record alone: the same whichever of its stores
     * the owner made before it died.
     */
    boolean repairStep(final boolean countsTasks)
    {
        final int op = buffer.getIntAcquire(base + PENDING_OP_OFFSET);
        if (op == NO_STEP)
        {
            return false;
        }
        final int slot = buffer.getInt(base + PENDING_SLOT_OFFSET);
        final long index = buffer.getLong(base + PENDING_INDEX_OFFSET);
        final long position = buffer.getLong(base + PENDING_POSITION_OFFSET);
        final long taken = buffer.getLong(base + PENDING_TAKEN_OFFSET);
        final long unfinished = buffer.getLong(base + PENDING_UNFINISHED_OFFSET);
        switch (op)
        {
            case PUT_STEP ->
            {
                // The item was written whole before the step was recorded: its record says where the put ends.
                final long itemPosition = itemPosition(position);
                buffer.putLong(base + TAIL_POSITION_OFFSET, itemPosition + recordLength(itemLength(itemPosition)));
                buffer.putLong(base + TAIL_OFFSET, index + 1);
                buffer.putLong(base + UNFINISHED_OFFSET, countsTasks ? unfinished + 1 : unfinished);
            }
            case TAKE_STEP ->
            {
                buffer.putLong(base + HEAD_POSITION_OFFSET, position);
                buffer.putLong(base + HEAD_OFFSET, index);
                if (slot >= 0)
                {
                    buffer.putLong(takenOffset(slot), taken);
                }
            }
            case DONE_STEP ->
            {
                buffer.putLong(takenOffset(slot), taken - 1);
                buffer.putLong(base + UNFINISHED_OFFSET, unfinished - 1);
            }
            default -> throw new CorruptSegmentException(object.describe() + " records an unknown pending step " + op);
        }
        endStep();
        return true;
    }
    /**
     * @return whether a record of {@code record} bytes can be put now: a free item and its bytes
     *         (with the padding to the ring's end it may need).
     */
    boolean fits(final long record)
    {
        if (tail() - head() >= capacity)
        {
            return false;
        }
        final long position = buffer.getLong(base + TAIL_POSITION_OFFSET);
        final long offset = position % ringLength;
        final long padding = offset + record > ringLength ? ringLength - offset : 0;
        return position + padding + record - buffer.getLong(base + HEAD_POSITION_OFFSET) <= ringLength;
    }
    /**
     * @return where the item at {@code position} starts: there, or at the ring's start if a pad
     *         record fills the ring's end there.
     */
    long itemPosition(final long position)
    {
        final int offset = (int)(position % ringLength);
        return buffer.getInt(ring + offset) == PAD ? position + ringLength - offset : position;
    }
    int itemLength(final long itemPosition)
    {
        final int length = buffer.getInt(ring + (int)(itemPosition % ringLength));
        if (length < 0 || length > maxItemLength)
        {
            throw new CorruptSegmentException(object.describe() + " holds an item of " + length + " bytes at byte " +
                itemPosition + ", outside 0 to " + maxItemLength);
        }
        return length;
    }
    byte[] readItem(final long itemPosition)
    {
        final byte[] bytes = new byte[itemLength(itemPosition)];
        buffer.getBytes(ring + (int)(itemPosition % ringLength) + Integer.BYTES, bytes);
        return bytes;
    }

    /**
     * With the lock held and room for it: appends an item at the tail, counted as an unfinished
     * task if the queue counts them.
     */
    void append(final byte[] bytes, final boolean countsTasks, final ShmQueue.StepListener steps)
    {
        final long tail = tail();
        final long position = buffer.getLong(base + TAIL_POSITION_OFFSET);
        final long next = writeItem(position, bytes);
        // Recorded once the item is whole: from here on, a death finishes the put.
        beginStep(PUT_STEP, -1, tail, position, 0);
        steps.at("put:recorded");
        buffer.putLong(base + TAIL_POSITION_OFFSET, next);
        buffer.putLongRelease(base + TAIL_OFFSET, tail + 1);
        steps.at("put:tail-moved");
        if (countsTasks)
        {
            buffer.putLong(base + UNFINISHED_OFFSET, buffer.getLong(base + UNFINISHED_OFFSET) + 1);
        }
        steps.at("put:counted");
        endStep();
    }

    /**
     * @return whether the queue holds no item (with the lock held).
     */
    boolean isEmpty()
    {
        return tail() == head();
    }

    /**
     * @return whether an item seems to be there, looked at without the lock (a hint: another
     *         taker may take it first, and a step under way is finished by the next lock holder).
     */
    boolean hasItemNow()
    {
        return buffer.getLongVolatile(base + TAIL_OFFSET) != buffer.getLongVolatile(base + HEAD_OFFSET);
    }

    /**
     * With the lock held and an item there: takes the head item, counted for consumer slot
     * {@code taker} (or -1).
     */
    byte[] removeHead(final int taker, final ShmQueue.StepListener steps)
    {
        final long head = head();
        final long position = buffer.getLong(base + HEAD_POSITION_OFFSET);
        final long itemPosition = itemPosition(position);
        final byte[] bytes = readItem(itemPosition);
        final long taken = taker >= 0 ? buffer.getLong(takenOffset(taker)) : 0;
        // Until the step ends, a death undoes the take: the item has not reached the caller.
        beginStep(TAKE_STEP, taker, head, position, taken);
        steps.at("take:recorded");
        buffer.putLong(base + HEAD_POSITION_OFFSET, itemPosition + recordLength(bytes.length));
        buffer.putLongRelease(base + HEAD_OFFSET, head + 1);
        steps.at("take:head-moved");
        if (taker >= 0)
        {
            buffer.putLong(takenOffset(taker), taken + 1);
        }
        steps.at("take:counted");
        endStep();
        return bytes;
    }

    /**
     * @return the items' bytes, oldest first.
     */
    List<byte[]> items()
    {
        final List<byte[]> items = new ArrayList<>();
        long position = buffer.getLong(base + HEAD_POSITION_OFFSET);
        for (long index = head(); index != tail(); index++)
        {
            position = itemPosition(position);
            final byte[] bytes = readItem(position);
            items.add(bytes);
            position += recordLength(bytes.length);
        }
        return items;
    }
}
