package io.shm.bridge;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.ReservedValueSupplier;
import io.shm.broadcast.Broadcast;
import io.shm.broadcast.BroadcastReceiver;
import io.shm.channel.ControlledMessageHandler;
import io.shm.exceptions.ChannelClosedException;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Forwards a local broadcast to other hosts: one receiver of the broadcast whose messages are
 * offered to an Aeron publication, each with its sequence number in the stream in its frames'
 * reserved value (8 bytes of Aeron's header that the application owns), so that the far side can
 * tell exactly what it missed without a byte more on the wire.
 * <p>
 * <b>Back pressure carries back.</b> A message is taken from the ring only once Aeron accepted it:
 * when the publication is back-pressured (a slow subscriber, flow control) or not connected, the
 * handler refuses it ({@link BroadcastReceiver#controlledPoll}), it stays in the ring, and in a
 * back-pressured broadcast the local sender waits for it like for any slow receiver. Messages
 * larger than the MTU are fragmented by Aeron and reassembled whole on the far side.
 * <p>
 * When the local sender closes the stream, the bridge sends an end marker (an empty message of
 * sequence -1), which
 * the far side's {@link BridgeIn} turns into the end of its local stream.
 */
public final class BridgeOut implements AutoCloseable
{
    /** The sequence number that marks the end of the stream. */
    public static final long END = -1;
    private static final int BATCH = 1024;

    private final BroadcastReceiver receiver;
    private final ExclusivePublication publication;
    private final UnsafeBuffer empty = new UnsafeBuffer(new byte[0]);
    private final ControlledMessageHandler handler = this::forward;
    /** The sequence number of the message being offered, written into each of its frames' reserved value. */
    private long sequence;
    private final ReservedValueSupplier reservedValue = (termBuffer, termOffset, frameLength) -> sequence;
    private long forwarded;
    private long refusals;

    private BridgeOut(final BroadcastReceiver receiver, final ExclusivePublication publication)
    {
        this.receiver = receiver;
        this.publication = publication;
    }

    /**
     * Joins {@code broadcast} (at its oldest message) and publishes it on {@code channel}, {@code streamId}.
     *
     * @param channel an Aeron channel, e.g. {@code aeron:udp?endpoint=host:port}, or a multi-destination
     *                one with a dynamic control endpoint: {@code aeron:udp?control=host:port|control-mode=dynamic}.
     */
    public static BridgeOut start(final Broadcast broadcast, final Aeron aeron, final String channel, final int streamId)
    {
        final ExclusivePublication publication = aeron.addExclusivePublication(channel, streamId);
        if (publication.maxMessageLength() < broadcast.options().maxMessageLength())
        {
            publication.close();
            throw new IllegalArgumentException(broadcast + " carries messages of up to " +
                broadcast.options().maxMessageLength() + " bytes; publications on " + channel + " take " +
                publication.maxMessageLength() + " (raise the term length)");
        }
        return new BridgeOut(broadcast.receiver(BroadcastReceiver.Start.OLDEST), publication);
    }

    /**
     * Forwards what is waiting, without waiting.
     *
     * @return how many messages were forwarded.
     */
    public int doWork()
    {
        return receiver.controlledPoll(handler, BATCH);
    }

    /**
     * Forwards until the local stream ends (then sends the end marker) or {@code stop} says to stop.
     *
     * @throws InterruptedException if interrupted while waiting.
     */
    public void run(final BooleanSupplier stop) throws InterruptedException
    {
        while (!stop.getAsBoolean())
        {
            if (doWork() > 0)
            {
                continue;
            }
            if (receiver.hasMessage())
            {
                // Refused: Aeron is back-pressured or not connected; let it drain.
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(20));
                continue;
            }
            try
            {
                receiver.awaitMessage(1, TimeUnit.MILLISECONDS);
            }
            catch (final ChannelClosedException ended)
            {
                sendEnd(stop);
                return;
            }
        }
    }

    private void sendEnd(final BooleanSupplier stop)
    {
        sequence = END;
        while (!stop.getAsBoolean() && offered(publication.offer(empty, 0, 0, reservedValue)) == 0)
        {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
        }
    }

    private boolean forward(final DirectBuffer buffer, final int offset, final int length)
    {
        sequence = receiver.messageSequence();
        if (offered(publication.offer(buffer, offset, length, reservedValue)) > 0)
        {
            forwarded++;
            return true;
        }
        refusals++;
        return false;
    }

    /**
     * @return 1 if accepted, 0 to retry later.
     * @throws IllegalStateException if the publication can never accept it.
     */
    private int offered(final long result)
    {
        if (result > 0)
        {
            return 1;
        }
        if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
        {
            throw new IllegalStateException("the publication of " + this + " cannot take more: " +
                Publication.errorString(result));
        }
        return 0;
    }

    /**
     * @return whether a subscriber is connected.
     */
    public boolean isConnected()
    {
        return publication.isConnected();
    }

    /**
     * @return the messages forwarded.
     */
    public long forwarded()
    {
        return forwarded;
    }

    /**
     * @return how many times Aeron refused a message (back-pressured or not connected), each retried.
     */
    public long refusals()
    {
        return refusals;
    }

    @Override
    public void close()
    {
        receiver.close();
        publication.close();
    }

    @Override
    public String toString()
    {
        return "BridgeOut{" + publication.channel() + ", stream " + publication.streamId() + "}";
    }
}
