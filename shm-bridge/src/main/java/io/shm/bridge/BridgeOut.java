package io.shm.bridge;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.ReservedValueSupplier;
import io.shm.broadcast.Broadcast;
import io.shm.broadcast.BroadcastReceiver;
import io.shm.channel.Channel;
import io.shm.channel.ChannelReceiver;
import io.shm.channel.ControlledMessageHandler;
import io.shm.exceptions.ChannelClosedException;
import io.shm.segment.Companion;
import io.shm.segment.Shared;
import io.shm.value.LongArray;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Forwards a local broadcast or channel to other hosts: its receiver's messages are offered to an
 * Aeron publication, each with its sequence number in the stream in its frames' reserved value (8
 * bytes of Aeron's header that the application owns), so that the far side can tell exactly what
 * it missed without a byte more on the wire.
 * <p>
 * <b>Back pressure carries back.</b> A message is taken from the ring only once Aeron accepted it:
 * when the publication is back-pressured (a slow subscriber, flow control) or not connected, the
 * handler refuses it ({@link BroadcastReceiver#controlledPoll}, {@link ChannelReceiver#controlledPoll}),
 * it stays in the ring, and the local sender waits for it like for any slow receiver (in a lossy
 * broadcast, it laps it). Messages larger than the MTU are fragmented by Aeron and reassembled
 * whole on the far side.
 * <p>
 * <b>Sequence numbers.</b> A broadcast's messages carry their own. A channel's do not, so the
 * bridge counts what it forwards, and after each message records the count and the message's end
 * in the channel's stream beside the channel (the object {@code NAME.forwarded}, two slots written
 * in turn so that one is always whole). A bridge started after one that died is the channel's
 * new receiver, and resumes where the dead one last published its position: it skips, unsent,
 * every message that ends at or before the recorded end, and numbers the rest from the recorded
 * count. A message Aeron took just before the death is sent again under the same number, and the
 * far side drops it; nothing is forwarded twice or numbered twice. (A message of several records
 * whose start the dead bridge had taken is lost locally, as for any channel receiver that
 * replaces a dead one; see {@link ChannelReceiver#skippedBytes()}.) A channel has one receiver at
 * a time: while bridged, the bridge is it, and closing the bridge closes the channel's receiving end.
 * <p>
 * When the local stream ends (every sender closed), the bridge sends an end marker (an empty
 * message of sequence -1), which the far side's {@link BridgeIn} turns into the end of its local
 * stream. When a broadcast's sender dies, {@link #run} throws its receiver's
 * {@link io.shm.exceptions.PeerDiedException}; when every sender of a channel is gone and one of
 * them died, the bridge waits for a new sender, polling once a millisecond.
 */
public final class BridgeOut implements AutoCloseable
{
    /** The sequence number that marks the end of the stream. */
    public static final long END = -1;
    private static final int BATCH = 1024;

    private final Source source;
    private final ExclusivePublication publication;
    private final UnsafeBuffer empty = new UnsafeBuffer(new byte[0]);
    private final ControlledMessageHandler handler = this::forward;
    /** The sequence number of the message being offered, written into each of its frames' reserved value. */
    private long sequence;
    private final ReservedValueSupplier reservedValue = (termBuffer, termOffset, frameLength) -> sequence;
    private long forwarded;
    private long refusals;

    private BridgeOut(final Source source, final ExclusivePublication publication)
    {
        this.source = source;
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
        final ExclusivePublication publication = publication(aeron, channel, streamId, broadcast,
            broadcast.options().maxMessageLength());
        return new BridgeOut(new BroadcastSource(broadcast.receiver(BroadcastReceiver.Start.OLDEST)), publication);
    }

    /**
     * Becomes the receiver of {@code local} and publishes it on {@code channel}, {@code streamId},
     * resuming the numbering of a bridge before it (see the class comment).
     *
     * @param channel an Aeron channel, as for a broadcast.
     * @throws IllegalStateException if the channel has a live receiver already.
     */
    public static BridgeOut start(final Channel local, final Aeron aeron, final String channel, final int streamId)
    {
        final ExclusivePublication publication = publication(aeron, channel, streamId, local,
            local.options().maxMessageLength());
        try
        {
            return new BridgeOut(new ChannelSource(local), publication);
        }
        catch (final RuntimeException ex)
        {
            publication.close();
            throw ex;
        }
    }

    private static ExclusivePublication publication(final Aeron aeron, final String channel, final int streamId,
        final Shared local, final int maxMessageLength)
    {
        final ExclusivePublication publication = aeron.addExclusivePublication(channel, streamId);
        if (publication.maxMessageLength() < maxMessageLength)
        {
            publication.close();
            throw new IllegalArgumentException(local + " carries messages of up to " + maxMessageLength +
                " bytes; publications on " + channel + " take " + publication.maxMessageLength() +
                " (raise the term length, or lower the local limit)");
        }
        return publication;
    }

    /**
     * Forwards what is waiting, without waiting.
     *
     * @return how many messages were taken: forwarded, or (a channel's) skipped as forwarded by a
     *         bridge before this one.
     */
    public int doWork()
    {
        return source.controlledPoll(handler, BATCH);
    }

    /**
     * Forwards until the local stream ends (then sends the end marker) or {@code stop} says to stop.
     *
     * @throws InterruptedException if interrupted while waiting.
     */
    public void run(final BooleanSupplier stop) throws InterruptedException
    {
        boolean readyButEmpty = false;
        while (!stop.getAsBoolean())
        {
            final long refusedBefore = refusals;
            if (doWork() > 0)
            {
                readyButEmpty = false;
                continue;
            }
            if (refusals != refusedBefore)
            {
                // Refused: Aeron is back-pressured or not connected; let it drain.
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(20));
                continue;
            }
            if (readyButEmpty)
            {
                // A channel whose senders are all gone, one of them dead: wait for a new one.
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            final int state = source.await();
            if (state == Source.ENDED)
            {
                sendEnd(stop);
                return;
            }
            readyButEmpty = state == Source.READY;
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
        sequence = source.sequence();
        if (offered(publication.offer(buffer, offset, length, reservedValue)) > 0)
        {
            source.forwarded();
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
     * @return for a channel, how many of its messages bridges before this one forwarded (this one
     *         numbers the next one with it); 0 for a broadcast, whose messages carry their own numbers.
     */
    public long resumedAfter()
    {
        return source.resumedAfter();
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
        source.close();
        publication.close();
    }

    @Override
    public String toString()
    {
        return "BridgeOut{" + publication.channel() + ", stream " + publication.streamId() + "}";
    }

    /**
     * The local end a bridge forwards from.
     */
    private interface Source
    {
        int controlledPoll(ControlledMessageHandler handler, int limit);

        int WAITED = 0;
        int READY = 1;
        int ENDED = 2;

        /**
         * Waits a moment for a message.
         *
         * @return {@link #READY} if a poll would not wait, {@link #WAITED} if the moment passed,
         *         {@link #ENDED} once the local stream has ended.
         */
        int await() throws InterruptedException;

        /**
         * @return the sequence number of the message being handed over.
         */
        long sequence();

        /**
         * Aeron took the message being handed over.
         */
        void forwarded();

        long resumedAfter();

        void close();
    }

    private static final class BroadcastSource implements Source
    {
        private final BroadcastReceiver receiver;

        BroadcastSource(final BroadcastReceiver receiver)
        {
            this.receiver = receiver;
        }

        @Override
        public int controlledPoll(final ControlledMessageHandler handler, final int limit)
        {
            return receiver.controlledPoll(handler, limit);
        }

        @Override
        public int await() throws InterruptedException
        {
            try
            {
                return receiver.awaitMessage(1, TimeUnit.MILLISECONDS) ? READY : WAITED;
            }
            catch (final ChannelClosedException ended)
            {
                return ENDED;
            }
        }

        @Override
        public long sequence()
        {
            return receiver.messageSequence();
        }

        @Override
        public void forwarded()
        {
        }

        @Override
        public long resumedAfter()
        {
            return 0;
        }

        @Override
        public void close()
        {
            receiver.close();
        }
    }

    /**
     * A channel's receiver, numbered by the bridge: {@code NAME.forwarded} holds two slots of
     * (count, end), the newer one being the one with the larger end. A slot is written count first,
     * end last (a release), so a slot whose end is the newest is whole.
     */
    private static final class ChannelSource implements Source
    {
        private static final int SLOTS = 2;
        private static final int COUNT = 0;
        private static final int END = 1;

        private final ChannelReceiver receiver;
        private final LongArray record;
        /** The end, in the channel's stream, of the last message forwarded before; those ending by it are skipped. */
        private final long forwardedEnd;
        /** The messages forwarded before: this source's first sequence number. */
        private final long resumedAfter;
        private final ControlledMessageHandler skipping = this::skipOrForward;
        private ControlledMessageHandler downstream;
        private long next;
        private int slot;

        ChannelSource(final Channel channel)
        {
            final String name = Companion.FORWARDED.of(channel.object().segment().name(), channel.name());
            this.record = LongArray.openOrCreate(channel.object().segment(), name, 2L * SLOTS);
            this.receiver = channel.receiver();
            final int newer = record.getAcquire(END) >= record.getAcquire(2 + END) ? 0 : 1;
            this.forwardedEnd = record.getAcquire(2 * newer + END);
            this.next = record.getPlain(2 * newer + COUNT);
            this.resumedAfter = next;
            this.slot = 1 - newer;
        }

        @Override
        public int controlledPoll(final ControlledMessageHandler handler, final int limit)
        {
            downstream = handler;
            return receiver.controlledPoll(skipping, limit);
        }

        /**
         * Takes, unsent, a message that a bridge before this one forwarded; hands on the rest.
         */
        private boolean skipOrForward(final DirectBuffer buffer, final int offset, final int length)
        {
            return receiver.messageEnd() <= forwardedEnd || downstream.onMessage(buffer, offset, length);
        }

        @Override
        public int await() throws InterruptedException
        {
            if (!receiver.awaitMessage(1, TimeUnit.MILLISECONDS))
            {
                return WAITED;
            }
            return receiver.isEndOfStream() ? ENDED : READY;
        }

        @Override
        public long sequence()
        {
            return next;
        }

        @Override
        public long resumedAfter()
        {
            return resumedAfter;
        }

        @Override
        public void forwarded()
        {
            next++;
            record.setPlain(2 * slot + COUNT, next);
            record.setRelease(2 * slot + END, receiver.messageEnd());
            slot = 1 - slot;
        }

        @Override
        public void close()
        {
            receiver.close();
        }
    }
}
