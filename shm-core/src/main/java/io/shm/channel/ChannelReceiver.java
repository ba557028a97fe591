package io.shm.channel;

import io.shm.exceptions.ChannelClosedException;
import io.shm.exceptions.MessageTooLargeException;
import io.shm.exceptions.PeerDiedException;
import io.shm.process.ProcessSlot;
import io.shm.segment.SharedObject;
import io.shm.wait.Deadline;
import io.shm.wait.WaitStrategy;
import io.shm.wait.Waiter;
import io.shm.wait.linux.Membarrier;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.LongBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.concurrent.TimeUnit;

import static io.shm.channel.ChannelDescriptor.*;

/**
 * The receiving end of a {@link Channel}, for one thread; a channel has one receiver at a time.
 * <p>
 * <b>Protocol.</b> The receiver reads the header at its position; a header whose lap is the current
 * one is a committed record. It takes the record, moves on, and publishes its position to the
 * senders in batches (every quarter of the ring, and whenever it finds the ring empty), waking
 * senders that wait for space only if they announced themselves. When empty it spins, yields,
 * spins on for what it has learned of recent waits ({@link io.shm.wait.AdaptiveSpin}), then sets
 * its "waiting" word, sends the senders a {@link io.shm.wait.linux.Membarrier barrier} if it has
 * announced it would, re-checks, and sleeps on the data sequence; a sender that commits after
 * that sees the word and wakes it.
 * <p>
 * <b>End and failure.</b> Once every sender has closed and all they committed is received, a
 * blocking receive throws {@link ChannelClosedException} (Python's {@code EOFError}). If no sender
 * is left alive and one died, it throws {@link PeerDiedException}. A record claimed by a sender
 * that died before committing is skipped, and its bytes counted ({@link #skippedBytes()}), only
 * once that sender is proven dead; a stopped sender is waited for. Fragments of a message whose
 * sender died midway are dropped. A receiver that replaces a dead one resumes at the position its
 * predecessor last published, so messages taken after that are delivered again (at least once).
 */
public final class ChannelReceiver implements AutoCloseable
{
    private static final int PEEKED = -2;
    private static final long UNFENCED_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final ReceiveSink PEEK = new ReceiveSink.Peek();

    private final SharedObject object;
    private final AtomicBuffer buffer;
    private final DoubleBuffer doubles;
    private final LongBuffer longs;
    private final WaitStrategy strategy;
    private final DataWait dataWait;
    private final Reassembly reassembly = new Reassembly();
    private boolean fencesSenders;
    private final int capacity;
    private final int mask;
    private final int shift;
    private final boolean blocking;
    private final boolean multiProducer;
    private final int base;
    private final int ring;
    private final int publishThreshold;
    private final ReceiveSink.ByteArraySink byteArraySink = new ReceiveSink.ByteArraySink();
    private final ReceiveSink.DirectBufferSink directBufferSink = new ReceiveSink.DirectBufferSink();
    private final ReceiveSink.DoubleArraySink doubleArraySink;
    private final ReceiveSink.LongArraySink longArraySink;
    private final ReceiveSink.ByteBufferSink byteBufferSink = new ReceiveSink.ByteBufferSink();
    private long position;
    private long publishedPosition;
    private boolean sawDeath;
    private boolean closed;

