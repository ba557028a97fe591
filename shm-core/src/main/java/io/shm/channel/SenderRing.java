package io.shm.channel;

import io.shm.exceptions.ChannelClosedException;
import io.shm.exceptions.PeerDiedException;
import io.shm.process.ProcessSlot;
import io.shm.segment.SharedObject;
import io.shm.wait.Deadline;
import io.shm.wait.WaitStrategy;
import io.shm.wait.Waiter;
import io.shm.wait.linux.Membarrier;
import org.agrona.concurrent.AtomicBuffer;

import static io.shm.channel.ChannelDescriptor.*;

/**
 * The sender's side of the ring protocol, for one thread: claiming records (a batch at a time for
 * a single producer, one CAS each for many), publishing them with one store of their header,
 * waking a sleeping receiver, waiting for space, and giving the producer slot back on close.
 * {@link ChannelSender} builds its send forms on it.
 */
final class SenderRing
{
    /**
     * What a claim returns when the ring has no room.
     */
    static final int NO_SPACE = -1;

    private final SharedObject object;
    private final AtomicBuffer buffer;
    private final WaitStrategy strategy;
    private final SpaceWait spaceWait;
    private final boolean fencedByReceiver;
    private final int capacity;
    private final int mask;
    private final int shift;
    private final boolean multiProducer;
    private final boolean blocking;
    private final int base;
    private final int ring;
    private final int slot;
    private final int slotOffset;
    private final int batch;
    private long position;
    private long reservedEnd;
    private long cachedConsumerPosition;
    private long claimedPosition;
    private boolean closed;

    SenderRing(final SharedObject object, final ChannelOptions options, final WaitStrategy strategy)
    {
        this.object = object;
        this.buffer = object.buffer();
        this.strategy = strategy;
        this.fencedByReceiver = options.blocking() && Membarrier.registerThisProcess();
        this.capacity = options.capacity();
        this.mask = capacity - 1;
        this.shift = Integer.numberOfTrailingZeros(capacity);
        this.multiProducer = options.multiProducer();
        this.blocking = options.blocking();
        this.base = SharedObject.DATA_OFFSET;
        this.ring = base + RING_OFFSET;
        this.slot = ProducerSlots.attach(object, multiProducer);
        this.slotOffset = base + slotOffset(slot);
        this.batch = capacity / 4;
        this.position = multiProducer ? 0 : ProducerSlots.startPosition(buffer, slot);
        this.reservedEnd = position;
        this.cachedConsumerPosition = buffer.getLongVolatile(base + CONSUMER_POSITION_OFFSET);
        this.spaceWait = new SpaceWait();
    }

    void checkOpen()
    {
        object.checkOpen();
        if (closed)
        {
            throw new IllegalStateException("sender of " + object.describe() + " is closed");
        }
    }

    boolean isClosed()
    {
        return closed;
    }

    /**
     * Ends this sender's stream, every claim committed or aborted: the intent is cleared, a single
     * producer's unused batch is given back, the slot is marked closed and the receiver woken.
     */
    void close()
    {
        closed = true;
        // Every claim is committed or aborted: the intent covers nothing from now on.
        buffer.putIntRelease(slotOffset + SLOT_INTENT_LENGTH_OFFSET, 0);
        if (!multiProducer)
        {
            // Give back the unused rest of the batch: the next sender starts where this one stopped.
            // The length went first, so a torn read of the intent never covers unwritten room.
            buffer.putLongRelease(slotOffset + SLOT_INTENT_POSITION_OFFSET, position);
            buffer.putLongRelease(base + PRODUCER_POSITION_OFFSET, position);
        }
        buffer.putIntVolatile(slotOffset + SLOT_STATE_OFFSET, SLOT_CLOSED);
        wakeReceiver();
        if (!multiProducer)
        {
            ProducerSlots.releaseRole(buffer);
        }
    }

    /**
     * Claims a record, waiting for room.
     *
     * @param deadline a {@link Deadline}, or {@link Deadline#NONE}.
     * @return the index of the record's header, or {@link #NO_SPACE}.
     */
    int claim(final int length, final long deadline) throws InterruptedException
    {
        final int index = tryClaimRecord(length);
        return index != NO_SPACE ? index : awaitSpace(length, deadline);
    }

