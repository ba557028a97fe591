package io.shm.broadcast;

import io.shm.channel.ControlledMessageHandler;
import io.shm.channel.MessageHandler;
import io.shm.exceptions.ChannelClosedException;
import io.shm.exceptions.CorruptSegmentException;
import io.shm.exceptions.PeerDiedException;
import io.shm.process.ProcessSlot;
import io.shm.segment.SharedObject;
import io.shm.wait.Deadline;
import io.shm.wait.WaitStrategy;
import io.shm.wait.Waitable;
import io.shm.wait.Waiter;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

import static io.shm.broadcast.BroadcastDescriptor.*;

/**
 * A receiving end of a {@link Broadcast}, for one thread, with its own position.
 * <p>
 * In back-pressured mode a message is handed to the handler where it lies in the ring (the sender
 * cannot overwrite it before this receiver publishes a position past it), and the position is
 * published every sixteenth of the ring, and before every sleep. In lossy mode the message is
 * copied out first and kept only if the sender's Tail Intent shows it was not overwritten during
 * the copy; a receiver that finds its position overwritten goes on from Head, the oldest record
 * the ring holds, and counts the messages it lost from their sequence numbers
 * ({@link #lostMessages()}), exactly.
 */
public final class BroadcastReceiver implements AutoCloseable, Waitable
{
    /**
     * Where a receiver starts.
     */
    public enum Start
    {
        /**
         * At the next message sent.
         */
        NEWEST,

        /**
         * At the oldest message the ring still holds.
         */
        OLDEST
    }

    /**
     * What a timed {@code receive} returns when the time ran out.
     */
    public static final int TIMED_OUT = -1;

    private final Broadcast broadcast;
    private final SharedObject object;
    private final AtomicBuffer buffer;
    private final WaitStrategy strategy;
    private final int base;
    private final int ring;
    private final int capacity;
    private final int mask;
    private final int publishThreshold;
    private final int maxMessageLength;
    private final boolean backPressured;
    private final int slot;
    private final UnsafeBuffer copy;
    private final ArrivalWait dataWait;
    private final MessageCopier copier;
    private long position;
    private long cachedTail;
    private long publishedPosition;
    private long messageSequence = -1;
    private long expectedSequence;
    private long lostMessages;
    /** Where a lossy receiver goes on once lapped. */
    private final Start afterLap;
    private long laps;
    private boolean closed;

    BroadcastReceiver(final Broadcast broadcast, final Start start, final Start afterLap, final WaitStrategy strategy)
    {
        this.broadcast = broadcast;
        this.afterLap = afterLap;
        this.object = broadcast.object();
        this.buffer = object.buffer();
        this.strategy = strategy;
        final BroadcastOptions options = broadcast.options();
        this.base = SharedObject.DATA_OFFSET;
        this.ring = base + ringOffset(options.maxReceivers());
        this.capacity = options.capacity();
        this.mask = capacity - 1;
        this.publishThreshold = capacity / 16;
        this.maxMessageLength = options.maxMessageLength();
        this.backPressured = options.backPressured();
        this.copy = backPressured ? null : new UnsafeBuffer(new byte[maxMessageLength]);
        this.copier = new MessageCopier(object.describe());
        object.checkOpen();
        this.slot = claimSlot(options.maxReceivers());
        join(start);
        this.dataWait = new ArrivalWait(this, object, strategy);
    }

    private int claimSlot(final int maxReceivers)
    {
        for (int i = 0; i < maxReceivers; i++)
        {
            final int offset = base + slotOffset(i);
            if (ProcessSlot.claimIfFree(buffer, offset) || ProcessSlot.takeOverFromDead(buffer, offset))
            {
                return offset;
            }
        }
        throw new IllegalStateException(object.describe() + " has " + maxReceivers +
            " receivers already (BroadcastOptions.maxReceivers)");
    }

