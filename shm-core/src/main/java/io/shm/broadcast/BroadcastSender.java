package io.shm.broadcast;

import io.shm.exceptions.MessageTooLargeException;
import io.shm.process.ProcessSlot;
import io.shm.segment.SharedObject;
import io.shm.wait.Deadline;
import io.shm.wait.WaitStrategy;
import io.shm.wait.Waiter;
import io.shm.wait.linux.Membarrier;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;

import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static io.shm.broadcast.BroadcastDescriptor.*;

/**
 * The sending end of a {@link Broadcast}, for one thread; one per broadcast channel at a time.
 * <p>
 * <b>Protocol.</b> A message goes into the record at the tail (after a padding record to the
 * ring's end if it would not fit before it): the sender stores Tail Intent, the end of what it is
 * about to write, before it writes a byte; then the record; then Tail. Before Tail Intent passes
 * {@code head + capacity} it moves Head forward over whole records, a quarter of the ring at a
 * time, so that a lapped or joining receiver always finds a record boundary there. In
 * back-pressured mode it moves Head only as far as the slowest live receiver's published position
 * and waits, when that is not far enough, until the receivers publish more or a receiver is proven
 * dead; so a quarter of the ring is claimed with one look at the slots, and a message costs its
 * own stores. A receiver that joins stores its position, then bumps Joins, then reads Head again;
 * the sender stores Head, then reads Joins: one of the two sees the other.
 * <p>
 * The Tail store is a release when this process is registered for
 * {@link Membarrier membarrier} (a receiver sends every registered process a barrier before it
 * sleeps), a full fence otherwise; after it the sender wakes receivers only if one has announced
 * a sleep.
 */
public final class BroadcastSender implements AutoCloseable
{
    private final Broadcast broadcast;
    private final SharedObject object;
    private final AtomicBuffer buffer;
    private final WaitStrategy strategy;
    private final int base;
    private final int ring;
    private final int capacity;
    private final int mask;
    private final int quarter;
    private final int maxMessageLength;
    private final int maxReceivers;
    private final boolean backPressured;
    private final boolean fencedByReceivers;
    private final SpaceWait spaceWait;
    private long tail;
    private long head;
    private long reservedEnd;
    private long nextSequence;
    private int seenJoins;
    private long slowest;
    private boolean closed;

    BroadcastSender(final Broadcast broadcast, final WaitStrategy strategy)
    {
        this.broadcast = broadcast;
        this.object = broadcast.object();
        this.buffer = object.buffer();
        this.strategy = strategy;
        final BroadcastOptions options = broadcast.options();
        this.base = SharedObject.DATA_OFFSET;
        this.ring = base + ringOffset(options.maxReceivers());
        this.capacity = options.capacity();
        this.mask = capacity - 1;
        this.quarter = capacity / 4;
        this.maxMessageLength = options.maxMessageLength();
        this.maxReceivers = options.maxReceivers();
        this.backPressured = options.backPressured();
        this.fencedByReceivers = Membarrier.isAvailable() && Membarrier.registerThisProcess();
        object.checkOpen();
        final long holder = ProcessSlot.claimUnlessHeld(buffer, base + SENDER_SLOT_OFFSET);
        if (holder != 0)
        {
            throw new IllegalStateException(object.describe() + " already has a sender: process " + holder);
        }
        this.tail = buffer.getLongVolatile(base + TAIL_OFFSET);
        this.head = buffer.getLongVolatile(base + HEAD_OFFSET);
        this.nextSequence = buffer.getLongVolatile(base + NEXT_SEQUENCE_OFFSET);
        this.reservedEnd = head + capacity;
        this.slowest = Long.MAX_VALUE;
        this.seenJoins = buffer.getIntVolatile(base + JOINS_OFFSET) - 1;
        this.spaceWait = new SpaceWait();
        padUnfinishedRecord();
    }

    /**
     * A sender that died between storing Tail Intent and Tail left a record unfinished: it becomes
     * padding (two records if it crossed the ring's end), so that receivers pass over it. Its
     * message's sequence number may already be spent; receivers then count it lost.
     */
    private void padUnfinishedRecord()
    {
        final long intent = buffer.getLongVolatile(base + TAIL_INTENT_OFFSET);
        long position = tail;
        while (position < intent)
        {
            final int index = (int)(position & mask);
            final int length = (int)Math.min(intent - position, capacity - index);
            buffer.putInt(ring + index, length);
            buffer.putInt(ring + index + TYPE_OFFSET, PADDING);
            position += length;
        }
        if (intent > tail)
        {
            tail = intent;
            buffer.putLongVolatile(base + TAIL_OFFSET, tail);
        }
    }