    int tryClaimRecord(final int length)
    {
        return multiProducer ? tryClaimShared(recordLength(length)) : tryClaimSingle(recordLength(length));
    }

    /**
     * One producer: a record within the claimed batch costs no shared store but the claim end.
     */
    private int tryClaimSingle(final int recordLength)
    {
        final long tail = position;
        final int index = (int)(tail & mask);
        final int toEnd = capacity - index;
        final int padding = recordLength > toEnd ? toEnd : 0;
        final long end = tail + padding + recordLength;
        if (end > reservedEnd && !reserve(end))
        {
            return NO_SPACE;
        }
        // Plain: only a receiver that has proven this process dead reads it.
        buffer.putLong(slotOffset + SLOT_CLAIM_END_OFFSET, end);
        position = end;
        if (padding > 0)
        {
            buffer.putLongRelease(ring + index, header(PADDING | padding, lap(tail, shift), slot));
            return ring;
        }
        return ring + index;
    }

    /**
     * A single producer's claim of the next record of a batch, only within the room already
     * reserved: the intent must keep covering the batch's first record, whose header is stored
     * last (were the intent moved past it and this process died, the receiver could not skip it).
     *
     * @return the index of the record's header, or {@link #NO_SPACE} if it needs a new reservation.
     */
    int tryClaimInReservation(final int length)
    {
        final int recordLength = recordLength(length);
        final long tail = position;
        final int toEnd = capacity - (int)(tail & mask);
        final long end = tail + (recordLength > toEnd ? toEnd : 0) + recordLength;
        return multiProducer || end > reservedEnd ? NO_SPACE : tryClaimSingle(recordLength);
    }

    /**
     * @return the header of the record claimed last, of {@code meta}: a single producer's ends at
     *         the position.
     */
    long claimedHeader(final int meta)
    {
        final long at = multiProducer ? claimedPosition : position - recordLength(meta & LENGTH_MASK);
        return header(meta, lap(at, shift), slot);
    }

    /**
     * Stores the header of a record that is not the first of its batch: plain, made visible by the
     * release of the first's header, which the receiver reads before it.
     */
    void writeHeader(final int headerIndex, final long header)
    {
        buffer.putLong(headerIndex, header);
    }

    /**
     * Claims the room up to at least {@code end}, and up to a batch beyond the position if it is
     * free, as this sender's intent.
     *
     * @return false if the ring has no room for it.
     */
    private boolean reserve(final long end)
    {
        long limit = cachedConsumerPosition + capacity;
        if (end > limit || limit - position < batch)
        {
            cachedConsumerPosition = buffer.getLongVolatile(base + CONSUMER_POSITION_OFFSET);
            limit = cachedConsumerPosition + capacity;
            if (end > limit)
            {
                return false;
            }
        }
        final long reservation = Math.min(limit, Math.max(end, position + batch));
        // Intent first: if this process dies, the receiver can prove whose room it is and skip it.
        buffer.putLong(slotOffset + SLOT_INTENT_POSITION_OFFSET, position);
        buffer.putIntRelease(slotOffset + SLOT_INTENT_LENGTH_OFFSET, (int)(reservation - position));
        buffer.putLongRelease(base + PRODUCER_POSITION_OFFSET, reservation);
        reservedEnd = reservation;
        return true;
    }

    /**
     * Many producers: each record is claimed by CAS on the producer position.
     */
    private int tryClaimShared(final int recordLength)
    {
        while (true)
        {
            final long tail = buffer.getLongVolatile(base + PRODUCER_POSITION_OFFSET);
            final int index = (int)(tail & mask);
            final int toEnd = capacity - index;
            final int padding = recordLength > toEnd ? toEnd : 0;
            final int required = padding + recordLength;
            if (tail + required - cachedConsumerPosition > capacity)
            {
                cachedConsumerPosition = buffer.getLongVolatile(base + CONSUMER_POSITION_OFFSET);
                if (tail + required - cachedConsumerPosition > capacity)
                {
                    return NO_SPACE;
                }
            }
            // Intent first: if this process dies before committing, the receiver can prove whose hole it is.
            buffer.putLong(slotOffset + SLOT_INTENT_POSITION_OFFSET, tail);
            buffer.putIntRelease(slotOffset + SLOT_INTENT_LENGTH_OFFSET, required);
            if (!buffer.compareAndSetLong(base + PRODUCER_POSITION_OFFSET, tail, tail + required))
            {
                continue;
            }
            long recordPosition = tail;
            if (padding > 0)
            {
                buffer.putLongRelease(ring + index, header(PADDING | padding, lap(tail, shift), slot));
                recordPosition += padding;
            }
            claimedPosition = recordPosition;
            return ring + (int)(recordPosition & mask);
        }
    }

