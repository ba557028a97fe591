package io.shm.channel;

import io.shm.exceptions.ChannelClosedException;
import io.shm.exceptions.CorruptSegmentException;
import io.shm.exceptions.PeerDiedException;
import io.shm.process.ProcessSlot;
import io.shm.segment.SharedObject;
import io.shm.wait.WaitStrategy;
import io.shm.wait.Waiter;
import io.shm.wait.linux.Membarrier;
import org.agrona.concurrent.AtomicBuffer;

import static io.shm.channel.ChannelDescriptor.*;

/**
 * The receiver's side of the ring protocol, for one thread: its position and its publication to
 * the senders, the wait for a committed record, skipping the holes of senders proven dead, and
 * the end of the stream. {@link ChannelReceiver} builds its receive forms on it.
 */
final class ReceiverRing
{

    private final SharedObject object;
    private final AtomicBuffer buffer;
    private final WaitStrategy strategy;
    private final Reassembly reassembly;
    private final DataWait dataWait;
    private boolean fencesSenders;
    private final int capacity;
    private final int mask;
    private final int shift;
    private final boolean blocking;
    private final boolean multiProducer;
    private final int base;
    private final int ring;
    private final int publishThreshold;
    private final int maxRecordPayload;
    private long position;
    private long publishedPosition;
    private boolean sawDeath;
    /**
     * Set once the death seen is reported ({@link PeerDiedException}): a sender that comes after
     * that starts the stream's story again, and its close ends it as closed.
     */
    private boolean deathReported;
    /** The start times of the senders closed when the death was reported, by slot (0: none). */
    private final long[] closedWhenReported = new long[MAX_PRODUCERS];
    private boolean closed;

    ReceiverRing(final SharedObject object, final ChannelOptions options, final WaitStrategy strategy,
        final Reassembly reassembly)
    {
        this.object = object;
        this.buffer = object.buffer();
        this.strategy = strategy;
        this.reassembly = reassembly;
        this.capacity = options.capacity();
        this.mask = capacity - 1;
        this.shift = Integer.numberOfTrailingZeros(capacity);
        this.blocking = options.blocking();
        this.multiProducer = options.multiProducer();
        this.base = SharedObject.DATA_OFFSET;
        this.ring = base + RING_OFFSET;
        this.publishThreshold = capacity / 4;
        this.maxRecordPayload = options.maxRecordPayload();
        attach();
        // A receiver that spins before it sleeps sleeps rarely: a barrier per sleep is cheaper than
        // a fence per commit. One that only parks would pay it on every message.
        this.fencesSenders = blocking && strategy.spins() > 0 && Membarrier.isAvailable();
        buffer.putIntVolatile(base + RECEIVER_FENCES_OFFSET, fencesSenders ? 1 : 0);
        this.position = buffer.getLongVolatile(base + CONSUMER_POSITION_OFFSET);
        this.publishedPosition = position;
        this.dataWait = new DataWait();
    }

    private void attach()
    {
        object.checkOpen();
        // Free, closed (a marker) or held by a process proven dead: taken in one protocol step.
        final long holder = ProcessSlot.claimUnlessHeld(buffer, base + CONSUMER_PID_OFFSET);
        if (holder != 0)
        {
            throw new IllegalStateException(object.describe() + " already has a receiver: process " + holder);
        }
    }

    /**
     * @return the index in the buffer of the record header at the position.
     */
    int recordIndex()
    {
        return ring + (int)(position & mask);
    }

    /**
     * @return whether {@code header}, read at the position, is of a committed record.
     */
    boolean isCurrent(final long header)
    {
        return headerLap(header) == lap(position, shift);
    }

    /**
     * @param header a current record's header, read at the position.
     * @return the length it gives, checked: a padding record (the ring's end, or an aborted claim)
     *         covers whole record lines up to the ring's end at most, and a message record holds
     *         at most a record's payload.
     * @throws CorruptSegmentException if it gives another length: not a record this library wrote
     *                                 there, and following it would lose the stream.
     */
    int length(final long header)
    {
        final int meta = headerMeta(header);
        final int length = meta & LENGTH_MASK;
        if ((meta & PADDING) != 0 ?
            length <= 0 || length > capacity - (int)(position & mask) || (length & (RECORD_ALIGNMENT - 1)) != 0 :
            length > maxRecordPayload)
        {
            throw new CorruptSegmentException(object.describe() + " holds a record header " + Long.toHexString(header) +
                " at position " + position + " whose length " + length + " cannot be: the stream cannot be followed");
        }
        return length;
    }

    /**
     * Waits for a record to be committed at the position.
     *
     * @return false if the deadline passed first.
     * @throws ChannelClosedException if the stream ended meanwhile.
     * @throws PeerDiedException      if every sender is gone and one died.
     */
    boolean awaitRecord(final long deadline) throws InterruptedException
    {
        return dataWait.await(deadline, true);
    }

