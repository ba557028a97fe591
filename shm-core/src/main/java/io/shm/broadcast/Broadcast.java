package io.shm.broadcast;

import io.shm.exceptions.LengthMismatchException;
import io.shm.process.ProcessSlot;
import io.shm.segment.ObjectType;
import io.shm.segment.Segment;
import io.shm.segment.Shared;
import io.shm.segment.SharedObject;
import io.shm.segment.TypeId;
import io.shm.wait.WaitStrategy;
import org.agrona.concurrent.AtomicBuffer;

import java.util.Objects;
import java.util.function.Consumer;

import static io.shm.broadcast.BroadcastDescriptor.*;

/**
 * A one-to-many channel: one sender, any number of receivers up to a maximum, each with its own
 * position, joining and leaving at any time (a market-data feed read by several processes).
 * Messages are whole (never fragments) and at most an eighth of the ring.
 * <p>
 * Two modes, chosen at creation ({@link BroadcastOptions#backPressured()}):
 * <ul>
 *     <li><b>Lossy</b>: the sender never waits. A receiver that falls a ring behind loses the
 *     messages overwritten under it; it is told exactly how many
 *     ({@link BroadcastReceiver#lostMessages()}) and goes on from the oldest the ring still holds.
 *     Agrona's broadcast buffers work this way (they jump to the newest message).</li>
 *     <li><b>Back-pressured</b>: the sender waits for the slowest live receiver, so nothing is
 *     lost. A receiver whose process is proven dead (pid and start time) stops holding it back
 *     within a slice of the sender's wait; a slow or stopped one holds it back for as long as it
 *     takes.</li>
 * </ul>
 * A receiver joins at the newest message or the oldest the ring still holds
 * ({@link BroadcastReceiver.Start}). Receivers sleep when idle and the sender wakes them only when
 * one has announced a sleep: no system call while they are awake. The sender's {@code close()}
 * ends the stream: receivers take what is left, then learn the end; a sender whose process died
 * is reported to waiting receivers, and a new sender may take its place.
 */
public final class Broadcast implements Shared
{
    /**
     * The type recorded in the segment: one element per byte of control block, slots and ring.
     */
    public static final ObjectType TYPE = new ObjectType(TypeId.BROADCAST.id(), "Broadcast", 1, 1);

    private final SharedObject object;
    private final BroadcastOptions options;

    private Broadcast(final SharedObject object)
    {
        this.object = object;
        final AtomicBuffer buffer = object.buffer();
        final int base = SharedObject.DATA_OFFSET;
        this.options = new BroadcastOptions(
            buffer.getInt(base + CAPACITY_OFFSET),
            buffer.getInt(base + MAX_MESSAGE_LENGTH_OFFSET),
            buffer.getInt(base + MAX_RECEIVERS_OFFSET),
            (buffer.getInt(base + FLAGS_OFFSET) & BACK_PRESSURED) != 0);
        if (object.length() != length(options))
        {
            throw new LengthMismatchException(object.describe() + " is " + object.length() + " bytes, but its options " +
                options + " need " + length(options));
        }
    }

    /**
     * Opens the broadcast channel, or creates it with {@code options}. An existing one keeps the
     * options it was made with; one of another length is refused.
     *
     * @throws LengthMismatchException if it exists with another capacity or number of receivers.
     */
    public static Broadcast openOrCreate(final Segment segment, final String name, final BroadcastOptions options)
    {
        return new Broadcast(segment.object(name, TYPE, length(options), initializer(options)));
    }

    /**
     * Creates the broadcast channel with {@code options}.
     *
     * @throws io.shm.exceptions.ObjectExistsException if the segment has an object of that name.
     */
    public static Broadcast create(final Segment segment, final String name, final BroadcastOptions options)
    {
        return new Broadcast(segment.createObject(name, TYPE, length(options), initializer(options)));
    }

    /**
     * Opens an existing broadcast channel with the options it was made with.
     */
    public static Broadcast open(final Segment segment, final String name)
    {
        return new Broadcast(segment.openObject(name, TYPE));
    }

    private static long length(final BroadcastOptions options)
    {
        return ringOffset(options.maxReceivers()) + (long)options.capacity();
    }

    private static Consumer<SharedObject> initializer(final BroadcastOptions options)
    {
        return object ->
        {
            final AtomicBuffer buffer = object.buffer();
            final int base = SharedObject.DATA_OFFSET;
            buffer.putInt(base + CAPACITY_OFFSET, options.capacity());
            buffer.putInt(base + MAX_MESSAGE_LENGTH_OFFSET, options.maxMessageLength());
            buffer.putInt(base + FLAGS_OFFSET, options.backPressured() ? BACK_PRESSURED : 0);
            buffer.putInt(base + MAX_RECEIVERS_OFFSET, options.maxReceivers());
            for (int i = 0; i < options.maxReceivers(); i++)
            {
                buffer.putLong(base + slotOffset(i) + SLOT_POSITION_OFFSET, Long.MAX_VALUE);
            }
        };
    }

    /**
     * Attaches this thread as the sender, waiting (back-pressured) with the default strategy.
     *
     * @throws IllegalStateException if a live process is the sender already.
     */
    public BroadcastSender sender()
    {
        return sender(WaitStrategy.defaultStrategy());
    }

    /**
     * Attaches this thread as the sender.
     *
     * @param strategy how it waits for room (back-pressured mode only).
     */
    public BroadcastSender sender(final WaitStrategy strategy)
    {
        return new BroadcastSender(this, strategy);
    }

    /**
     * Attaches this thread as a receiver that starts at {@code start}, waiting with the default
     * strategy.
     *
     * @throws IllegalStateException if every receiver slot is held by a live process.
     */
    public BroadcastReceiver receiver(final BroadcastReceiver.Start start)
    {
        return receiver(start, WaitStrategy.defaultStrategy());
    }

    /**
     * Attaches this thread as a receiver.
     *
     * @param start    where it starts: the newest message or the oldest still held.
     * @param strategy how it waits for messages.
     */
    public BroadcastReceiver receiver(final BroadcastReceiver.Start start, final WaitStrategy strategy)
    {
        return new BroadcastReceiver(this, start, BroadcastReceiver.Start.OLDEST, strategy);
    }

    /**
     * Attaches this thread as a receiver that, in a lossy broadcast, goes on from {@code afterLap}
     * once the sender laps it: {@code OLDEST}, the oldest message the ring still holds (the
     * default), or {@code NEWEST}, the next message sent (as Agrona's broadcast receiver does),
     * which leaves it a whole ring of room before it can be lapped again. Either way
     * {@link BroadcastReceiver#lostMessages()} counts exactly what it missed. A back-pressured
     * broadcast never laps a receiver.
     *
     * @param start    where it starts: the newest message or the oldest still held.
     * @param afterLap where it goes on once lapped.
     * @param strategy how it waits for messages.
     */
    public BroadcastReceiver receiver(final BroadcastReceiver.Start start, final BroadcastReceiver.Start afterLap,
        final WaitStrategy strategy)
    {
        return new BroadcastReceiver(this, start, Objects.requireNonNull(afterLap, "afterLap"), strategy);
    }

    /**
     * @return how many receiver slots a live or not yet proven dead process holds now.
     */
    public int receivers()
    {
        final AtomicBuffer buffer = object.buffer();
        int count = 0;
        for (int i = 0; i < options.maxReceivers(); i++)
        {
            if (ProcessSlot.pid(buffer, SharedObject.DATA_OFFSET + slotOffset(i)) > 0)
            {
                count++;
            }
        }
        return count;
    }

    public BroadcastOptions options()
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
