package io.shm.channel;

import io.shm.exceptions.ChannelClosedException;
import io.shm.exceptions.MessageTooLargeException;
import io.shm.exceptions.PeerDiedException;
import io.shm.segment.SharedObject;
import io.shm.wait.Deadline;
import io.shm.wait.WaitStrategy;
import io.shm.wait.Waitable;
import io.shm.wait.Waiter;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
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
 * predecessor last published, so messages taken after that are delivered again (at least once);
 * a message that spans several records and whose first one lies before that position cannot be
 * rebuilt, and its remaining fragments are dropped and counted with the skipped bytes.
 */
public final class ChannelReceiver implements AutoCloseable, Waitable
{
    private static final int PEEKED = -2;
    /**
     * What a timed receive returns when nothing arrived in time: never a length or a count.
     */
    public static final int TIMED_OUT = -1;

    private static final ReceiveSink PEEK = new ReceiveSink.Peek();

    private final SharedObject object;
    private final AtomicBuffer buffer;
    private final Reassembly reassembly = new Reassembly();
    private final ReceiverRing ring;
    private final ReceiveSink.ByteArraySink byteArraySink = new ReceiveSink.ByteArraySink();
    private final ReceiveSink.DirectBufferSink directBufferSink = new ReceiveSink.DirectBufferSink();
    private final ReceiveSink.WordArraySink wordArraySink = new ReceiveSink.WordArraySink();
    private final ReceiveSink.ByteBufferSink byteBufferSink = new ReceiveSink.ByteBufferSink();
    private long messageEnd;

    ChannelReceiver(final Channel channel, final WaitStrategy strategy)
    {
        this.object = channel.object();
        this.buffer = object.buffer();
        this.ring = new ReceiverRing(object, channel.options(), strategy, reassembly);
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
        return poll(handler, null, limit);
    }

    /**
     * Hands available messages to {@code handler}, in place, until it refuses one, which stays to
     * be handed over first by the next poll (as Aeron's controlled poll does); does not wait.
     * During each call {@link #messageEnd()} says where the message ends in the stream.
     *
     * @param handler sees each message, and takes it or leaves it.
     * @param limit   the most messages to hand over.
     * @return the number taken.
     */
    public int controlledPoll(final ControlledMessageHandler handler, final int limit)
    {
        return poll(null, handler, limit);
    }

    private int poll(final MessageHandler handler, final ControlledMessageHandler controlled, final int limit)
    {
        checkOpen();
        messageEnd = ring.position();
        int count = reassembly.hand(handler, controlled, 0, limit);
        while (count >= 0 && count < limit)
        {
            final int index = ring.recordIndex();
            final long header = buffer.getLongVolatile(index);
            if (!ring.isCurrent(header))
            {
                break;
            }
            final int meta = headerMeta(header);
            final int length = ring.length(header);
            if ((meta & PADDING) != 0)
            {
                ring.advance(length);
                continue;
            }
            if ((meta & UNFRAGMENTED) == UNFRAGMENTED)
            {
                if (controlled == null)
                {
                    handler.onMessage(buffer, index + HEADER_LENGTH, length);
                }
                else
                {
                    messageEnd = ring.position() + recordLength(length);
                    if (!controlled.onMessage(buffer, index + HEADER_LENGTH, length))
                    {
                        count = ~count;
                        break;
                    }
                }
                count++;
            }
            else
            {
                stash(headerProducer(header), meta, index + HEADER_LENGTH, length);
                ring.advance(recordLength(length));
                // A message whose last fragment this was goes out before the next record.
                messageEnd = ring.position();
                count = reassembly.hand(handler, controlled, count, limit);
                continue;
            }
            ring.advance(recordLength(length));
        }
        if (count < 0)
        {
            // Refused: the position so far goes out, and the refused message stays.
            ring.publish();
            return ~count;
        }
        if (count < limit)
        {
            ring.publish();
        }
        return count;
    }

    /**
     * @return during a {@link #controlledPoll} handler's call, the position in the stream (in
     *         bytes from its start, as the senders see it) just past the message being handed
     *         over. A receiver that replaces a dead one sees the messages it receives again at
     *         the same positions, so a handler that records how far it got can skip them.
     */
    public long messageEnd()
    {
        return messageEnd;
    }

    /**
     * @return whether every sender has closed and every message has been received.
     */
    public boolean isEndOfStream()
    {
        checkOpen();
        // The senders' states are read before the ring: a commit made before a close is then seen.
        return ring.endState(false) == ReceiverRing.END_CLOSED && reassembly.isEmpty() && !ring.committedAtPosition();
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
        return receive(Integer.MAX_VALUE);
    }

