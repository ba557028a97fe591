package io.shm.sync;

import io.shm.process.ProcessIdentity;
import io.shm.process.ProcessSlot;
import io.shm.segment.SharedObject;
import io.shm.wait.Deadline;
import io.shm.wait.WaitStrategy;
import io.shm.wait.Waiter;
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
     * inside {@code await}: a wait that yields between looks (nothing wakes it when a slot frees)
     * and once a slice frees the slots of processes proven dead.
     *
     * @return the slot.
     */
    int claim()
    {
        final Claim claim = new Claim();
        try
        {
            claim.await(Deadline.NONE, false);
        }
        catch (final InterruptedException ex)
        {
            throw new AssertionError("a wait that ignores interrupts was interrupted", ex);
        }
        return claim.slot;
    }

    void release(final int slot)
    {
        ProcessSlot.release(buffer, at(slot));
    }

    /**
     * Frees the slots of processes proven dead.
     *
     * @return whether one was freed.
     */
    boolean freeDead()
    {
        boolean freed = false;
        for (int slot = 0; slot < slots; slot++)
        {
            freed |= ProcessSlot.freeIfDead(buffer, at(slot));
        }
        return freed;
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

    /**
     * One wait for a free slot.
     */
    private final class Claim extends Waiter
    {
        private int slot = -1;

        Claim()
        {
            // The word is never slept on: the wait cannot sleep.
            super(object, strategy, buffer, first, false);
        }

        @Override
        protected boolean tryAcquire()
        {
            for (int i = 0; i < slots; i++)
            {
                if (ProcessSlot.claimIfFree(buffer, at(i)))
                {
                    slot = i;
                    return true;
                }
            }
            return false;
        }

        @Override
        protected int sleepValue()
        {
            return buffer.getIntVolatile(first);
        }

        @Override
        protected boolean canSleep()
        {
            return false;
        }

        @Override
        protected boolean beforeSleep(final boolean lookDue)
        {
            return lookDue && freeDead();
        }
    }
}
