package io.shm.channel;

import io.shm.exceptions.ChannelClosedException;
import io.shm.process.ProcessSlot;
import io.shm.segment.SharedObject;
import org.agrona.concurrent.AtomicBuffer;

import static io.shm.channel.ChannelDescriptor.*;

/**
 * How a {@link ChannelSender} takes and gives back its place in the channel's control block: the
 * single-producer role (a {@link ProcessSlot process slot} taken by one CAS) and a producer slot,
 * and where a single producer starts in the stream.
 */
final class ProducerSlots
{
    private static final int BASE = SharedObject.DATA_OFFSET;

    private ProducerSlots()
    {
    }

    /**
     * Attaches a sender: for a single producer, takes the role first, then a slot.
     *
     * @return the slot.
     * @throws ChannelClosedException if the receiver has closed.
     * @throws IllegalStateException  if a live single producer is attached, or no slot is free.
     */
    static int attach(final SharedObject object, final boolean multiProducer)
    {
        object.checkOpen();
        final AtomicBuffer buffer = object.buffer();
        if (buffer.getLongVolatile(BASE + CONSUMER_PID_OFFSET) == CONSUMER_CLOSED)
        {
            throw new ChannelClosedException(object.describe() + " was closed by its receiver");
        }
        if (multiProducer)
        {
            return claimSlot(object);
        }
        takeRole(object);
        try
        {
            return claimSlot(object);
        }
        catch (final RuntimeException ex)
        {
            releaseRole(buffer);
            throw ex;
        }
    }

    /**
     * Takes the single-producer role in one step: the owner word is a process slot, taken by one
     * CAS from a free slot or from a process proven dead ({@link ProcessSlot#claimUnlessHeld}).
     *
     * @throws IllegalStateException if a live process holds it.
     */
    private static void takeRole(final SharedObject object)
    {
        final long owner = ProcessSlot.claimUnlessHeld(object.buffer(), BASE + PRODUCER_OWNER_PID_OFFSET);
        if (owner != 0)
        {
            throw new IllegalStateException(object.describe() + " has one producer and it is attached: process " + owner);
        }
    }

    /**
     * Gives the single-producer role back, if this process holds it.
     */
    static void releaseRole(final AtomicBuffer buffer)
    {
        ProcessSlot.release(buffer, BASE + PRODUCER_OWNER_PID_OFFSET);
    }

    /**
     * Takes a free producer slot, or else one whose sender closed. A closed sender committed or
     * aborted every record it claimed and cleared its intent, so the receiver needs nothing more
     * from its slot, whether or not it has read those records yet: they precede every record of
     * the slot's next sender in the ring. A dead sender's slot is left to the receiver, which
     * needs its intent to skip what it had claimed, and frees it then.
     */
    private static int claimSlot(final SharedObject object)
    {
        final AtomicBuffer buffer = object.buffer();
        for (int i = 0; i < MAX_PRODUCERS; i++)
        {
            final int offset = BASE + slotOffset(i);
            if (buffer.getIntVolatile(offset + SLOT_STATE_OFFSET) == SLOT_FREE && ProcessSlot.claimIfFree(buffer, offset))
            {
                return activate(buffer, i, offset);
            }
        }
        for (int i = 0; i < MAX_PRODUCERS; i++)
        {
            final int offset = BASE + slotOffset(i);
            // Closed, and still the sender read (no rival has moved first): taken whatever its liveness.
            if (ProcessSlot.takeOverInState(buffer, offset, SLOT_STATE_OFFSET, SLOT_CLOSED))
            {
                return activate(buffer, i, offset);
            }
        }
        throw new IllegalStateException(object.describe() + " has no free producer slot (" + MAX_PRODUCERS +
            " held by live senders, or by dead ones whose claims the receiver has not yet skipped)");
    }

    private static int activate(final AtomicBuffer buffer, final int slot, final int offset)
    {
        buffer.putLong(offset + SLOT_INTENT_POSITION_OFFSET, -1);
        buffer.putInt(offset + SLOT_INTENT_LENGTH_OFFSET, 0);
        buffer.putLong(offset + SLOT_CLAIM_END_OFFSET, -1);
        buffer.putIntVolatile(offset + SLOT_STATE_OFFSET, SLOT_ACTIVE);
        return slot;
    }

    /**
     * Where a single producer starts: after all room claimed before it, including what a sender
     * that died had claimed and not yet published as the producer position.
     */
    static long startPosition(final AtomicBuffer buffer, final int slot)
    {
        long start = buffer.getLongVolatile(BASE + PRODUCER_POSITION_OFFSET);
        for (int i = 0; i < MAX_PRODUCERS; i++)
        {
            final int offset = BASE + slotOffset(i);
            final long intent = buffer.getLongVolatile(offset + SLOT_INTENT_POSITION_OFFSET);
            if (i != slot && buffer.getLongVolatile(offset + SLOT_PID_OFFSET) != 0 && intent >= 0)
            {
                start = Math.max(start, intent + buffer.getIntVolatile(offset + SLOT_INTENT_LENGTH_OFFSET));
            }
        }
        return start;
    }
}