    /**
     * Receives one message of at most {@code maxLength} bytes into a new array, waiting as long
     * as it takes (Python's {@code recv_bytes(maxlength)}).
     *
     * @return the message.
     * @throws MessageTooLargeException if it is longer; it stays to be received.
     * @throws ChannelClosedException   at end of stream.
     */
    public byte[] receive(final int maxLength) throws InterruptedException
    {
        final byte[][] message = new byte[1][];
        receive(new ReceiveSink()
        {
            @Override
            boolean begin(final int total)
            {
                checkRoom(total, maxLength);
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
     * @return whether a receive would return or fail at once: a message is there, or the stream
     *         has ended ({@link io.shm.wait.WaitMany}).
     */
    @Override
    public boolean isReady()
    {
        return hasMessageNow() || isEndOfStream();
    }

    @Override
    public Waiter waiter()
    {
        return ring.waiter();
    }

    /**
     * @return whether a receive would not wait now: a message is there, or the stream ended (in
     *         which case it would throw). Never waits.
     */
    public boolean hasMessage()
    {
        return hasMessageNow();
    }

    /**
     * As {@link #receive(byte[])}, waiting at most {@code timeout}.
     *
     * @return the length, or {@link #TIMED_OUT} if nothing arrived in time.
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
        return receive(wordArraySink.into(destination, offset), Deadline.NONE) / Double.BYTES;
    }

    /**
     * As {@link #receiveDoubles(double[], int)}, waiting at most {@code timeout}.
     *
     * @return the number of doubles, or {@link #TIMED_OUT} if nothing arrived in time.
     */
    public int receiveDoubles(final double[] destination, final int offset, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        return words(receive(wordArraySink.into(destination, offset), deadline(timeout, unit)));
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
        return receive(wordArraySink.into(destination, offset), Deadline.NONE) / Long.BYTES;
    }

    /**
     * As {@link #receiveLongs(long[], int)}, waiting at most {@code timeout}.
     *
     * @return the number of longs, or {@link #TIMED_OUT} if nothing arrived in time.
     */
    public int receiveLongs(final long[] destination, final int offset, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        return words(receive(wordArraySink.into(destination, offset), deadline(timeout, unit)));
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
     * @return the length, or {@link #TIMED_OUT} if nothing arrived in time (the position is then not moved).
     */
    public int receive(final ByteBuffer destination, final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return moved(destination, receive(byteBufferSink.into(destination), deadline(timeout, unit)));
    }

    /**
     * As {@link #receive(MutableDirectBuffer, int)}, waiting at most {@code timeout}.
     *
     * @return the length, or {@link #TIMED_OUT} if nothing arrived in time.
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

    /**
     * @return the number of 8-byte words in a message of {@code length} bytes, or -1 for a timeout.
     */
    private static int words(final int length)
    {
        return length < 0 ? TIMED_OUT : length / Long.BYTES;
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
        if (!reassembly.isEmpty() || ring.committedNonPadding())
        {
            return true;
        }
        return ring.endState(false) != ReceiverRing.END_OPEN && !ring.committedAtPosition();
    }

    /**
     * @return the bytes skipped because their sender died between claiming and committing them,
     *         or because a receiver before this one died having taken the start of their message.
     */
    public long skippedBytes()
    {
        checkOpen();
        return ring.skippedBytes();
    }

    /**
     * Detaches: senders then fail with {@link ChannelClosedException}. Idempotent.
     */
    @Override
    public void close()
    {
        ring.close();
    }

    private void checkOpen()
    {
        ring.checkOpen();
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
            final int index = ring.recordIndex();
            final long header = buffer.getLongVolatile(index);
            final int meta = headerMeta(header);
            if (ring.isCurrent(header) && (meta & (PADDING | UNFRAGMENTED)) == UNFRAGMENTED)
            {
                final int length = ring.length(header);
                if (!sink.begin(length))
                {
                    return PEEKED;
                }
                sink.copy(buffer, index + HEADER_LENGTH, 0, length, true);
                ring.advance(recordLength(length));
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
            final int index = ring.recordIndex();
            final long header = buffer.getLongVolatile(index);
            if (!ring.isCurrent(header))
            {
                // Nothing committed at the position: wait for it, or for the end of the stream.
                if (!ring.awaitRecord(deadline))
                {
                    return TIMED_OUT;
                }
                continue;
            }
            final int meta = headerMeta(header);
            final int length = ring.length(header);
            final int producer = headerProducer(header);
            final int payload = index + HEADER_LENGTH;
            if ((meta & PADDING) != 0)
            {
                ring.advance(length);
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
                ring.advance(recordLength(length));
                if (whole)
                {
                    ring.maybePublish();
                    return total;
                }
            }
            else if (producer == streaming)
            {
                sink.copy(buffer, payload, received, length, true);
                received += length;
                ring.advance(recordLength(length));
                if ((meta & END) != 0)
                {
                    ring.maybePublish();
                    return total;
                }
            }
            else
            {
                stash(producer, meta, payload, length);
                ring.advance(recordLength(length));
                if (streaming < 0 && !reassembly.isEmpty())
                {
                    return receive(sink, deadline);
                }
            }
        }
    }

    /**
     * Sets aside a fragment of a message other than the one being received; one whose message
     * began before this receiver did (a dead predecessor took its start) is dropped and counted.
     */
    private void stash(final int producer, final int meta, final int payload, final int length)
    {
        final int dropped = reassembly.stash(buffer, producer, meta, payload, length);
        if (dropped > 0)
        {
            ring.countSkipped(dropped);
        }
    }

    @Override
    public String toString()
    {
        return ring.toString();
    }
}