    ChannelReceiver(final Channel channel, final WaitStrategy strategy)
    {
        this.object = channel.object();
        this.buffer = object.buffer();
        final ByteBuffer bytes = object.mappings()[0].duplicate().order(ByteOrder.nativeOrder());
        this.doubles = bytes.asDoubleBuffer();
        this.longs = bytes.asLongBuffer();
        this.doubleArraySink = new ReceiveSink.DoubleArraySink(doubles);
        this.longArraySink = new ReceiveSink.LongArraySink(longs);
        this.strategy = strategy;
        this.capacity = channel.options().capacity();
        this.mask = capacity - 1;
        this.shift = Integer.numberOfTrailingZeros(capacity);
        this.blocking = channel.options().blocking();
        this.multiProducer = channel.options().multiProducer();
        this.base = SharedObject.DATA_OFFSET;
        this.ring = base + RING_OFFSET;
        this.publishThreshold = capacity / 4;
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
     * Hands available messages to {@code handler}, in place; does not wait.
     *
     * @param handler sees each message.
     * @param limit   the most messages to hand over.
     * @return the number handed over; 0 if none was available (see {@link #isEndOfStream()}).
     */
    public int poll(final MessageHandler handler, final int limit)
    {
        checkOpen();
        int count = reassembly.hand(handler, 0, limit);
        while (count < limit)
        {
            final int index = ring + (int)(position & mask);
            final long header = buffer.getLongVolatile(index);
            if (headerLap(header) != lap(position, shift))
            {
                break;
            }
            final int meta = headerMeta(header);
            final int length = meta & LENGTH_MASK;
            if ((meta & PADDING) != 0)
            {
                advance(length);
                continue;
            }
            if ((meta & UNFRAGMENTED) == UNFRAGMENTED)
            {
                handler.onMessage(buffer, index + HEADER_LENGTH, length);
                count++;
            }
            else
            {
                reassembly.stash(buffer, headerProducer(header), meta, index + HEADER_LENGTH, length);
                advance(recordLength(length));
                // A message whose last fragment this was goes out before the next record.
                count = reassembly.hand(handler, count, limit);
                continue;
            }
            advance(recordLength(length));
        }
        if (position != publishedPosition && count < limit)
        {
            publish();
        }
        return count;
    }

    /**
     * @return whether every sender has closed and every message has been received.
     */
    public boolean isEndOfStream()
    {
        checkOpen();
        // The senders' states are read before the ring: a commit made before a close is then seen.
        return endState(false) == END_CLOSED && reassembly.isEmpty() && !committedAtPosition();
    }

    /**
     * Receives one message into {@code destination}, waiting as long as it takes.
     *
     * @param destination where the message goes.
     * @return its length.
     * @throws MessageTooLargeException if it does not fit; it stays to be received into a larger one.
     * @throws ChannelClosedException   at end of stream.
     * @throws PeerDiedException        if every sender is gone and one died.
     * @throws InterruptedException     if interrupted while waiting; nothing is consumed.
     */
    public int receive(final byte[] destination) throws InterruptedException
    {
        return receive(byteArraySink.into(destination), Deadline.NONE);
    }

    /**
     * Receives one message of any length into a new array, waiting as long as it takes.
     *
     * @return the message.
     * @throws ChannelClosedException at end of stream.
     */
    public byte[] receive() throws InterruptedException
    {
        final byte[][] message = new byte[1][];
        receive(new ReceiveSink()
        {
            @Override
            boolean begin(final int total)
            {
                message[0] = new byte[total];
                return true;
            }

            @Override
            void copy(final DirectBuffer source, final int index, final int at, final int length, final boolean fromRing)
            {
                source.getBytes(index, message[0], at, length);
            }
        }, Deadline.NONE);
        return message[0];
    }

    /**
     * As {@link #receive(byte[])}, waiting at most {@code timeout}.
     *
     * @return the length, or -1 if nothing arrived in time.
     */
    public int receive(final byte[] destination, final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return receive(byteArraySink.into(destination), deadline(timeout, unit));
    }

    /**
     * Receives one message into an Agrona buffer at {@code offset}, waiting as long as it takes.
     *
     * @return its length.
     */
    public int receive(final MutableDirectBuffer destination, final int offset) throws InterruptedException
    {
        return receive(directBufferSink.into(destination, offset), Deadline.NONE);
    }

    /**
     * Receives one message of whole doubles, copied in bulk, waiting as long as it takes.
     *
     * @param destination where the doubles go, from index 0.
     * @return the number of doubles.
     */
    public int receiveDoubles(final double[] destination) throws InterruptedException
    {
        return receiveDoubles(destination, 0);
    }

    /**
     * Receives one message of whole doubles into {@code destination} from {@code offset}, copied
     * in bulk, waiting as long as it takes.
     *
     * @return the number of doubles.
     * @throws MessageTooLargeException if they do not fit from {@code offset}; the message stays.
     */
    public int receiveDoubles(final double[] destination, final int offset) throws InterruptedException
    {
        return receive(doubleArraySink.into(destination, offset), Deadline.NONE) / Double.BYTES;
    }

    /**
     * As {@link #receiveDoubles(double[], int)}, waiting at most {@code timeout}.
     *
     * @return the number of doubles, or -1 if nothing arrived in time.
     */
    public int receiveDoubles(final double[] destination, final int offset, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        final int length = receive(doubleArraySink.into(destination, offset), deadline(timeout, unit));
        return length < 0 ? -1 : length / Double.BYTES;
    }

    /**
     * Receives one message of whole longs, copied in bulk, waiting as long as it takes.
     *
     * @param destination where the longs go, from index 0.
     * @return the number of longs.
     */
    public int receiveLongs(final long[] destination) throws InterruptedException
    {
        return receiveLongs(destination, 0);
    }

    /**
     * Receives one message of whole longs into {@code destination} from {@code offset}, copied in
     * bulk, waiting as long as it takes.
     *
     * @return the number of longs.
     * @throws MessageTooLargeException if they do not fit from {@code offset}; the message stays.
     */
    public int receiveLongs(final long[] destination, final int offset) throws InterruptedException
    {
        return receive(longArraySink.into(destination, offset), Deadline.NONE) / Long.BYTES;
    }

    /**
     * As {@link #receiveLongs(long[], int)}, waiting at most {@code timeout}.
     *
     * @return the number of longs, or -1 if nothing arrived in time.
     */
    public int receiveLongs(final long[] destination, final int offset, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        final int length = receive(longArraySink.into(destination, offset), deadline(timeout, unit));
        return length < 0 ? -1 : length / Long.BYTES;
    }

    /**
     * Receives one message into {@code destination} at its position, waiting as long as it takes,
     * and moves the position past it.
     *
     * @return its length.
     * @throws MessageTooLargeException if it is longer than the buffer's remaining room; it stays.
     * @throws java.nio.ReadOnlyBufferException if the buffer is read-only; nothing is consumed.
     */
    public int receive(final ByteBuffer destination) throws InterruptedException
    {
        return moved(destination, receive(byteBufferSink.into(destination), Deadline.NONE));
    }

    /**
     * As {@link #receive(ByteBuffer)}, waiting at most {@code timeout}.
     *
     * @return the length, or -1 if nothing arrived in time (the position is then not moved).
     */
    public int receive(final ByteBuffer destination, final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return moved(destination, receive(byteBufferSink.into(destination), deadline(timeout, unit)));
    }

    /**
     * As {@link #receive(MutableDirectBuffer, int)}, waiting at most {@code timeout}.
     *
     * @return the length, or -1 if nothing arrived in time.
     */
    public int receive(final MutableDirectBuffer destination, final int offset, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        return receive(directBufferSink.into(destination, offset), deadline(timeout, unit));
    }

    private static long deadline(final long timeout, final TimeUnit unit)
    {
        return Deadline.after(timeout, unit);
    }

    private static int moved(final ByteBuffer destination, final int length)
    {
        if (length > 0)
        {
            destination.position(destination.position() + length);
        }
        return length;
    }

    /**
     * Waits until a message can be received without waiting, or the stream has ended (Python's
     * {@code Connection.poll(timeout)}); consumes nothing.
     *
     * @param timeout the longest wait; 0 does not wait.
     * @param unit    its unit.
     * @return true if {@code receive} would not wait now: a message is there, or the stream ended
     * (and {@code receive} would throw).
     */
    public boolean awaitMessage(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        try
        {
            final long nanos = Deadline.nanos(timeout, unit);
            if (nanos == 0)
            {
                return hasMessageNow();
            }
            return receive(PEEK, Deadline.after(nanos)) == PEEKED;
        }
        catch (final ChannelClosedException | PeerDiedException ended)
        {
            return true;
        }
    }

    private boolean hasMessageNow()
    {
        checkOpen();
        if (!reassembly.isEmpty() || committedNonPadding())
        {
            return true;
        }
        return endState(false) != END_OPEN && !committedAtPosition();
    }

    private boolean committedNonPadding()
    {
        while (committedAtPosition())
        {
            final int index = ring + (int)(position & mask);
            final int meta = headerMeta(buffer.getLongVolatile(index));
            if ((meta & PADDING) == 0)
            {
                return true;
            }
            advance(meta & LENGTH_MASK);
        }
        return false;
    }

    /**
     * @return the bytes skipped because their sender died between claiming and committing them.
     */
    public long skippedBytes()
    {
        checkOpen();
        return buffer.getLongVolatile(base + SKIPPED_BYTES_OFFSET);
    }

    /**
     * Detaches: senders then fail with {@link ChannelClosedException}. Idempotent.
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
        publish();
        buffer.putIntVolatile(base + RECEIVER_FENCES_OFFSET, 0);
        ProcessSlot.releaseAs(buffer, base + CONSUMER_PID_OFFSET, CONSUMER_CLOSED);
        buffer.getAndAddInt(base + SPACE_SEQUENCE_OFFSET, 1);
        strategy.wake(buffer, base + SPACE_SEQUENCE_OFFSET, Integer.MAX_VALUE);
    }

    private void checkOpen()
    {
        object.checkOpen();
        if (closed)
        {
            throw new IllegalStateException("receiver of " + object.describe() + " is closed");
        }
    }

    /**
     * Receives one whole message into {@code sink}, streaming its fragments; fragments of other
     * senders met on the way are reassembled aside.
     *
     * @param deadline a {@link Deadline}, or {@link Deadline#NONE}.
     * @return the message length, or -1 on timeout.
     */
    private int receive(final ReceiveSink sink, final long deadline) throws InterruptedException
    {
        checkOpen();
        if (reassembly.isEmpty())
        {
            // The common case, kept small so that it compiles into the caller: a whole message is there.
            final int index = ring + (int)(position & mask);
            final long header = buffer.getLongVolatile(index);
            final int meta = headerMeta(header);
            if (headerLap(header) == lap(position, shift) && (meta & (PADDING | UNFRAGMENTED)) == UNFRAGMENTED)
            {
                final int length = meta & LENGTH_MASK;
                if (!sink.begin(length))
                {
                    return PEEKED;
                }
                sink.copy(buffer, index + HEADER_LENGTH, 0, length, true);
                advance(recordLength(length));
                return length;
            }
            return await(sink, deadline);
        }
        final byte[] done = reassembly.peek();
        if (done != null)
        {
            if (!sink.begin(done.length))
            {
                return PEEKED;
            }
            reassembly.poll();
            sink.copy(new UnsafeBuffer(done), 0, 0, done.length, false);
            return done.length;
        }
        return await(sink, deadline);
    }

    /**
     * The rest of {@link #receive(ReceiveSink, long)}: waits for a message, streams fragments, skips
     * padding and dead senders' holes, and detects the end of the stream.
     */
    private int await(final ReceiveSink sink, final long deadline) throws InterruptedException
    {
        int streaming = -1;
        int total = 0;
        int received = 0;
        while (true)
        {
            object.checkOpen();
            final int index = ring + (int)(position & mask);
            final long header = buffer.getLongVolatile(index);
            if (headerLap(header) != lap(position, shift))
            {
                // Nothing committed at the position: wait for it, or for the end of the stream.
                if (!dataWait.await(deadline, true))
                {
                    return -1;
                }
                continue;
            }
            final int meta = headerMeta(header);
            final int length = meta & LENGTH_MASK;
            final int producer = headerProducer(header);
            final int payload = index + HEADER_LENGTH;
            if ((meta & PADDING) != 0)
            {
                advance(length);
            }
            else if (streaming < 0 && (meta & BEGIN) != 0)
            {
                final boolean whole = (meta & END) != 0;
                total = whole ? length : (int)buffer.getLong(payload);
                if (!sink.begin(total))
                {
                    return PEEKED;
                }
                streaming = producer;
                final int data = whole ? 0 : Long.BYTES;
                sink.copy(buffer, payload + data, 0, length - data, true);
                received = length - data;
                advance(recordLength(length));
                if (whole)
                {
                    maybePublish();
                    return total;
                }
            }
            else if (producer == streaming)
            {
                sink.copy(buffer, payload, received, length, true);
                received += length;
                advance(recordLength(length));
                if ((meta & END) != 0)
                {
                    maybePublish();
                    return total;
                }
            }
            else
            {
                reassembly.stash(buffer, producer, meta, payload, length);
                advance(recordLength(length));
                if (streaming < 0 && !reassembly.isEmpty())
                {
                    return receive(sink, deadline);
                }
            }
        }
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
            super(strategy, buffer, base + DATA_SEQUENCE_OFFSET, blocking);
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
        protected void checkOpen()
        {
            object.checkOpen();
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
            return shortSleep ? Math.min(remaining, UNFENCED_SLEEP_NANOS) : remaining;
        }

        @Override
        protected void withdraw()
        {
            buffer.putIntRelease(base + CONSUMER_WAITING_OFFSET, 0);
        }
    }

    private boolean committedAtPosition()
    {
        return headerLap(buffer.getLongVolatile(ring + (int)(position & mask))) == lap(position, shift);
    }

    private void advance(final int length)
    {
        position += length;
        maybePublish();
    }

    private void maybePublish()
    {
        if (position - publishedPosition >= publishThreshold)
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
    private boolean skipDeadHole()
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
            buffer.getAndAddLong(base + SKIPPED_BYTES_OFFSET, lostEnd - position);
        }
        reassembly.forget(deadSlot);
        sawDeath = true;
        release(base + slotOffset(deadSlot));
        position = holeEnd;
        publish();
        return true;
    }

    private static final int END_OPEN = 0;
    private static final int END_CLOSED = 1;
    private static final int END_DIED = 2;

    /**
     * Throws if the stream has ended: no sender left alive and nothing committed at the position.
     */
    private void checkEnd(final boolean liveness)
    {
        final int state = endState(liveness);
        if (state == END_OPEN || committedAtPosition() || !reassembly.isEmpty())
        {
            return;
        }
        if (state == END_DIED)
        {
            throw new PeerDiedException("every sender of " + object.describe() + " is gone and one died" +
                " (skipped " + buffer.getLongVolatile(base + SKIPPED_BYTES_OFFSET) + " bytes it had claimed)");
        }
        throw new ChannelClosedException("end of stream: every sender of " + object.describe() + " closed");
    }

    private int endState(final boolean liveness)
    {
        boolean anyClosed = false;
        for (int slot = 0; slot < MAX_PRODUCERS; slot++)
        {
            final int offset = base + slotOffset(slot);
            final int state = buffer.getIntVolatile(offset + SLOT_STATE_OFFSET);
            final long pid = buffer.getLongVolatile(offset + SLOT_PID_OFFSET);
            if (state == SLOT_ACTIVE && pid != 0)
            {
                if (!liveness || !ProcessSlot.isProvenDead(buffer, offset, pid))
                {
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
                release(offset);
            }
            else if (state == SLOT_CLOSED)
            {
                anyClosed = true;
            }
            else if (state == SLOT_FREE && pid != 0 && liveness)
            {
                // Claimed by a sender that died before activating it: no attacher takes a free
                // slot that names a pid, so only the receiver can free it.
                ProcessSlot.freeIfDead(buffer, offset);
            }
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
