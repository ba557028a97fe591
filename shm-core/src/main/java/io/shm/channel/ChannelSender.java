package io.shm.channel;

import io.shm.exceptions.ChannelClosedException;
import io.shm.exceptions.MessageTooLargeException;
import io.shm.exceptions.PeerDiedException;
import io.shm.segment.SharedObject;
import io.shm.wait.Deadline;
import io.shm.wait.WaitStrategy;
import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.AtomicBuffer;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static io.shm.channel.ChannelDescriptor.*;
import static io.shm.channel.RecordWriter.bytes;
import static io.shm.channel.RecordWriter.words;

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
    private static final long DOUBLES = UnsafeApi.arrayBaseOffset(double[].class);
    private static final long LONGS = UnsafeApi.arrayBaseOffset(long[].class);

    private final Channel channel;
    private final SharedObject object;
    private final AtomicBuffer buffer;
    private final SenderRing ring;
    private final RecordWriter writer;
    private final int maxMessageLength;
    private final int maxRecordPayload;
    private int openClaim = -1;
    private int claimedLength;

    ChannelSender(final Channel channel, final WaitStrategy strategy)
    {
        this.channel = channel;
        this.object = channel.object();
        this.buffer = object.buffer();
        final ChannelOptions options = channel.options();
        this.maxMessageLength = options.maxMessageLength();
        this.maxRecordPayload = options.maxRecordPayload();
        this.ring = new SenderRing(object, options, strategy);
        this.writer = new RecordWriter(ring, buffer, maxRecordPayload);
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
        final int index = ring.tryClaimRecord(length);
        if (index == SenderRing.NO_SPACE)
        {
            return false;
        }
        buffer.putBytes(index + HEADER_LENGTH, source, offset, length);
        ring.publish(index, UNFRAGMENTED | length);
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
        final int index = ring.tryClaimRecord(length);
        if (index == SenderRing.NO_SPACE)
        {
            return false;
        }
        buffer.putBytes(index + HEADER_LENGTH, source, offset, length);
        ring.publish(index, UNFRAGMENTED | length);
        return true;
    }

    /**
     * Sends {@code count} messages laid end to end in {@code source} from {@code offset}, the
     * {@code i}th {@code lengths[i]} bytes long, in order, waiting for room as long as it takes.
     * A single producer writes as many as its reserved room holds, then commits them with one
     * store (the first record's header, stored last); the receiver sees the whole batch at once.
     * Many producers commit each message as {@code send} does.
     *
     * @throws MessageTooLargeException if a message needs fragments (nothing is sent then).
     * @throws InterruptedException     if interrupted while waiting for room: the messages before
     *                                  the one waited for are sent.
     */
    public void sendBatch(final DirectBuffer source, final int offset, final int[] lengths, final int count)
        throws InterruptedException
    {
        checkOpen();
        Objects.checkFromIndexSize(0, count, lengths.length);
        long total = 0;
        for (int i = 0; i < count; i++)
        {
            checkTrySendLength(lengths[i]);
            total += lengths[i];
        }
        if (offset < 0 || offset + total > source.capacity())
        {
            throw new IndexOutOfBoundsException("a batch of " + total + " bytes from " + offset + " in a buffer of " +
                source.capacity());
        }
        int at = offset;
        int i = 0;
        while (i < count)
        {
            // The first record may wait for room; the rest of the batch goes into the room reserved.
            final int firstIndex = ring.claim(lengths[i], Deadline.NONE);
            buffer.putBytes(firstIndex + HEADER_LENGTH, source, at, lengths[i]);
            final long firstHeader = ring.claimedHeader(UNFRAGMENTED | lengths[i]);
            at += lengths[i++];
            int index;
            while (i < count && (index = ring.tryClaimInReservation(lengths[i])) != SenderRing.NO_SPACE)
            {
                buffer.putBytes(index + HEADER_LENGTH, source, at, lengths[i]);
                ring.writeHeader(index, ring.claimedHeader(UNFRAGMENTED | lengths[i]));
                at += lengths[i++];
            }
            ring.publishHeader(firstIndex, firstHeader);
        }
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
            final int index = ring.claim(length, Deadline.NONE);
            buffer.putBytes(index + HEADER_LENGTH, source, offset, length);
            ring.publish(index, UNFRAGMENTED | length);
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
            final int index = ring.claim(length, Deadline.NONE);
            buffer.putBytes(index + HEADER_LENGTH, source, source.position(), length);
            ring.publish(index, UNFRAGMENTED | length);
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
        final int index = ring.tryClaimRecord(length);
        if (index == SenderRing.NO_SPACE)
        {
            return false;
        }
        buffer.putBytes(index + HEADER_LENGTH, source, source.position(), length);
        ring.publish(index, UNFRAGMENTED | length);
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
            final int index = ring.claim(length, Deadline.NONE);
            buffer.putBytes(index + HEADER_LENGTH, source, offset, length);
            ring.publish(index, UNFRAGMENTED | length);
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
        sendWords(source, DOUBLES, offset, count);
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
        return send(words(source, DOUBLES, offset), checkedBytes(count, Double.BYTES), Deadline.nanos(timeout, unit));
    }

    /**
     * Sends {@code count} longs as one message of {@code 8 * count} bytes, copied in bulk.
     */
    public void sendLongs(final long[] source, final int offset, final int count) throws InterruptedException
    {
        Objects.checkFromIndexSize(offset, count, source.length);
        sendWords(source, LONGS, offset, count);
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
        return send(words(source, LONGS, offset), checkedBytes(count, Long.BYTES), Deadline.nanos(timeout, unit));
    }

    /**
     * Sends {@code count} 8-byte words of {@code array} (a {@code double[]} or {@code long[]}
     * whose elements start at {@code arrayBase}) from {@code offset}, waiting for room.
     */
    private void sendWords(final Object array, final long arrayBase, final int offset, final int count)
        throws InterruptedException
    {
        final int bytes = checkedBytes(count, Long.BYTES);
        if (fitsOneRecord(bytes))
        {
            final int index = ring.claim(bytes, Deadline.NONE);
            UnsafeApi.copyMemory(array, arrayBase + (long)offset * Long.BYTES, null,
                buffer.addressOffset() + index + HEADER_LENGTH, bytes);
            ring.publish(index, UNFRAGMENTED | bytes);
            return;
        }
        send(words(array, arrayBase, offset), bytes, -1);
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
        final int index = ring.tryClaimRecord(length);
        if (index == SenderRing.NO_SPACE)
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
        ring.publish(header, UNFRAGMENTED | claimedLength);
    }

    /**
     * Gives up a claimed record: it becomes padding that the receiver skips.
     *
     * @param index the index {@link #tryClaim} returned.
     */
    public void abort(final int index)
    {
        final int header = checkClaim(index);
        ring.publish(header, PADDING | recordLength(claimedLength));
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
        if (ring.isClosed() || !object.isOpen())
        {
            return;
        }
        if (openClaim >= 0)
        {
            // An open claim is given up: the receiver skips it as padding instead of waiting for it.
            abort(openClaim + HEADER_LENGTH);
        }
        ring.close();
    }

    public Channel channel()
    {
        return channel;
    }

    /**
     * The fast path of {@code send}: one record, copied without a {@link RecordWriter.Source}.
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
        ring.checkOpen();
    }

    private boolean send(final RecordWriter.Source source, final int length, final long timeoutNanos) throws InterruptedException
    {
        checkOpen();
        if (length > maxMessageLength)
        {
            throw new MessageTooLargeException("a " + length + "-byte message exceeds the " + maxMessageLength +
                "-byte limit of " + object.describe());
        }
        return writer.write(source, length, Deadline.after(timeoutNanos));
    }

    /**
     * @return whether this sender's commits now go without a full fence, because its process is
     *         registered for barriers and the receiver sends one before each sleep.
     */
    boolean fencedByReceiver()
    {
        return ring.fencedByReceiver();
    }

    @Override
    public String toString()
    {
        return ring.toString();
    }
}
