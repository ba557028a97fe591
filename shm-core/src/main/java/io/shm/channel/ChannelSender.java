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
import org.agrona.concurrent.AtomicBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.LongBuffer;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static io.shm.channel.ChannelDescriptor.*;

/**
 * The sending end of a {@link Channel}, for one thread.
 * <p>
 * <b>Protocol.</b> To send, the sender claims a record's space at the tail, after recording its
 * intent in its producer slot; it writes the payload, then publishes the record with one store of
 * its header, whose lap tells the receiver it is current. With many producers each record is
 * claimed by a CAS on the producer position, its intent recorded just before. A single producer
 * claims room a batch at a time (a quarter of the ring, or what is free): the batch is its intent
 * and the producer position, and a record inside it costs one plain store beside its own bytes
 * (the end of the record being written, so that a death mid-record is counted exactly). Free
 * room is checked against a cached copy of the receiver's position, re-read only when a batch
 * is claimed or the cache says the ring is full. If the channel is
 * blocking, the sender then looks at the receiver's "waiting" word and wakes it only if set: no
 * system call while the receiver is awake. The header store is a full fence, unless this process
 * is registered for {@link io.shm.wait.linux.Membarrier membarrier} and the receiver has
 * announced that it sends every registered process a barrier before it sleeps.
 * <p>
 * A message longer than {@link ChannelOptions#maxRecordPayload()} goes as fragments, the first
 * holding the total length. A message longer than {@link ChannelOptions#maxMessageLength()} is
 * refused with {@link MessageTooLargeException} before anything is written.
 * <p>
 * When the ring is full, {@code send} spins, yields, spins on for what it has learned of recent
 * waits ({@link io.shm.wait.AdaptiveSpin}), then sleeps until the receiver frees space;
 * it fails with {@link ChannelClosedException} if the receiver closed, and with
 * {@link PeerDiedException} if the receiver's process died.
 */
public final class ChannelSender implements AutoCloseable
{
    private static final int NO_SPACE = -1;

    private final Channel channel;
    private final SharedObject object;
    private final AtomicBuffer buffer;
    private final DoubleBuffer doubles;
    private final LongBuffer longs;
    private final WaitStrategy strategy;
    private final SpaceWait spaceWait;
    private final boolean fencedByReceiver;
    private final int capacity;
    private final int mask;
    private final int shift;
    private final int maxMessageLength;
    private final int maxRecordPayload;
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
    private int openClaim = -1;
    private int claimedLength;
    private boolean closed;