    /**
     * Stores the starting position, bumps Joins, and reads Head again: a sender that moved Head
     * past the position meanwhile either sees the join (and waits for this receiver) or is seen
     * here (and the position moves up to Head).
     */
    private void join(final Start start)
    {
        long candidate = buffer.getLongVolatile(base + (start == Start.NEWEST ? TAIL_OFFSET : HEAD_OFFSET));
        while (true)
        {
            buffer.putLongVolatile(slot + SLOT_POSITION_OFFSET, candidate);
            buffer.getAndAddInt(base + JOINS_OFFSET, 1);
            final long head = buffer.getLongVolatile(base + HEAD_OFFSET);
            if (head <= candidate)
            {
                break;
            }
            candidate = head;
        }
        position = candidate;
        publishedPosition = candidate;
        expectedSequence = sequenceAtPosition();
    }

    /**
     * @return the sequence number of the first message at or after the position (passing padding
     *         and, in lossy mode, going on from Head if overwritten meanwhile): the one this
     *         receiver expects first, so that a loss before its first message counts too. The
     *         next sequence is read before the Tail, so the answer is never above the truth.
     */
    private long sequenceAtPosition()
    {
        while (true)
        {
            final long next = buffer.getLongVolatile(base + NEXT_SEQUENCE_OFFSET);
            if (buffer.getLongVolatile(base + TAIL_OFFSET) <= position)
            {
                return next;
            }
            final int record = ring + (int)(position & mask);
            final int length = buffer.getInt(record);
            final int type = buffer.getInt(record + TYPE_OFFSET);
            final long sequence = type == MESSAGE ? buffer.getLong(record + SEQUENCE_OFFSET) : -1;
            if (!backPressured && !intactAfterReads())
            {
                position = Math.max(position, buffer.getLongVolatile(base + HEAD_OFFSET));
                continue;
            }
            if (type != PADDING)
            {
                return sequence;
            }
            checkPadding(type, length);
            position += length;
        }
    }

    /**
     * Hands up to {@code limit} waiting messages to {@code handler}, without waiting. The buffer
     * handed over is valid only during the call.
     *
     * @return how many were handled.
     */
    public int poll(final MessageHandler handler, final int limit)
    {
        return poll(handler, null, limit);
    }

    /**
     * As {@link #poll(MessageHandler, int)}, but the handler may refuse a message: the poll then
     * stops, and the next one hands the same message over again (in a back-pressured broadcast it
     * holds the sender back meanwhile, as any unread message does; in a lossy one the sender may
     * lap it). {@link #messageSequence()} names the message during the call.
     *
     * @return how many messages were taken.
     */
    public int controlledPoll(final ControlledMessageHandler handler, final int limit)
    {
        return poll(null, handler, limit);
    }

    private int poll(final MessageHandler handler, final ControlledMessageHandler controlled, final int limit)
    {
        checkOpen();
        int handled = 0;
        long tail = cachedTail;
        while (handled < limit)
        {
            if (tail <= position && (tail = buffer.getLongVolatile(base + TAIL_OFFSET)) <= position)
            {
                break;
            }
            final int index = (int)(position & mask);
            final int record = ring + index;
            final int length = buffer.getInt(record);
            final int type = buffer.getInt(record + TYPE_OFFSET);
            if (type != MESSAGE || length < 0 || length > maxMessageLength || length > capacity - HEADER_LENGTH - index)
            {
                // Padding, or (lossy) a header torn by the sender lapping this receiver, or corrupt.
                if (!backPressured && !intactAfterReads())
                {
                    lapped();
                    continue;
                }
                checkPadding(type, length);
                position += length;
                continue;
            }
            final long sequence = buffer.getLong(record + SEQUENCE_OFFSET);
            messageSequence = sequence;
            final DirectBuffer message;
            final int offset;
            if (backPressured)
            {
                message = buffer;
                offset = record + HEADER_LENGTH;
            }
            else
            {
                // The one check of a lossy read: nothing read above was overwritten meanwhile.
                copy.putBytes(0, buffer, record + HEADER_LENGTH, length);
                if (!intactAfterReads())
                {
                    lapped();
                    continue;
                }
                message = copy;
                offset = 0;
            }
            if (controlled == null)
            {
                handler.onMessage(message, offset, length);
            }
            else if (!controlled.onMessage(message, offset, length))
            {
                break;
            }
            consumed(sequence, length);
            handled++;
        }
        cachedTail = tail;
        return handled;
    }