    /**
     * Sends a message; in back-pressured mode waits for room as long as it takes (a lossy sender
     * never waits).
     *
     * @throws MessageTooLargeException if it is longer than the channel's largest message.
     * @throws InterruptedException     if interrupted while waiting for room (nothing is sent).
     */
    public void send(final DirectBuffer source, final int offset, final int length) throws InterruptedException
    {
        write(source, offset, length, Deadline.NONE);
    }

    /**
     * Sends {@code length} bytes of {@code source} from {@code offset}, as
     * {@link #send(DirectBuffer, int, int)}.
     */
    public void send(final byte[] source, final int offset, final int length) throws InterruptedException
    {
        Objects.checkFromIndexSize(offset, length, source.length);
        write(source, offset, length, Deadline.NONE);
    }

    /**
     * Sends the whole array as one message.
     */
    public void send(final byte[] source) throws InterruptedException
    {
        write(source, 0, source.length, Deadline.NONE);
    }

    /**
     * Sends a message if there is room now (always, in lossy mode).
     *
     * @return false if a back-pressured channel had no room (nothing was written).
     */
    public boolean trySend(final DirectBuffer source, final int offset, final int length)
    {
        try
        {
            return write(source, offset, length, Deadline.after(0L));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * As {@link #send(DirectBuffer, int, int)}, waiting at most {@code timeout} for room.
     *
     * @return false if the time ran out first (nothing was written).
     */
    public boolean send(final DirectBuffer source, final int offset, final int length, final long timeout,
        final TimeUnit unit) throws InterruptedException
    {
        return write(source, offset, length, Deadline.after(timeout, unit));
    }

    private boolean write(final Object source, final int offset, final int length, final long deadline)
        throws InterruptedException
    {
        checkOpen();
        if (length < 0 || length > maxMessageLength)
        {
            throw new MessageTooLargeException("a " + length + "-byte message does not fit the " + maxMessageLength +
                "-byte limit of " + object.describe());
        }
        final int available = source instanceof byte[] bytes ? bytes.length : ((DirectBuffer)source).capacity();
        if (offset < 0 || offset > available - length)
        {
            throw new IndexOutOfBoundsException("a " + length + "-byte message from " + offset + " of a source of " +
                available + " bytes");
        }
        final int recordLength = recordLength(length);
        int index = (int)(tail & mask);
        final int toEnd = capacity - index;
        final int padding = recordLength > toEnd ? toEnd : 0;
        final long end = tail + padding + recordLength;
        if (end > reservedEnd && !reserve(end, deadline))
        {
            return false;
        }
        buffer.putLongRelease(base + TAIL_INTENT_OFFSET, end);
        VarHandle.storeStoreFence();
        if (padding > 0)
        {
            buffer.putInt(ring + index, padding);
            buffer.putInt(ring + index + TYPE_OFFSET, PADDING);
            index = 0;
        }
        final int record = ring + index;
        buffer.putInt(record, length);
        buffer.putInt(record + TYPE_OFFSET, MESSAGE);
        buffer.putLong(record + SEQUENCE_OFFSET, nextSequence);
        if (source instanceof byte[] bytes)
        {
            buffer.putBytes(record + HEADER_LENGTH, bytes, offset, length);
        }
        else
        {
            buffer.putBytes(record + HEADER_LENGTH, (DirectBuffer)source, offset, length);
        }
        buffer.putLong(base + NEXT_SEQUENCE_OFFSET, ++nextSequence);
        tail = end;
        if (fencedByReceivers)
        {
            buffer.putLongRelease(base + TAIL_OFFSET, end);
        }
        else
        {
            buffer.putLongVolatile(base + TAIL_OFFSET, end);
        }
        if (buffer.getIntVolatile(base + RECEIVERS_WAITING_OFFSET) > 0)
        {
            wakeReceivers();
        }
        return true;
    }

    /**
     * Moves Head so that a record ending at {@code end} overwrites nothing a receiver still needs:
     * a quarter of the ring beyond what {@code end} needs, or in back-pressured mode as far as
     * the slowest live receiver, waiting until that is far enough.
     *
     * @return false if the deadline passed first.
     */
    private boolean reserve(final long end, final long deadline) throws InterruptedException
    {
        final long needed = end - capacity;
        long target = needed + quarter;
        if (backPressured)
        {
            if (!awaitReceivers(needed, deadline))
            {
                return false;
            }
            target = Math.max(needed, Math.min(target, slowest));
        }
        while (head < target && head < tail)
        {
            final int index = ring + (int)(head & mask);
            final int length = buffer.getInt(index);
            head += buffer.getInt(index + TYPE_OFFSET) == PADDING ? length : recordLength(length);
        }
        // A full fence: the look at Joins below cannot pass it (see the class comment).
        buffer.putLongVolatile(base + HEAD_OFFSET, head);
        if (backPressured && !awaitReceivers(head, deadline))
        {
            return false;
        }
        reservedEnd = head + capacity;
        return true;
    }

    /**
     * @return true once every live receiver has published a position of at least {@code needed}.
     */
    private boolean awaitReceivers(final long needed, final long deadline) throws InterruptedException
    {
        if (receiversAtLeast(needed))
        {
            return true;
        }
        spaceWait.needed = needed;
        return spaceWait.await(deadline, true);
    }

    private boolean receiversAtLeast(final long needed)
    {
        final int joins = buffer.getIntVolatile(base + JOINS_OFFSET);
        if (joins != seenJoins || slowest < needed)
        {
            seenJoins = joins;
            slowest = slowestReceiver();
        }
        return slowest >= needed;
    }

    private long slowestReceiver()
    {
        long slowest = Long.MAX_VALUE;
        for (int i = 0; i < maxReceivers; i++)
        {
            final int slot = base + slotOffset(i);
            if (ProcessSlot.pid(buffer, slot) > 0)
            {
                slowest = Math.min(slowest, buffer.getLongVolatile(slot + SLOT_POSITION_OFFSET));
            }
        }
        return slowest;
    }

    /**
     * Frees the slots of receivers proven dead.
     *
     * @return whether one was freed.
     */
    private boolean freeDeadReceivers()
    {
        boolean freed = false;
        for (int i = 0; i < maxReceivers; i++)
        {
            final int slot = base + slotOffset(i);
            if (ProcessSlot.pid(buffer, slot) > 0 && ProcessSlot.freeIfDead(buffer, slot))
            {
                freed = true;
            }
        }
        // A freed slot held the cached slowest position or a later one: the next look finds the
        // cache below what is needed and reads the slots again.
        return freed;
    }

    private void wakeReceivers()
    {
        buffer.getAndAddInt(base + DATA_SEQUENCE_OFFSET, 1);
        strategy.wake(buffer, base + DATA_SEQUENCE_OFFSET, Integer.MAX_VALUE);
    }

    /**
     * @return the sequence number the next message will carry (the count of messages sent on
     *         this channel, by this sender and those before it).
     */
    public long nextSequence()
    {
        return nextSequence;
    }

    public Broadcast broadcast()
    {
        return broadcast;
    }

    private void checkOpen()
    {
        object.checkOpen();
        if (closed)
        {
            throw new IllegalStateException("sender of " + object.describe() + " is closed");
        }
    }

    /**
     * Ends the stream: receivers take what is left, then learn the end. A new sender may attach
     * later and go on.
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
        ProcessSlot.releaseAs(buffer, base + SENDER_SLOT_OFFSET, SENDER_CLOSED);
        wakeReceivers();
    }

    @Override
    public String toString()
    {
        return "sender of " + object.describe();
    }

    /**
     * Waits for the slowest live receiver to publish a position of at least {@link #needed}.
     * Announces itself in Sender Waiting (a receiver that publishes then wakes it), and once a
     * slice frees the slots of receivers proven dead.
     */
    private final class SpaceWait extends Waiter
    {
        private long needed;

        SpaceWait()
        {
            super(object, strategy, buffer, base + SPACE_SEQUENCE_OFFSET, true);
        }

        @Override
        protected boolean tryAcquire()
        {
            return receiversAtLeast(needed);
        }

        @Override
        protected int sleepValue()
        {
            return buffer.getIntVolatile(base + SPACE_SEQUENCE_OFFSET);
        }

        @Override
        protected boolean beforeSleep(final boolean lookDue)
        {
            return lookDue && freeDeadReceivers();
        }

        @Override
        protected boolean announce()
        {
            buffer.putIntVolatile(base + SENDER_WAITING_OFFSET, 1);
            return true;
        }

        @Override
        protected void withdraw()
        {
            buffer.putIntRelease(base + SENDER_WAITING_OFFSET, 0);
        }
    }
}
