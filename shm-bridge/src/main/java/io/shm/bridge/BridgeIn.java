package io.shm.bridge;

import io.aeron.Aeron;
import io.aeron.ControlledFragmentAssembler;
import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler.Action;
import io.aeron.logbuffer.Header;
import io.shm.broadcast.Broadcast;
import io.shm.broadcast.BroadcastSender;
import io.shm.segment.Companion;
import io.shm.value.LongValue;
import org.agrona.DirectBuffer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Delivers a stream from another host into a local broadcast: an Aeron subscription whose
 * messages (reassembled whole when larger than the MTU; each one's sequence number in its frames'
 * reserved value) are sent into the broadcast.
 * <p>
 * <b>Back pressure carries forward.</b> When the local broadcast is back-pressured and its ring is
 * full, the fragment is refused ({@code ABORT} of Aeron's controlled poll, with one assembler kept
 * across polls): Aeron keeps it, the subscriber's position stops, and Aeron's flow control slows
 * the far sender, whose own broadcast then holds its sender back. Nothing grows without bound.
 * <p>
 * <b>What is missed is said exactly.</b> The last remote sequence delivered is kept beside the
 * broadcast (the object {@code NAME.bridged}), so a bridge restarted after a crash, or one that
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
    private final BroadcastSender sender;
    private final LongValue delivered;
    private final Listener listener;
    private final ControlledFragmentAssembler assembler = new ControlledFragmentAssembler(this::onFragment);
    private volatile boolean connected;
    private boolean ended;
    private long missed;
    private long received;
    private long refusals;

    private BridgeIn(final Aeron aeron, final String channel, final int streamId, final Broadcast target,
        final Listener listener)
    {
        this.listener = listener;
        this.delivered = LongValue.openOrCreate(target.object().segment(),
            Companion.BRIDGED.of(target.object().segment().name(), target.name()), -1);
        this.sender = target.sender();
        this.subscription = aeron.addSubscription(channel, streamId, this::available, this::unavailable);
    }

    /**
     * Subscribes to {@code channel}, {@code streamId} and delivers into {@code target}.
     */
    public static BridgeIn start(final Aeron aeron, final String channel, final int streamId, final Broadcast target,
        final Listener listener)
    {
        return new BridgeIn(aeron, channel, streamId, target, listener);
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
     * Delivers until the far stream ends or {@code stop} says to stop; idles by backing off to
     * sleeps of 1 ms.
     */
    public void run(final BooleanSupplier stop)
    {
        int idle = 0;
        while (!ended && !stop.getAsBoolean())
        {
            if (doWork() > 0)
            {
                idle = 0;
            }
            else if (++idle > 100)
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            else
            {
                Thread.onSpinWait();
            }
        }
    }

    private Action onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final long sequence = header.reservedValue();
        if (sequence == BridgeOut.END)
        {
            ended = true;
            sender.close();
            return Action.BREAK;
        }
        final long expected = delivered.getPlain() + 1;
        if (sequence < expected)
        {
            return Action.CONTINUE;
        }
        if (!sender.trySend(buffer, offset, length))
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
            sender.close();
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
}