    /**
     * Receives the next message into {@code destination}, waiting as long as it takes.
     *
     * @return its length.
     * @throws IllegalArgumentException if it is longer than {@code destination} (it is left to read).
     * @throws ChannelClosedException   if the sender closed and every message was taken.
     * @throws PeerDiedException        if the sender's process died and every message was taken.
     */
    public int receive(final byte[] destination) throws InterruptedException
    {
        return receive(destination, Deadline.NONE);
    }

    /**
     * As {@link #receive(byte[])}, waiting at most {@code timeout}.
     *
     * @return its length, or {@link #TIMED_OUT}.
     */
    public int receive(final byte[] destination, final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return receive(destination, Deadline.after(timeout, unit));
    }

    /**
     * Receives the next message into {@code destination} from {@code offset}, waiting as long as
     * it takes.
     *
     * @return its length.
     */
    public int receive(final MutableDirectBuffer destination, final int offset) throws InterruptedException
    {
        return receive(destination, offset, Deadline.NONE);
    }

    /**
     * Receives the next message as a new array, waiting as long as it takes.
     */
    public byte[] receive() throws InterruptedException
    {
        copier.intoNew();
        receive(copier, Deadline.NONE);
        return copier.array();
    }

    private int receive(final byte[] destination, final long deadline) throws InterruptedException
    {
        copier.into(destination);
        return receive(copier, deadline);
    }

    private int receive(final MutableDirectBuffer destination, final int offset, final long deadline)
        throws InterruptedException
    {
        copier.into(destination, offset);
        return receive(copier, deadline);
    }

    private int receive(final MessageCopier copier, final long deadline) throws InterruptedException
    {
        while (poll(copier, 1) == 0)
        {
            if (!dataWait.await(deadline, true))
            {
                return TIMED_OUT;
            }
        }
        return copier.length();
    }

    /**
     * Waits until a record is there to read (or the time runs out).
     *
     * @return false if the time ran out first.
     * @throws ChannelClosedException if the sender closed and every message was taken.
     * @throws PeerDiedException      if the sender's process died and every message was taken.
     */
    public boolean awaitMessage(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        checkOpen();
        return dataWait.await(Deadline.after(timeout, unit), true);
    }

    /**
     * @return whether a message is there to read now (padding before it is passed over); never
     *         waits.
     */
    public boolean hasMessage()
    {
        checkOpen();
        while (true)
        {
            if (buffer.getLongVolatile(base + TAIL_OFFSET) <= position)
            {
                return false;
            }
            final int record = ring + (int)(position & mask);
            final int length = buffer.getInt(record);
            final int type = buffer.getInt(record + TYPE_OFFSET);
            if (type != PADDING || (!backPressured && !intactAfterReads()))
            {
                // A message, or (lossy) a lap: either way a poll has a message to give.
                return true;
            }
            checkPadding(type, length);
            position += length;
        }
    }

    /**
     * @return whether the sender closed and every message was taken: a receive would fail.
     */
    public boolean isEndOfStream()
    {
        checkOpen();
        // The sender's slot is read before the tail: a message sent before the close is then seen.
        if (ProcessSlot.pid(buffer, base + SENDER_SLOT_OFFSET) == SENDER_CLOSED && !hasMessage())
        {
            settleLoss();
            return true;
        }
        return false;
    }

    /**
     * @return whether a receive would return or fail at once ({@link io.shm.wait.WaitMany}).
     */
    @Override
    public boolean isReady()
    {
        return hasMessage() || isEndOfStream();
    }

    @Override
    public Waiter waiter()
    {
        return dataWait;
    }

    /**
     * @return how many messages this receiver lost by falling a ring behind (lossy mode); 0 in
     *         back-pressured mode.
     */
    public long lostMessages()
    {
        return lostMessages;
    }