    ChannelSender(final Channel channel, final WaitStrategy strategy)
    {
        this.channel = channel;
        this.object = channel.object();
        this.buffer = object.buffer();
        final ByteBuffer bytes = object.mappings()[0].duplicate().order(ByteOrder.nativeOrder());
        this.doubles = bytes.asDoubleBuffer();
        this.longs = bytes.asLongBuffer();
        this.strategy = strategy;
        this.fencedByReceiver = channel.options().blocking() && Membarrier.registerThisProcess();
        final ChannelOptions options = channel.options();
        this.capacity = options.capacity();
        this.mask = capacity - 1;
        this.shift = Integer.numberOfTrailingZeros(capacity);
        this.maxMessageLength = options.maxMessageLength();
        this.maxRecordPayload = options.maxRecordPayload();
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

    /**
     * Sends a message if there is room now.
     *
     * @param source the bytes.
     * @param offset the first byte.
     * @param length the number of bytes, 0 or more.
     * @return false if the ring had no room (nothing was written).
     * @throws MessageTooLargeException if the message is longer than the channel accepts, or
     *                                  needs fragments (use {@link #send}).
     */
    public boolean trySend(final byte[] source, final int offset, final int length)
    {
        Objects.checkFromIndexSize(offset, length, source.length);
        checkTrySendLength(length);
        final int index = tryClaimRecord(length);
        if (index == NO_SPACE)
        {
            return false;
        }
        buffer.putBytes(index + HEADER_LENGTH, source, offset, length);
        publish(index, UNFRAGMENTED | length);
        return true;
    }

    /**
     * Sends part of an Agrona buffer if there is room now.
     *
     * @param source the buffer.
     * @param offset the first byte.
     * @param length the number of bytes.
     * @return false if the ring had no room.
     */
    public boolean trySend(final DirectBuffer source, final int offset, final int length)
    {
        checkTrySendLength(length);
        final int index = tryClaimRecord(length);
        if (index == NO_SPACE)
        {
            return false;
        }
        buffer.putBytes(index + HEADER_LENGTH, source, offset, length);
        publish(index, UNFRAGMENTED | length);
        return true;
    }

    /**
     * Sends a message, waiting for room as long as it takes.
     *
     * @param source the bytes.
     * @param offset the first byte.
     * @param length the number of bytes.
     * @throws InterruptedException if interrupted while waiting; a message of several fragments
     *                              may then be cut short (the receiver discards it).
     */
    public void send(final byte[] source, final int offset, final int length) throws InterruptedException
    {
        Objects.checkFromIndexSize(offset, length, source.length);
        if (fitsOneRecord(length))
        {
            final int index = claim(length, Deadline.NONE);
            buffer.putBytes(index + HEADER_LENGTH, source, offset, length);
            publish(index, UNFRAGMENTED | length);
            return;
        }
        send(bytes(source, offset), length, -1);
    }

    public void send(final byte[] source) throws InterruptedException
    {
        send(source, 0, source.length);
    }

    /**
     * Sends a message, waiting at most {@code timeout} for room.
     *
     * @return false if the time ran out before the whole message was sent.
     */
    public boolean send(final byte[] source, final int offset, final int length, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        Objects.checkFromIndexSize(offset, length, source.length);
        return send(bytes(source, offset), length, Deadline.nanos(timeout, unit));
    }

    /**
     * Sends the remaining bytes of a buffer, waiting for room; the buffer's position is not moved.
     */
    public void send(final ByteBuffer source) throws InterruptedException
    {
        final int length = source.remaining();
        if (fitsOneRecord(length))
        {
            final int index = claim(length, Deadline.NONE);
            buffer.putBytes(index + HEADER_LENGTH, source, source.position(), length);
            publish(index, UNFRAGMENTED | length);
            return;
        }
        send(bytes(source), length, -1);
    }

    /**
     * Sends the remaining bytes of a buffer if there is room now; the buffer's position is not moved.
     *
     * @return false if the ring had no room (nothing was written).
     * @throws MessageTooLargeException if the message is longer than the channel accepts, or
     *                                  needs fragments (use {@link #send}).
     */
    public boolean trySend(final ByteBuffer source)
    {
        final int length = source.remaining();
        checkTrySendLength(length);
        final int index = tryClaimRecord(length);
        if (index == NO_SPACE)
        {
            return false;
        }
        buffer.putBytes(index + HEADER_LENGTH, source, source.position(), length);
        publish(index, UNFRAGMENTED | length);
        return true;
    }

    /**
     * Sends the remaining bytes of a buffer, waiting at most {@code timeout} for room; the
     * buffer's position is not moved.
     *
     * @return false if the time ran out before the whole message was sent.
     */
    public boolean send(final ByteBuffer source, final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return send(bytes(source), source.remaining(), Deadline.nanos(timeout, unit));
    }

    /**
     * Sends part of an Agrona buffer, waiting at most {@code timeout} for room.
     *
     * @return false if the time ran out before the whole message was sent.
     */
    public boolean send(final DirectBuffer source, final int offset, final int length, final long timeout,
        final TimeUnit unit) throws InterruptedException
    {
        Objects.checkFromIndexSize(offset, length, source.capacity());
        return send(bytes(source, offset), length, Deadline.nanos(timeout, unit));
    }

    /**
     * Sends part of an Agrona buffer, waiting for room.
     */
    public void send(final DirectBuffer source, final int offset, final int length) throws InterruptedException
    {
        if (fitsOneRecord(length))
        {
            final int index = claim(length, Deadline.NONE);
            buffer.putBytes(index + HEADER_LENGTH, source, offset, length);
            publish(index, UNFRAGMENTED | length);
            return;
        }
        send(bytes(source, offset), length, -1);
    }

    /**
     * Sends {@code count} doubles as one message of {@code 8 * count} bytes, copied in bulk.
     */
    public void sendDoubles(final double[] source, final int offset, final int count) throws InterruptedException
    {
        Objects.checkFromIndexSize(offset, count, source.length);
        final int bytes = checkedBytes(count, Double.BYTES);
        if (fitsOneRecord(bytes))
        {
            final int index = claim(bytes, Deadline.NONE);
            doubles.put((index + HEADER_LENGTH) >> 3, source, offset, count);
            publish(index, UNFRAGMENTED | bytes);
            return;
        }
        send(doubles(source, offset), bytes, -1);
    }

    /**
     * As {@link #sendDoubles(double[], int, int)}, waiting at most {@code timeout} for room.
     *
     * @return false if the time ran out before the whole message was sent.
     */
    public boolean sendDoubles(final double[] source, final int offset, final int count, final long timeout,
        final TimeUnit unit) throws InterruptedException
    {
        Objects.checkFromIndexSize(offset, count, source.length);
        return send(doubles(source, offset), checkedBytes(count, Double.BYTES), Deadline.nanos(timeout, unit));
    }

    /**
     * Sends {@code count} longs as one message of {@code 8 * count} bytes, copied in bulk.
     */
    public void sendLongs(final long[] source, final int offset, final int count) throws InterruptedException
    {
        Objects.checkFromIndexSize(offset, count, source.length);
        final int bytes = checkedBytes(count, Long.BYTES);
        if (fitsOneRecord(bytes))
        {
            final int index = claim(bytes, Deadline.NONE);
            longs.put((index + HEADER_LENGTH) >> 3, source, offset, count);
            publish(index, UNFRAGMENTED | bytes);
            return;
        }
        send(longs(source, offset), bytes, -1);
    }

    /**
     * As {@link #sendLongs(long[], int, int)}, waiting at most {@code timeout} for room.
     *
     * @return false if the time ran out before the whole message was sent.
     */
    public boolean sendLongs(final long[] source, final int offset, final int count, final long timeout,
        final TimeUnit unit) throws InterruptedException
    {
        Objects.checkFromIndexSize(offset, count, source.length);
        return send(longs(source, offset), checkedBytes(count, Long.BYTES), Deadline.nanos(timeout, unit));
    }

    /**
     * Claims room for a record of {@code length} bytes to be written in place (zero copy): write
     * the payload into {@link #buffer()} from the returned index, then {@link #commit(int)} or
     * {@link #abort(int)}. One claim at a time.
     *
     * @param length the payload length, at most {@link ChannelOptions#maxRecordPayload()}.
     * @return the index of the payload in {@link #buffer()}, or -1 if the ring has no room now.
     */
    public int tryClaim(final int length)
    {
        checkTrySendLength(length);
        if (openClaim >= 0)
        {
            throw new IllegalStateException("a claim is already open on " + object.describe());
        }
        final int index = tryClaimRecord(length);
        if (index == NO_SPACE)
        {
            return -1;
        }
        openClaim = index;
        claimedLength = length;
        return index + HEADER_LENGTH;
    }

    /**
     * Publishes a claimed record.
     *
     * @param index the index {@link #tryClaim} returned.
     */
    public void commit(final int index)
    {
        final int header = checkClaim(index);
        publish(header, UNFRAGMENTED | claimedLength);
    }

    /**
     * Gives up a claimed record: it becomes padding that the receiver skips.
     *
     * @param index the index {@link #tryClaim} returned.
     */
    public void abort(final int index)
    {
        final int header = checkClaim(index);
        publish(header, PADDING | recordLength(claimedLength));
    }

    /**
     * @return the buffer claimed records are written into.
     */
    public AtomicBuffer buffer()
    {
        return buffer;
    }

    /**
     * Ends this sender's stream: the receiver drains what was sent, then, once every sender has
     * closed, gets end of stream. A claim still open is aborted. Idempotent.
     */
    @Override
    public void close()
    {
        if (closed || !object.isOpen())
        {
            closed = true;
            return;
        }
        if (openClaim >= 0)
        {
            // An open claim is given up: the receiver skips it as padding instead of waiting for it.
            abort(openClaim + HEADER_LENGTH);
        }
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

    public Channel channel()
    {
        return channel;
    }

    /**
     * The fast path of {@code send}: one record, copied without a {@link Source}.
     */
    private boolean fitsOneRecord(final int length)
    {
        checkOpen();
        return length >= 0 && length <= maxRecordPayload && length <= maxMessageLength;
    }

    private void checkTrySendLength(final int length)
    {
        checkOpen();
        if (length < 0 || length > maxRecordPayload || length > maxMessageLength)
        {
            throw new MessageTooLargeException("a " + length + "-byte message does not fit one record of " +
                object.describe() + " (at most " + Math.min(maxRecordPayload, maxMessageLength) +
                " bytes); send it with send(), which fragments it");
        }
    }

    private int checkClaim(final int index)
    {
        checkOpen();
        final int header = index - HEADER_LENGTH;
        if (openClaim < 0 || header != openClaim)
        {
            throw new IllegalStateException("index " + index + " is not the open claim of " + object.describe());
        }
        openClaim = -1;
        return header;
    }

    private int checkedBytes(final int count, final int size)
    {
        final long bytes = (long)count * size;
        if (bytes > maxMessageLength)
        {
            throw new MessageTooLargeException("a " + bytes + "-byte message exceeds the " + maxMessageLength +
                "-byte limit of " + object.describe());
        }
        return (int)bytes;
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
     * Copies part of a message into the ring.
     */
    @FunctionalInterface
    private interface Source
    {
        void copy(AtomicBuffer target, int targetIndex, int sourceIndex, int length);
    }

    private static Source bytes(final byte[] source, final int offset)
    {
        return (target, targetIndex, sourceIndex, length) -> target.putBytes(targetIndex, source, offset + sourceIndex, length);
    }

    private static Source bytes(final ByteBuffer source)
    {
        final int position = source.position();
        return (target, targetIndex, sourceIndex, length) -> target.putBytes(targetIndex, source, position + sourceIndex, length);
    }

    private static Source bytes(final DirectBuffer source, final int offset)
    {
        return (target, targetIndex, sourceIndex, length) -> target.putBytes(targetIndex, source, offset + sourceIndex, length);
    }

    // Fragments start and end on whole 8-byte words, so ring indexes and lengths divide by 8.
    private Source doubles(final double[] source, final int offset)
    {
        return (target, targetIndex, sourceIndex, length) ->
            doubles.put(targetIndex >> 3, source, offset + (sourceIndex >> 3), length >> 3);
    }

    private Source longs(final long[] source, final int offset)
    {
        return (target, targetIndex, sourceIndex, length) ->
            longs.put(targetIndex >> 3, source, offset + (sourceIndex >> 3), length >> 3);
    }

    private boolean send(final Source source, final int length, final long timeoutNanos) throws InterruptedException
    {
        checkOpen();
        if (length > maxMessageLength)
        {
            throw new MessageTooLargeException("a " + length + "-byte message exceeds the " + maxMessageLength +
                "-byte limit of " + object.describe());
        }
        final long deadline = Deadline.after(timeoutNanos);
        if (length <= maxRecordPayload)
        {
            final int index = claim(length, deadline);
            if (index == NO_SPACE)
            {
                return false;
            }
            source.copy(buffer, index + HEADER_LENGTH, 0, length);
            publish(index, UNFRAGMENTED | length);
            return true;
        }
        // Fragments: the first carries the total length, then the data in whole 8-byte words.
        int sent = 0;
        boolean first = true;
        while (sent < length || first)
        {
            final int room = first ? maxRecordPayload - Long.BYTES : maxRecordPayload;
            final int chunk = Math.min(room, length - sent);
            final int payload = first ? chunk + Long.BYTES : chunk;
            final int index = claim(payload, deadline);
            if (index == NO_SPACE)
            {
                return false;
            }
            int data = index + HEADER_LENGTH;
            if (first)
            {
                buffer.putLong(data, length);
                data += Long.BYTES;
            }
            source.copy(buffer, data, sent, chunk);
            sent += chunk;
            publish(index, (first ? BEGIN : 0) | (sent == length ? END : 0) | payload);
            first = false;
        }
        return true;
    }

    /**
     * Claims a record, waiting for room.
     *
     * @param deadline a {@link Deadline}, or {@link Deadline#NONE}.
     * @return the index of the record's header, or {@link #NO_SPACE}.
     */
    private int claim(final int length, final long deadline) throws InterruptedException
    {
        final int index = tryClaimRecord(length);
        return index != NO_SPACE ? index : awaitSpace(length, deadline);
    }

    private int tryClaimRecord(final int length)
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

    private void publish(final int headerIndex, final int meta)
    {
        // One producer: the record ends at the position, less than a ring after its header.
        final long at = multiProducer ? claimedPosition : position - ((position - (headerIndex - ring)) & mask);
        final long header = header(meta, lap(at, shift), slot);
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
            super(strategy, buffer, base + SPACE_SEQUENCE_OFFSET, true, base + PRODUCERS_WAITING_OFFSET);
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
            ChannelSender.this.checkOpen();
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
