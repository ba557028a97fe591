package io.shm.sync;

import io.shm.process.ProcessIdentity;
import io.shm.process.ProcessSlot;
import io.shm.segment.SharedObject;
import io.shm.wait.WaitStrategy;
import org.agrona.concurrent.AtomicBuffer;

import static io.shm.sync.BarrierDescriptor.SLOT_LENGTH;
import static io.shm.sync.BarrierDescriptor.slotOffset;

/**
 * The process slots of a barrier's waiters ({@link BarrierDescriptor}): a party holds one while it
 * is inside {@code await}, so that the others can prove its process dead.
 */
final class BarrierSlots
{
    private static final long PID = ProcessIdentity.current().pid();

    private final SharedObject object;
    private final AtomicBuffer buffer;
    private final WaitStrategy strategy;
    private final int slots;
    private final int first;

    BarrierSlots(final SharedObject object, final WaitStrategy strategy, final int slots)
    {
        this.object = object;
        this.buffer = object.buffer();
        this.strategy = strategy;
        this.slots = slots;
        this.first = SharedObject.DATA_OFFSET + slotOffset(0);
    }

    /**
     * Takes a free slot for this process, waiting while more processes than there are slots are
     * inside {@code await}.
     *
     * @return the slot.
     */
    int claim()
    {
        for (int round = 0; ; round++)
        {
            object.checkOpen();
            for (int slot = 0; slot < slots; slot++)
            {
                if (ProcessSlot.claimIfFree(buffer, at(slot)))
                {
                    return slot;
                }
            }
            if (!strategy.idle(round))
            {
                Thread.yield();
            }
        }
    }

    void release(final int slot)
    {
        ProcessSlot.release(buffer, at(slot));
    }

    /**
     * Frees the slots of processes proven dead.
     */
    void freeDead()
    {
        for (int slot = 0; slot < slots; slot++)
        {
            ProcessSlot.freeIfDead(buffer, at(slot));
        }
    }

    /**
     * @return how many slots live processes hold.
     */
    int liveHolders()
    {
        int live = 0;
        for (int slot = 0; slot < slots; slot++)
        {
            if (ProcessSlot.liveHolder(buffer, at(slot)) != null)
            {
                live++;
            }
        }
        return live;
    }

    /**
     * @return whether another process holding a slot is proven dead.
     */
    boolean aHolderDied()
    {
        for (int slot = 0; slot < slots; slot++)
        {
            final int offset = at(slot);
            final long pid = ProcessSlot.pid(buffer, offset);
            if (pid != PID && ProcessSlot.isProvenDead(buffer, offset, pid))
            {
                return true;
            }
        }
        return false;
    }

    private int at(final int slot)
    {
        return first + slot * SLOT_LENGTH;
    }
}