    /**
     * @return how many times this receiver found its position overwritten and went on from Head.
     */
    public long laps()
    {
        return laps;
    }

    /**
     * @return the sequence number of the message {@link #poll}'s handler is being given (or was
     *         given last): the sender numbers its messages 0, 1, 2, ... so a recorder can store
     *         where each came in the stream. After a {@code receive}, it is {@code expectedSequence() - 1}.
     */
    public long messageSequence()
    {
        return messageSequence;
    }

    /**
     * @return the sequence number of the next message this receiver expects.
     */
    public long expectedSequence()
    {
        return expectedSequence;
    }

    public Broadcast broadcast()
    {
        return broadcast;
    }

    /**
     * Leaves: the slot is given back, so that a back-pressured sender no longer waits for it.
     */
    @Override
    public void close()
    {
        if (closed || !object.isOpen())
        {
            closed = true;
            return;
        }
        closed = true;
        buffer.putLongVolatile(slot + SLOT_POSITION_OFFSET, Long.MAX_VALUE);
        ProcessSlot.release(buffer, slot);
        wakeSender();
    }

    @Override
    public String toString()
    {
        return "receiver of " + object.describe() + " at " + position;
    }

    private boolean intactAfterReads()
    {
        VarHandle.loadLoadFence();
        return buffer.getLongVolatile(base + TAIL_INTENT_OFFSET) - capacity <= position;
    }

    private void lapped()
    {
        laps++;
        if (afterLap == Start.OLDEST)
        {
            position = Math.max(position, buffer.getLongVolatile(base + HEAD_OFFSET));
            return;
        }
        // At the next message sent. What lies between is counted when that message comes (its
        // sequence number says how many were skipped), or at the end of the stream if none does.
        position = Math.max(position, buffer.getLongVolatile(base + TAIL_OFFSET));
    }

    /**
     * At the end of the stream: counts what a lap to the newest skipped and no later message
     * accounted for (the sender's next sequence number is final then).
     */
    void settleLoss()
    {
        if (afterLap == Start.NEWEST)
        {
            final long next = buffer.getLongVolatile(base + NEXT_SEQUENCE_OFFSET);
            if (next > expectedSequence)
            {
                lostMessages += next - expectedSequence;
                expectedSequence = next;
            }
        }
    }

    private void consumed(final long sequence, final int length)
    {
        if (sequence > expectedSequence)
        {
            lostMessages += sequence - expectedSequence;
        }
        expectedSequence = sequence + 1;
        position += recordLength(length);
        if (backPressured && position - publishedPosition >= publishThreshold)
        {
            publish();
        }
    }

    long position()
    {
        return position;
    }

    void publishIfBackPressured()
    {
        if (backPressured)
        {
            publish();
        }
    }

    private void publish()
    {
        if (position == publishedPosition)
        {
            return;
        }
        publishedPosition = position;
        // A full fence: the look at Sender Waiting below cannot pass this store.
        buffer.putLongVolatile(slot + SLOT_POSITION_OFFSET, position);
        if (buffer.getIntVolatile(base + SENDER_WAITING_OFFSET) != 0)
        {
            wakeSender();
        }
    }

    private void wakeSender()
    {
        buffer.getAndAddInt(base + SPACE_SEQUENCE_OFFSET, 1);
        strategy.wake(buffer, base + SPACE_SEQUENCE_OFFSET, Integer.MAX_VALUE);
    }

    private void checkPadding(final int type, final int length)
    {
        if (type != PADDING || length <= 0 || length > capacity - (int)(position & mask) ||
            (length & (RECORD_ALIGNMENT - 1)) != 0)
        {
            throw corrupt("a record of type " + type + " and length " + length);
        }
    }

    private CorruptSegmentException corrupt(final String what)
    {
        return new CorruptSegmentException(object.describe() + " holds " + what + " at position " + position +
            ", which cannot be: the stream cannot be followed");
    }

    private void checkOpen()
    {
        object.checkOpen();
        if (closed)
        {
            throw new IllegalStateException("receiver of " + object.describe() + " is closed");
        }
    }
}
