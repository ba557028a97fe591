package io.shm.bridge;

import io.aeron.Aeron;
import io.aeron.ControlledFragmentAssembler;
import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler.Action;
import io.aeron.logbuffer.Header;
import io.shm.broadcast.Broadcast;
import io.shm.broadcast.BroadcastSender;
import io.shm.channel.Channel;
import io.shm.channel.ChannelSender;
import io.shm.segment.SharedObject;
import io.shm.segment.Companion;
import io.shm.value.LongValue;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Delivers a stream from another host into a local broadcast or channel: an Aeron subscription
 * whose messages (reassembled whole when larger than the MTU; each one's sequence number in its
 * frames' reserved value) are sent into it.
 * <p>
 * <b>Back pressure carries forward.</b> When the local ring is full (a back-pressured broadcast,
 * or a channel), the fragment is refused ({@code ABORT} of Aeron's controlled poll, with one assembler kept
 * across polls): Aeron keeps it, the subscriber's position stops, and Aeron's flow control slows
 * the far sender, whose own broadcast then holds its sender back. Nothing grows without bound.
 * <p>
 * A message longer than one record of a local channel needs several, and is sent with a blocking
 * send, which waits for the channel's receiver to make room.
 * <p>
 * <b>What is missed is said exactly.</b> The last remote sequence delivered is kept beside the
 * local object (the object {@code NAME.bridged}), so a bridge restarted after a crash, or one that
 * joins late, compares the first sequence it receives with it and reports the range between as a
 * gap ({@link Listener#onGap}): Aeron UDP is reliable while both ends live, not durable across a
 * restart (a journal is, see {@code shm-journal}). A far bridge that goes silent (killed, or its
 * host gone) is reported by {@link Listener#onDisconnected} once its image times out
 * ({@link AeronHost#DEFAULT_IMAGE_LIVENESS}); the end marker of a far stream that ended closes
 * the local stream.
 */
public final class BridgeIn implements AutoCloseable
{
    private static final int FRAGMENTS = 1024;

    private final Subscription subscription;
    private final Target target;
    private final LongValue delivered;
    private final Listener listener;
    private final ControlledFragmentAssembler assembler = new ControlledFragmentAssembler(this::onFragment);
    private volatile boolean connected;
    private boolean ended;
    private long missed;
    private long received;
    private long refusals;

    private BridgeIn(final Aeron aeron, final String channel, final int streamId, final SharedObject local,
        final Target target, final Listener listener)
    {
        this.listener = listener;
        this.target = target;
        try
        {
            this.delivered = LongValue.openOrCreate(local.segment(), Companion.BRIDGED.of(local.segment().name(),
                local.name()), -1);
            this.subscription = aeron.addSubscription(channel, streamId, this::available, this::unavailable);
        }
        catch (final RuntimeException ex)
        {
            target.close();
            throw ex;
        }
    }

    /**
     * Subscribes to {@code channel}, {@code streamId} and delivers into the broadcast {@code target}.
     */
    public static BridgeIn start(final Aeron aeron, final String channel, final int streamId, final Broadcast target,
        final Listener listener)
    {
        final BroadcastSender sender = target.sender();
        return new BridgeIn(aeron, channel, streamId, target.object(), new Target()
        {
            @Override
            public boolean trySend(final DirectBuffer buffer, final int offset, final int length)
            {
                return sender.trySend(buffer, offset, length);
            }

            @Override
            public void close()
            {
                sender.close();
            }
        }, listener);
    }

    /**
     * Subscribes to {@code channel}, {@code streamId} and delivers into the channel {@code target},
     * as one of its senders.
     */
    public static BridgeIn start(final Aeron aeron, final String channel, final int streamId, final Channel target,
        final Listener listener)
    {
        final ChannelSender sender = target.sender();
        final int maxRecordPayload = target.options().maxRecordPayload();
        return new BridgeIn(aeron, channel, streamId, target.object(), new Target()
        {
            @Override
            public boolean trySend(final DirectBuffer buffer, final int offset, final int length)
                throws InterruptedException
            {
                if (length <= maxRecordPayload)
                {
                    return sender.trySend(buffer, offset, length);
                }
                sender.send(buffer, offset, length);
                return true;
            }

            @Override
            public void close()
            {
                sender.close();
            }
        }, listener);
    }

    /**
     * Delivers what has arrived, without waiting.
     *
     * @return how many fragments were taken.
     */
    public int doWork()
    {
        return subscription.controlledPoll(assembler, FRAGMENTS);
    }

    /**
     * Delivers until the far stream ends or {@code stop} says to stop; idles as Aeron's own
     * agents do, backing off from spins to sleeps of at most 1 ms.
     */
    public void run(final BooleanSupplier stop)
    {
        final IdleStrategy idle = new BackoffIdleStrategy(100, 10, TimeUnit.MICROSECONDS.toNanos(1),
            TimeUnit.MILLISECONDS.toNanos(1));
        while (!ended && !stop.getAsBoolean())
        {
            idle.idle(doWork());
        }
    }

    private Action onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final long sequence = header.reservedValue();
        if (sequence == BridgeOut.END)
        {
            ended = true;
            target.close();
            return Action.BREAK;
        }
        final long expected = delivered.getPlain() + 1;
        if (sequence < expected)
        {
            return Action.CONTINUE;
        }
        if (!offer(buffer, offset, length))
        {
            // The local ring is full: leave the fragment with Aeron, whose flow control slows the sender.
            refusals++;
            return Action.ABORT;
        }
        if (sequence > expected)
        {
            missed += sequence - expected;
            listener.onGap(expected, sequence - 1);
        }
        // Release: a bridge restarted after this one reads it to know where it stood.
        delivered.setRelease(sequence);
        received++;
        return Action.CONTINUE;
    }

    private boolean offer(final DirectBuffer buffer, final int offset, final int length)
    {
        try
        {
            return target.trySend(buffer, offset, length);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void available(final Image image)
    {
        connected = true;
        listener.onConnected(image.sourceIdentity());
    }

    private void unavailable(final Image image)
    {
        connected = subscription.imageCount() > 0;
        listener.onDisconnected(image.sourceIdentity());
    }

    /**
     * @return whether a far bridge is connected.
     */
    public boolean isConnected()
    {
        return connected;
    }

    /**
     * @return whether the far stream ended (its end marker came).
     */
    public boolean isEnded()
    {
        return ended;
    }

    /**
     * @return the messages delivered by this bridge.
     */
    public long received()
    {
        return received;
    }

    /**
     * @return how many times the local ring had no room (each fragment left with Aeron and taken later).
     */
    public long refusals()
    {
        return refusals;
    }

    /**
     * @return the messages this bridge reported missed.
     */
    public long missed()
    {
        return missed;
    }

    @Override
    public void close()
    {
        subscription.close();
        if (!ended)
        {
            target.close();
        }
    }

    /**
     * What a bridge tells its user. Connection changes come from Aeron's client thread; gaps from
     * the thread that polls.
     */
    public interface Listener
    {
        /**
         * Messages {@code from} to {@code to} (inclusive) of the far stream were not delivered here.
         */
        default void onGap(final long from, final long to)
        {
        }

        default void onConnected(final String source)
        {
        }

        default void onDisconnected(final String source)
        {
        }
    }

    /**
     * The local end a bridge delivers into.
     */
    private interface Target
    {
        /**
         * @return false if there is no room now.
         */
        boolean trySend(DirectBuffer buffer, int offset, int length) throws InterruptedException;

        void close();
    }
}