    /**
     * @return whether a message at the position, or reassembled aside, is there now; consumes
     *         nothing but padding.
     */
    boolean committedNonPadding()
    {
        while (committedAtPosition())
        {
            final int index = ring + (int)(position & mask);
            final long header = buffer.getLongVolatile(index);
            if ((headerMeta(header) & PADDING) == 0)
            {
                return true;
            }
            advance(length(header));
        }
        return false;
    }

    /**
     * @return the waiter of this receiver's waits.
     */
    Waiter waiter()
    {
        return dataWait;
    }

    long skippedBytes()
    {
        return buffer.getLongVolatile(base + SKIPPED_BYTES_OFFSET);
    }

    void checkOpen()
    {
        object.checkOpen();
        if (closed)
        {
            throw new IllegalStateException("receiver of " + object.describe() + " is closed");
        }
    }

    /**
     * Detaches: publishes the position, and marks the consumer slot closed so that senders fail.
     */
    void close()
    {
        if (closed || !object.isOpen())
        {
            closed = true;
            return;
        }
        closed = true;
        publish();
        buffer.putIntVolatile(base + RECEIVER_FENCES_OFFSET, 0);
        ProcessSlot.releaseAs(buffer, base + CONSUMER_PID_OFFSET, CONSUMER_CLOSED);
        buffer.getAndAddInt(base + SPACE_SEQUENCE_OFFSET, 1);
        strategy.wake(buffer, base + SPACE_SEQUENCE_OFFSET, Integer.MAX_VALUE);
    }

    /**
     * Waits for a record to be committed at the position. Once the rounds are over it publishes
     * the position (so that senders waiting for room get it); on each pass it checks whether the
     * stream has ended, and once a slice it skips the hole of a sender proven dead. It announces
     * a sleep in the consumer's waiting flag (a sender that commits looks at it and wakes the
     * receiver); where senders rely on it, it first makes them pass a memory barrier
     * ({@link Membarrier}) so that their unfenced commits are visible. Reused by every wait of
     * this (single-threaded) receiver.
     */
    private final class DataWait extends Waiter
    {
        private boolean shortSleep;

        DataWait()
        {
            super(object, strategy, buffer, base + DATA_SEQUENCE_OFFSET, blocking);
        }

        @Override
        protected boolean tryAcquire()
        {
            return committedAtPosition();
        }

        @Override
        protected int sleepValue()
        {
            return buffer.getIntVolatile(base + DATA_SEQUENCE_OFFSET);
        }

        @Override
        protected void roundsOver()
        {
            publish();
        }

        @Override
        protected boolean beforeSleep(final boolean lookDue)
        {
            if (lookDue && skipDeadHole())
            {
                return true;
            }
            checkEnd(lookDue);
            return false;
        }

        @Override
        protected boolean canSleep()
        {
            return blocking;
        }

        @Override
        protected boolean announce()
        {
            buffer.putIntVolatile(base + CONSUMER_WAITING_OFFSET, 1);
            shortSleep = false;
            if (fencesSenders && !Membarrier.fenceAll())
            {
                // Refused: senders fence their commits from now on; one that did not just now may
                // go unseen, so this sleep is short.
                fencesSenders = false;
                buffer.putIntVolatile(base + RECEIVER_FENCES_OFFSET, 0);
                shortSleep = true;
            }
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
            buffer.putIntRelease(base + CONSUMER_WAITING_OFFSET, 0);
        }
    }

    /**
     * @return the position in the stream of the record to take next.
     */
    long position()
    {
        return position;
    }

    boolean committedAtPosition()
    {
        return headerLap(buffer.getLongVolatile(ring + (int)(position & mask))) == lap(position, shift);
    }

    void advance(final int length)
    {
        position += length;
        maybePublish();
    }

    void maybePublish()
    {
        if (position - publishedPosition >= publishThreshold)
        {
            publish();
        }
    }

    void publish()
    {
        if (position == publishedPosition)
        {
            return;
        }
        publishedPosition = position;
        // A full fence: the look at the senders' waiting count below cannot pass this store.
        buffer.putLongVolatile(base + CONSUMER_POSITION_OFFSET, position);
        if (buffer.getIntVolatile(base + PRODUCERS_WAITING_OFFSET) > 0)
        {
            buffer.getAndAddInt(base + SPACE_SEQUENCE_OFFSET, 1);
            strategy.wake(buffer, base + SPACE_SEQUENCE_OFFSET, Integer.MAX_VALUE);
        }
    }

