package io.shm.journal;

import io.shm.broadcast.Broadcast;
import io.shm.broadcast.BroadcastReceiver;
import io.shm.channel.MessageHandler;
import io.shm.exceptions.ChannelClosedException;
import org.agrona.DirectBuffer;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Records a broadcast stream into a {@link Journal}: one receiver of the broadcast that appends
 * each message with its sequence number.
 * <pre>{@code
 * try (Journal journal = Journal.open(Path.of("/var/feed/journal"));
 *      Recorder recorder = Recorder.start(feed, journal))
 * {
 *     recorder.run(() -> stopping);   // until the sender closes or stopping is true
 * }
 * }</pre>
 * <b>It never slows the live sender more than any receiver does</b>: it is a receiver of the mode
 * the broadcast was made with. In a back-pressured broadcast it holds the sender back when it falls
 * a ring behind, and records everything; in a lossy one the sender never waits for it, and when
 * it is lapped the messages it missed are recorded as a {@link Journal#GAP} entry, exactly (from
 * the sequence numbers).
 * <p>
 * <b>Restart.</b> A recorder starts after the last sequence its journal accounts for: it joins the
 * broadcast at the oldest message the ring still holds, skips what is already recorded (nothing is
 * recorded twice), and records a gap for what the ring no longer holds (what went by while no
 * recorder ran). A recorder killed in the middle of an append leaves Chronicle Queue's own
 * unfinished document, which the next appender recovers.
 */
public final class Recorder implements AutoCloseable
{
    private static final int BATCH = 256;

    private final Journal journal;
    private final BroadcastReceiver receiver;
    private final MessageHandler handler = this::onMessage;
    private long last;
    private long recorded;
    private long missed;

    private Recorder(final Journal journal, final BroadcastReceiver receiver)
    {
        this.journal = journal;
        this.receiver = receiver;
        this.last = journal.lastSequence();
    }

    /**
     * Joins {@code broadcast} (at its oldest message) to record it into {@code journal}.
     */
    public static Recorder start(final Broadcast broadcast, final Journal journal)
    {
        return new Recorder(journal, broadcast.receiver(BroadcastReceiver.Start.OLDEST));
    }

    /**
     * Records what has arrived, without waiting.
     *
     * @return how many messages were handled (recorded or skipped as already recorded).
     */
    public int recordAvailable()
    {
        return receiver.poll(handler, BATCH);
    }

    /**
     * Records until the sender closes the stream, or {@code stop} says to stop.
     *
     * @throws InterruptedException if interrupted while waiting for messages.
     * @throws io.shm.exceptions.PeerDiedException if the sender's process died (everything it sent is recorded).
     */
    public void run(final BooleanSupplier stop) throws InterruptedException
    {
        while (!stop.getAsBoolean())
        {
            if (recordAvailable() == 0)
            {
                try
                {
                    receiver.awaitMessage(10, TimeUnit.MILLISECONDS);
                }
                catch (final ChannelClosedException ended)
                {
                    // Every message was taken before the end was reported.
                    return;
                }
            }
        }
    }

    private void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        final long sequence = receiver.messageSequence();
        if (sequence <= last)
        {
            return;
        }
        if (sequence > last + 1)
        {
            journal.appendGap(last + 1, sequence - 1);
            missed += sequence - last - 1;
        }
        journal.append(sequence, buffer, offset, length);
        last = sequence;
        recorded++;
    }

    /**
     * @return the last sequence the journal accounts for.
     */
    public long lastSequence()
    {
        return last;
    }

    /**
     * @return the messages this recorder appended.
     */
    public long recorded()
    {
        return recorded;
    }

    /**
     * @return the messages this recorder recorded as missed (gaps).
     */
    public long missed()
    {
        return missed;
    }

    @Override
    public void close()
    {
        receiver.close();
    }
}
