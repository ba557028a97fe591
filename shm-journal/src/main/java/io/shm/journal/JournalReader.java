package io.shm.journal;

import io.shm.broadcast.Broadcast;
import io.shm.broadcast.BroadcastReceiver;
import io.shm.channel.MessageHandler;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Replays a recorded stream from a sequence number or a time, then goes on with the live stream,
 * handing every message to a {@link JournalHandler} once, in sequence order.
 * <pre>{@code
 * try (JournalReader reader = JournalReader.fromSequence(journal, feed, 0))
 * {
 *     while (running)
 *     {
 *         if (reader.poll(handler, 100) == 0) { idle(); }
 *     }
 * }
 * }</pre>
 * <b>Replay, then live, without a gap or a duplicate.</b> The reader joins the live broadcast first
 * (at the oldest message its ring holds), so nothing sent after that can slip past it; then it
 * replays the journal; when the journal has no more, it takes the live stream, skipping what the
 * journal already gave. A live message ahead of what was delivered means the recorder has not yet
 * appended the ones between: the reader reads them from the journal as the recorder appends them,
 * waiting up to the merge timeout, and reports those still missing after it as a gap (the
 * recorder was lapped or down). Every message carries its sequence number, so all of this is
 * checked, not assumed. In a back-pressured broadcast the reader's own receiver holds the sender
 * back like any receiver; without a live broadcast, the reader only replays.
 */
public final class JournalReader implements AutoCloseable
{
    /** How long a live message ahead of the journal waits for the recorder to catch up, by default. */
    public static final long DEFAULT_MERGE_TIMEOUT_MILLIS = 2_000;

    private final ExcerptTailer tailer;
    private final BroadcastReceiver live;
    private final long mergeTimeoutNanos;
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private byte[] scratch = new byte[256];
    private long next;
    private boolean replayed;
    private long gapMessages;
    private JournalHandler handler;
    private final MessageHandler onLive = this::onLive;

    private JournalReader(final Journal journal, final Broadcast broadcast, final long mergeTimeoutNanos)
    {
        // Join the live stream before reading the journal: nothing sent from now on is missed.
        this.live = broadcast == null ? null : broadcast.receiver(BroadcastReceiver.Start.OLDEST);
        this.tailer = journal.queue().createTailer();
        this.mergeTimeoutNanos = mergeTimeoutNanos;
    }

    /**
     * Replays from message {@code from}, then goes on with {@code live} (null: replay only).
     */
    public static JournalReader fromSequence(final Journal journal, final Broadcast live, final long from)
    {
        final JournalReader reader = new JournalReader(journal, live, TimeUnit.MILLISECONDS.toNanos(DEFAULT_MERGE_TIMEOUT_MILLIS));
        reader.next = Math.max(0, from);
        return reader;
    }

    /**
     * Replays from the first message recorded at or after {@code epochMillis}, then goes on with
     * {@code live} (null: replay only).
     */
    public static JournalReader fromTime(final Journal journal, final Broadcast live, final long epochMillis)
    {
        final JournalReader reader = new JournalReader(journal, live, TimeUnit.MILLISECONDS.toNanos(DEFAULT_MERGE_TIMEOUT_MILLIS));
        reader.next = journal.lastSequence() + 1;
        while (true)
        {
            try (DocumentContext document = reader.tailer.readingDocument())
            {
                if (!document.isPresent())
                {
                    break;
                }
                final Bytes<?> bytes = document.wire().bytes();
                final long sequence = bytes.readLong();
                if (bytes.readLong() >= epochMillis)
                {
                    reader.next = sequence;
                    document.rollbackOnClose();
                    break;
                }
            }
        }
        return reader;
    }

    /**
     * Hands up to {@code limit} messages (and any gaps before them) to {@code handler}, without
     * waiting for new ones (but for the recorder to catch up, as the class comment says).
     *
     * @return how many messages were handed over.
     */
    public int poll(final JournalHandler handler, final int limit)
    {
        this.handler = handler;
        if (!replayed)
        {
            final int replayedNow = replay(limit, Long.MAX_VALUE);
            if (replayedNow > 0 || live == null)
            {
                return replayedNow;
            }
            replayed = true;
        }
        return live.poll(onLive, limit);
    }

    /**
     * @return whether the reader has replayed the journal and now reads the live stream.
     */
    public boolean isLive()
    {
        return replayed;
    }

    /**
     * @return the sequence number of the next message it will hand over.
     */
    public long nextSequence()
    {
        return next;
    }

    /**
     * @return how many messages it reported as gaps.
     */
    public long gapMessages()
    {
        return gapMessages;
    }

    /**
     * Hands over journal entries up to sequence {@code upTo} (an entry past it is left unread).
     */
    private int replay(final int limit, final long upTo)
    {
        int delivered = 0;
        while (delivered < limit && next <= upTo)
        {
            try (DocumentContext document = tailer.readingDocument())
            {
                if (!document.isPresent())
                {
                    break;
                }
                final Bytes<?> bytes = document.wire().bytes();
                final long sequence = bytes.readLong();
                bytes.readLong();
                final int kind = bytes.readInt();
                final int length = bytes.readInt();
                if (sequence > upTo)
                {
                    document.rollbackOnClose();
                    break;
                }
                if (kind == Journal.GAP)
                {
                    final long to = Math.min(bytes.readLong(), upTo);
                    if (to >= next)
                    {
                        gap(Math.max(sequence, next), to);
                    }
                    continue;
                }
                if (sequence < next)
                {
                    continue;
                }
                if (sequence > next)
                {
                    gap(next, sequence - 1);
                }
                if (scratch.length < length)
                {
                    scratch = new byte[Math.max(length, 2 * scratch.length)];
                }
                bytes.read(scratch, 0, length);
                view.wrap(scratch, 0, length);
                handler.onMessage(sequence, view, 0, length);
                next = sequence + 1;
                delivered++;
            }
        }
        return delivered;
    }

    private void onLive(final DirectBuffer buffer, final int offset, final int length)
    {
        final long sequence = live.messageSequence();
        if (sequence > next)
        {
            // The recorder has not appended the ones between yet, or never will.
            final long deadline = System.nanoTime() + mergeTimeoutNanos;
            while (next < sequence)
            {
                if (replay(Integer.MAX_VALUE, sequence - 1) == 0 && next < sequence)
                {
                    if (System.nanoTime() - deadline > 0)
                    {
                        gap(next, sequence - 1);
                        break;
                    }
                    LockSupport.parkNanos(100_000);
                }
            }
        }
        if (sequence < next)
        {
            return;
        }
        handler.onMessage(sequence, buffer, offset, length);
        next = sequence + 1;
    }

    private void gap(final long from, final long to)
    {
        gapMessages += to - from + 1;
        handler.onGap(from, to);
        next = to + 1;
    }

    @Override
    public void close()
    {
        if (live != null)
        {
            live.close();
        }
        tailer.close();
    }
}