    /**
     * Skips the record at the position if it was claimed by a sender proven dead.
     *
     * @return whether it skipped one.
     */
    boolean skipDeadHole()
    {
        if (buffer.getLongVolatile(base + PRODUCER_POSITION_OFFSET) <= position || committedAtPosition())
        {
            return false;
        }
        int deadSlot = -1;
        long holeEnd = position;
        for (int slot = 0; slot < MAX_PRODUCERS; slot++)
        {
            final int offset = base + slotOffset(slot);
            final long pid = buffer.getLongVolatile(offset + SLOT_PID_OFFSET);
            final long intent = buffer.getLongVolatile(offset + SLOT_INTENT_POSITION_OFFSET);
            final long intentEnd = intent + buffer.getIntVolatile(offset + SLOT_INTENT_LENGTH_OFFSET);
            // The claim may cover the position past its start: a padding record at its head was committed.
            if (pid == 0 || intent < 0 || position < intent || position >= intentEnd)
            {
                continue;
            }
            if (!ProcessSlot.isProvenDead(buffer, offset, pid))
            {
                // It may be the claimer; only proof of death lets a hole be skipped.
                return false;
            }
            deadSlot = slot;
            holeEnd = intentEnd;
        }
        if (deadSlot < 0)
        {
            return false;
        }
        // A single producer's intent is a batch: only the record it was writing when it died is lost.
        final long lostEnd = multiProducer ? holeEnd :
            Math.min(holeEnd, buffer.getLongVolatile(base + slotOffset(deadSlot) + SLOT_CLAIM_END_OFFSET));
        if (lostEnd > position)
        {
            countSkipped(lostEnd - position);
        }
        reassembly.forget(deadSlot);
        sawDeath = true;
        release(base + slotOffset(deadSlot));
        position = holeEnd;
        publish();
        return true;
    }

    void countSkipped(final long bytes)
    {
        buffer.getAndAddLong(base + SKIPPED_BYTES_OFFSET, bytes);
    }

    static final int END_OPEN = 0;
    static final int END_CLOSED = 1;
    static final int END_DIED = 2;

    /**
     * Throws if the stream has ended: no sender left alive and nothing committed at the position.
     */
    void checkEnd(final boolean liveness)
    {
        final int state = endState(liveness);
        if (state == END_OPEN || committedAtPosition() || !reassembly.isEmpty())
        {
            return;
        }
        if (state == END_DIED)
        {
            reportDeath();
            throw new PeerDiedException("every sender of " + object.describe() + " is gone and one died" +
                " (skipped " + buffer.getLongVolatile(base + SKIPPED_BYTES_OFFSET) + " bytes it had claimed)");
        }
        throw new ChannelClosedException("end of stream: every sender of " + object.describe() + " closed");
    }

    private void reportDeath()
    {
        deathReported = true;
        for (int slot = 0; slot < MAX_PRODUCERS; slot++)
        {
            final int offset = base + slotOffset(slot);
            closedWhenReported[slot] = buffer.getIntVolatile(offset + SLOT_STATE_OFFSET) == SLOT_CLOSED ?
                buffer.getLongVolatile(offset + SLOT_START_TIME_OFFSET) : 0;
        }
    }

    int endState(final boolean liveness)
    {
        boolean anyClosed = false;
        boolean closedSinceReport = false;
        boolean diedNow = false;
        for (int slot = 0; slot < MAX_PRODUCERS; slot++)
        {
            final int offset = base + slotOffset(slot);
            final int state = buffer.getIntVolatile(offset + SLOT_STATE_OFFSET);
            final long pid = buffer.getLongVolatile(offset + SLOT_PID_OFFSET);
            if (state == SLOT_ACTIVE && pid != 0)
            {
                if (!liveness || !ProcessSlot.isProvenDead(buffer, offset, pid))
                {
                    if (deathReported && !diedNow)
                    {
                        // A sender came after the death was reported: the stream's end is its.
                        sawDeath = false;
                        deathReported = false;
                    }
                    return END_OPEN;
                }
                final long intentEnd = buffer.getLongVolatile(offset + SLOT_INTENT_POSITION_OFFSET) +
                    buffer.getIntVolatile(offset + SLOT_INTENT_LENGTH_OFFSET);
                if (intentEnd > position)
                {
                    // Its last claim is still ahead: skipDeadHole deals with it when we get there.
                    return END_OPEN;
                }
                sawDeath = true;
                diedNow = true;
                release(offset);
            }
            else if (state == SLOT_CLOSED)
            {
                anyClosed = true;
                // A sender that came after the report, and closed before this receiver looked?
                closedSinceReport |= deathReported &&
                    buffer.getLongVolatile(offset + SLOT_START_TIME_OFFSET) != closedWhenReported[slot];
            }
            else if (state == SLOT_FREE && pid != 0 && liveness)
            {
                // Claimed by a sender that died before activating it: no attacher takes a free
                // slot that names a pid, so only the receiver can free it.
                ProcessSlot.freeIfDead(buffer, offset);
            }
        }
        if (closedSinceReport && !diedNow)
        {
            sawDeath = false;
            deathReported = false;
        }
        if (sawDeath)
        {
            return END_DIED;
        }
        return anyClosed ? END_CLOSED : END_OPEN;
    }

    /**
     * Frees the slot of a sender proven dead, once its claim is dealt with. Free first: an attacher
     * takes a free slot only once its pid is 0, which comes last.
     */
    private void release(final int slotOffset)
    {
        buffer.putIntVolatile(slotOffset + SLOT_STATE_OFFSET, SLOT_FREE);
        ProcessSlot.freeIfDead(buffer, slotOffset);
    }

    @Override
    public String toString()
    {
        return "receiver of " + object.describe() + " at " + position;
    }
}