    void publish(final int headerIndex, final int meta)
    {
        // One producer: the record ends at the position, less than a ring after its header.
        final long at = multiProducer ? claimedPosition : position - ((position - (headerIndex - ring)) & mask);
        publishHeader(headerIndex, header(meta, lap(at, shift), slot));
    }

    /**
     * Commits a record (and the records of its batch after it) with one store of its header, and
     * wakes the receiver if it sleeps.
     */
    void publishHeader(final int headerIndex, final long header)
    {
        if (blocking)
        {
            if (fencedByReceiver())
            {
                // The receiver makes this process pass a barrier between announcing its sleep and
                // its last look at the ring: keeping these two steps in program order is enough.
                buffer.putLongRelease(headerIndex, header);
            }
            else
            {
                // A full fence: the look at the receiver's waiting word below cannot pass this store.
                buffer.putLongVolatile(headerIndex, header);
            }
            if (buffer.getIntVolatile(base + CONSUMER_WAITING_OFFSET) != 0)
            {
                wakeReceiver();
            }
        }
        else
        {
            buffer.putLongRelease(headerIndex, header);
        }
    }

    private void wakeReceiver()
    {
        buffer.getAndAddInt(base + DATA_SEQUENCE_OFFSET, 1);
        strategy.wake(buffer, base + DATA_SEQUENCE_OFFSET, 1);
    }

    private int awaitSpace(final int length, final long deadline) throws InterruptedException
    {
        spaceWait.length = length;
        return spaceWait.await(deadline, true) ? spaceWait.index : NO_SPACE;
    }

    /**
     * Waits for room in the ring: tries the claim, sleeps on the space sequence that the receiver
     * bumps when it publishes its position, announced in the producers' waiting count; fails when
     * the receiver closes or is proven dead. Reused by every wait of this (single-threaded) sender.
     */
    private final class SpaceWait extends Waiter
    {
        private int length;
        private int index;

        SpaceWait()
        {
            super(object, strategy, buffer, base + SPACE_SEQUENCE_OFFSET, true, base + PRODUCERS_WAITING_OFFSET);
        }

        @Override
        protected boolean tryAcquire()
        {
            index = tryClaimRecord(length);
            return index != NO_SPACE;
        }

        @Override
        protected int sleepValue()
        {
            return buffer.getIntVolatile(base + SPACE_SEQUENCE_OFFSET);
        }

        @Override
        protected void checkOpen()
        {
            SenderRing.this.checkOpen();
        }

        @Override
        protected boolean beforeSleep(final boolean lookDue)
        {
            checkReceiver(lookDue);
            return false;
        }
    }

    private void checkReceiver(final boolean liveness)
    {
        final long pid = buffer.getLongVolatile(base + CONSUMER_PID_OFFSET);
        if (pid == CONSUMER_CLOSED)
        {
            throw new ChannelClosedException(object.describe() + " was closed by its receiver");
        }
        if (liveness && pid != 0 && receiverIsDead(pid))
        {
            throw new PeerDiedException("the receiver of " + object.describe() + ", process " + pid + ", died");
        }
    }

    /**
     * @return whether {@code pid}, read as the receiver, is proven dead; false if another receiver
     *         has taken its place meanwhile (the start time read may then be the newcomer's).
     */
    private boolean receiverIsDead(final long pid)
    {
        return ProcessSlot.isProvenDead(buffer, base + CONSUMER_PID_OFFSET, pid);
    }

    /**
     * @return whether this sender's commits now go without a full fence, because its process is
     *         registered for barriers and the receiver sends one before each sleep.
     */
    boolean fencedByReceiver()
    {
        return fencedByReceiver && buffer.getIntVolatile(base + RECEIVER_FENCES_OFFSET) != 0;
    }

    @Override
    public String toString()
    {
        return "sender " + slot + " of " + object.describe();
    }
}
