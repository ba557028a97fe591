package io.shm.channel;

import io.shm.exceptions.LengthMismatchException;
import io.shm.segment.ObjectType;
import io.shm.segment.Segment;
import io.shm.segment.Shared;
import io.shm.segment.SharedObject;
import io.shm.segment.TypeId;
import io.shm.wait.WaitStrategy;
import org.agrona.concurrent.AtomicBuffer;

import java.util.function.Consumer;

import static io.shm.channel.ChannelDescriptor.*;

/**
 * A ring-buffer channel between processes: a named object of a segment that carries messages
 * (byte strings) from senders to one receiver, in order per sender. It replaces the tutorial's
 * {@code FloatChannel} (a shared array guarded by two semaphores).
 * <pre>{@code
 * Channel channel = Channel.openOrCreate(segment, "prices", ChannelOptions.defaults());
 * // producer process                           // consumer process
 * try (ChannelSender out = channel.sender())     try (ChannelReceiver in = channel.receiver())
 * {                                              {
 *     out.sendDoubles(prices, 0, prices.length);     int n = in.receiveDoubles(into);
 * }                                              }
 * }</pre>
 * Each process attaches a {@link ChannelSender} or the {@link ChannelReceiver}; the layout and
 * record format are in {@link ChannelDescriptor}. With {@link ChannelOptions#multiProducer()} any
 * number of senders (up to 16 at once) may send concurrently; otherwise one at a time.
 * <p>
 * <b>Memory consistency effects across processes:</b> what a sender did before sending a message
 * is visible to the receiver once it has received it.
 * <p>
 * <b>Failure model.</b> {@link ChannelSender#close()} ends the stream: the receiver drains every
 * committed message, then gets {@link io.shm.exceptions.ChannelClosedException}. A receiver whose
 * senders are all dead (pid and start time) gets {@link io.shm.exceptions.PeerDiedException} once
 * drained, and a sender whose receiver died gets it when the ring is full. A sender killed between
 * claiming space and committing its record leaves a hole that the receiver skips, counting the
 * bytes ({@link ChannelReceiver#skippedBytes()}), but only once that sender is proven dead: a
 * stopped or slow sender is waited for.
 */
public final class Channel implements Shared
{
    /**
     * The type recorded in the segment: one element per byte of control block and ring; layout 2
     * has 40-byte producer slots, layout 3 the single-producer owner word (a process of an older
     * layout would not respect it, so it refuses these channels and they refuse it).
     */
    public static final ObjectType TYPE = new ObjectType(TypeId.CHANNEL.id(), "Channel", 1, 3);

    private final SharedObject object;
    private final ChannelOptions options;

    private Channel(final SharedObject object)
    {
        this.object = object;
        final AtomicBuffer buffer = object.buffer();
        final int flags = buffer.getInt(SharedObject.DATA_OFFSET + FLAGS_OFFSET);
        this.options = new ChannelOptions(
            buffer.getInt(SharedObject.DATA_OFFSET + CAPACITY_OFFSET),
            buffer.getInt(SharedObject.DATA_OFFSET + MAX_MESSAGE_LENGTH_OFFSET),
            (flags & MULTI_PRODUCER) != 0,
            (flags & BLOCKING) != 0);
        if (object.length() != RING_OFFSET + (long)options.capacity())
        {
            throw new LengthMismatchException(object.describe() + " is " + object.length() + " bytes, but its capacity " +
                options.capacity() + " needs " + (RING_OFFSET + (long)options.capacity()));
        }
    }

    /**
     * Opens the channel, or creates it with {@code options}. An existing channel keeps the options
     * it was made with; a different capacity is refused.
     *
     * @param segment the segment.
     * @param name    the channel's name.
     * @param options capacity, largest message, producers, blocking.
     * @return the channel.
     * @throws LengthMismatchException if it exists with another capacity.
     */
    public static Channel openOrCreate(final Segment segment, final String name, final ChannelOptions options)
    {
        return new Channel(segment.object(name, TYPE, RING_OFFSET + (long)options.capacity(), initializer(options)));
    }

    /**
     * Creates the channel with {@code options}.
     *
     * @throws io.shm.exceptions.ObjectExistsException if the segment has an object of that name.
     */
    public static Channel create(final Segment segment, final String name, final ChannelOptions options)
    {
        return new Channel(segment.createObject(name, TYPE, RING_OFFSET + (long)options.capacity(), initializer(options)));
    }

    private static Consumer<SharedObject> initializer(final ChannelOptions options)
    {
        return object ->
        {
            final AtomicBuffer buffer = object.buffer();
            final int base = SharedObject.DATA_OFFSET;
            buffer.putInt(base + CAPACITY_OFFSET, options.capacity());
            buffer.putInt(base + MAX_MESSAGE_LENGTH_OFFSET, options.maxMessageLength());
            buffer.putInt(base + FLAGS_OFFSET, (options.multiProducer() ? MULTI_PRODUCER : 0) |
                (options.blocking() ? BLOCKING : 0));
        };
    }

    /**
     * Opens an existing channel with the options it was made with.
     *
     * @param segment the segment.
     * @param name    the channel's name.
     * @return the channel.
     */
    public static Channel open(final Segment segment, final String name)
    {
        return new Channel(segment.openObject(name, TYPE));
    }

    /**
     * Attaches this thread as a sender, waiting with the default strategy.
     *
     * @return the sender; close it to end the stream (or to leave a multi-producer channel).
     * @throws IllegalStateException if a single-producer channel has a live sender already.
     */
    public ChannelSender sender()
    {
        return sender(WaitStrategy.defaultStrategy());
    }

    /**
     * Attaches this thread as a sender.
     *
     * @param strategy how it waits for space.
     * @return the sender.
     */
    public ChannelSender sender(final WaitStrategy strategy)
    {
        return new ChannelSender(this, strategy);
    }

    /**
     * Attaches this thread as the receiver, waiting with the default strategy.
     *
     * @return the receiver.
     * @throws IllegalStateException if the channel has a live receiver already.
     */
    public ChannelReceiver receiver()
    {
        return receiver(WaitStrategy.defaultStrategy());
    }

    /**
     * Attaches this thread as the receiver.
     *
     * @param strategy how it waits for messages.
     * @return the receiver.
     */
    public ChannelReceiver receiver(final WaitStrategy strategy)
    {
        return new ChannelReceiver(this, strategy);
    }

    public ChannelOptions options()
    {
        return options;
    }

    public String name()
    {
        return object.name();
    }

    @Override
    public SharedObject object()
    {
        return object;
    }

    @Override
    public String toString()
    {
        return object.describe() + " " + options;
    }
}
