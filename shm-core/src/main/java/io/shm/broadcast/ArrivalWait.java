package io.shm.broadcast;

import io.shm.exceptions.ChannelClosedException;
import io.shm.exceptions.PeerDiedException;
import io.shm.process.ProcessSlot;
import io.shm.segment.SharedObject;
import io.shm.wait.WaitStrategy;
import io.shm.wait.Waiter;
import io.shm.wait.linux.Membarrier;
import org.agrona.concurrent.AtomicBuffer;

import static io.shm.broadcast.BroadcastDescriptor.*;

/**
 * Waits for the Tail to pass the position. Once the rounds are over it publishes the position
 * (back-pressured mode); on each pass it looks whether the sender closed, and once a slice
 * whether it died; it announces a sleep in Receivers Waiting, after sending the sender a
 * memory barrier where the sender relies on it ({@link Membarrier}).
 */
final class ArrivalWait extends Waiter
{

    private final BroadcastReceiver receiver;
    private final SharedObject object;
    private final AtomicBuffer buffer;
    private final int base;
    private boolean shortSleep;

    ArrivalWait(final BroadcastReceiver receiver, final SharedObject object, final WaitStrategy strategy)
    {
        super(object, strategy, object.buffer(), SharedObject.DATA_OFFSET + DATA_SEQUENCE_OFFSET, true);
        this.receiver = receiver;
        this.object = object;
        this.buffer = object.buffer();
        this.base = SharedObject.DATA_OFFSET;
    }

    @Override
    protected boolean tryAcquire()
    {
        return buffer.getLongVolatile(base + TAIL_OFFSET) > receiver.position();
    }

    @Override
    protected int sleepValue()
    {
        return buffer.getIntVolatile(base + DATA_SEQUENCE_OFFSET);
    }

    @Override
    protected void roundsOver()
    {
        receiver.publishIfBackPressured();
    }

    @Override
    protected boolean beforeSleep(final boolean lookDue)
    {
        final long sender = ProcessSlot.pid(buffer, base + SENDER_SLOT_OFFSET);
        if (sender == SENDER_CLOSED && !tryAcquire())
        {
            receiver.settleLoss();
            throw new ChannelClosedException("end of stream: the sender of " + object.describe() + " closed");
        }
        if (lookDue && ProcessSlot.isProvenDead(buffer, base + SENDER_SLOT_OFFSET, sender) && !tryAcquire())
        {
            receiver.settleLoss();
            throw new PeerDiedException("the sender of " + object.describe() + ", process " + sender + ", died");
        }
        return false;
    }

    @Override
    protected boolean announce()
    {
        buffer.getAndAddInt(base + RECEIVERS_WAITING_OFFSET, 1);
        // A sender registered for barriers stores the Tail without a fence; this barrier makes
        // a store it has made visible before the look at the Tail that precedes the sleep.
        shortSleep = Membarrier.isAvailable() && !Membarrier.fenceAll();
        return true;
    }

    @Override
    protected long sleepLimit(final long remaining)
    {
        return shortSleep ? Math.min(remaining, Membarrier.UNFENCED_SLEEP_NANOS) : remaining;
    }

    @Override
    protected void withdraw()
    {
        buffer.getAndAddInt(base + RECEIVERS_WAITING_OFFSET, -1);
    }
}
