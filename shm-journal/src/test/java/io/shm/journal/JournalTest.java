package io.shm.journal;

import io.shm.broadcast.Broadcast;
import io.shm.broadcast.BroadcastOptions;
import io.shm.broadcast.BroadcastSender;
import io.shm.process.JvmProcess;
import io.shm.segment.SegmentOptions;
import io.shm.test.ChildArgs;
import io.shm.test.SegmentTestCase;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A broadcast stream recorded by a recorder in another JVM, killed and restarted, and replayed
 * then merged with the live stream, all checked by sequence number.
 */
@Timeout(300)
class JournalTest extends SegmentTestCase
{
    static final int MESSAGES = 1_000_000;
    static final BroadcastOptions BACK_PRESSURED = BroadcastOptions.defaults().withBackPressure(true);

    private Path directory;

    @Override
    protected SegmentOptions options(final SegmentOptions defaults)
    {
        return defaults.withSize(8L << 20);
    }

    @BeforeEach
    void makeJournalDirectory() throws IOException
    {
        directory = Files.createTempDirectory(Path.of("/dev/shm"), "journal-test-");
    }

    @AfterEach
    void removeJournalDirectory() throws IOException
    {
        try (Stream<Path> files = Files.walk(directory))
        {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Test
    void aMillionMessagesAreRecordedAndReplayedInOrder() throws Exception
    {
        final Broadcast feed = Broadcast.create(segment, "feed", BACK_PRESSURED);
        try (JvmProcess recorder = recorder())
        {
            recorder.awaitOutput(line -> line.equals("recording"), 60, TimeUnit.SECONDS);
            send(feed, 0, MESSAGES);
            assertEquals(0, recorder.join(120, TimeUnit.SECONDS), recorder.output());
            assertTrue(recorder.output().contains("recorded " + MESSAGES + " missed 0"), recorder.output());
        }
        try (Journal journal = Journal.open(directory))
        {
            assertEquals(MESSAGES - 1, journal.lastSequence());
            final Check check = replayAll(journal, 0);
            assertEquals(MESSAGES, check.count);
            assertEquals(0, check.gaps);
        }
        try (Journal journal = Journal.open(directory);
             JournalReader middle = JournalReader.fromSequence(journal, null, 500_000))
        {
            final Check check = new Check(500_000);
            while (middle.poll(check, 1000) > 0)
            {
                // Replaying.
            }
            assertEquals(MESSAGES - 500_000, check.count);
        }
    }

    @Test
    void aRecorderKilledAndRestartedRecordsNothingTwiceAndNamesWhatItMissed() throws Exception
    {
        final Broadcast feed = Broadcast.create(segment, "feed", BACK_PRESSURED);
        final CompletableFuture<Void> sending;
        try (JvmProcess first = recorder())
        {
            first.awaitOutput(line -> line.equals("recording"), 60, TimeUnit.SECONDS);
            sending = CompletableFuture.runAsync(() -> send(feed, 0, MESSAGES));
            try (Journal journal = Journal.open(directory))
            {
                while (journal.lastSequence() < 200_000)
                {
                    Thread.onSpinWait();
                }
            }
            first.killAndWait();
        }
        try (JvmProcess second = recorder())
        {
            sending.get(120, TimeUnit.SECONDS);
            assertEquals(0, second.join(120, TimeUnit.SECONDS), second.output());
        }
        try (Journal journal = Journal.open(directory))
        {
            assertEquals(MESSAGES - 1, journal.lastSequence());
            final Check check = replayAll(journal, 0);
            assertEquals(MESSAGES, check.count + check.gaps, "every message recorded once or named as missed");
        }
    }

    @Test
    void aLossyRecorderLappedWhileStoppedRecordsExactlyWhatItMissed() throws Exception
    {
        final Broadcast feed = Broadcast.create(segment, "feed", BroadcastOptions.defaults().withCapacity(64 * 1024));
        try (JvmProcess recorder = recorder())
        {
            recorder.awaitOutput(line -> line.equals("recording"), 60, TimeUnit.SECONDS);
            final BroadcastSender sender = feed.sender();
            send(sender, 0, 1_000);
            try (Journal journal = Journal.open(directory))
            {
                while (journal.lastSequence() < 999)
                {
                    Thread.onSpinWait();
                }
            }
            recorder.signal("STOP");
            send(sender, 1_000, 200_000);
            recorder.signal("CONT");
            send(sender, 200_000, 210_000);
            sender.close();
            assertEquals(0, recorder.join(120, TimeUnit.SECONDS), recorder.output());
            try (Journal journal = Journal.open(directory))
            {
                final Check check = replayAll(journal, 0);
                assertEquals(210_000, check.count + check.gaps, check.gapRanges.toString());
                assertTrue(check.gaps > 100_000, "the sender never waited for the stopped recorder: " + check.gapRanges);
                assertTrue(recorder.output().contains("missed " + check.gaps), recorder.output() + " " + check.gapRanges);
            }
        }
    }

    @Test
    void aReaderReplaysThenJoinsTheLiveStreamWithoutGapOrDuplicate() throws Exception
    {
        final Broadcast feed = Broadcast.create(segment, "feed", BACK_PRESSURED);
        try (JvmProcess recorder = recorder())
        {
            recorder.awaitOutput(line -> line.equals("recording"), 60, TimeUnit.SECONDS);
            final BroadcastSender sender = feed.sender();
            send(sender, 0, 300_000);
            try (Journal journal = Journal.open(directory))
            {
                while (journal.lastSequence() < 100_000)
                {
                    Thread.onSpinWait();
                }
                try (JournalReader reader = JournalReader.fromSequence(journal, feed, 0))
                {
                    final CompletableFuture<Void> rest = CompletableFuture.runAsync(() ->
                    {
                        send(sender, 300_000, MESSAGES);
                        sender.close();
                    });
                    final Check check = new Check(0);
                    while (check.count + check.gaps < MESSAGES)
                    {
                        reader.poll(check, 1000);
                    }
                    rest.get(60, TimeUnit.SECONDS);
                    assertTrue(reader.isLive(), "it went on with the live stream");
                    assertEquals(MESSAGES, check.count);
                    assertEquals(0, check.gaps);
                }
            }
            assertEquals(0, recorder.join(120, TimeUnit.SECONDS), recorder.output());
        }
    }

    @Test
    void aJvmWithoutTheFlagsIsToldWhichOneItLacks() throws Exception
    {
        try (JvmProcess bare = ChildArgs.child(OpenJournal.class, segments, segment.name(), directory.toString()).start())
        {
            assertNotEquals(0, bare.join(60, TimeUnit.SECONDS));
            assertTrue(bare.output().contains("--add-opens java.base/sun.nio.ch=ALL-UNNAMED"), bare.output());
        }
    }

    private JvmProcess recorder()
    {
        return ChildArgs.child(Record.class, segments, segment.name(), directory.toString())
            .jvmArgs(JournalRuntime.JVM_FLAGS.toArray(String[]::new)).start();
    }

    /**
     * Sends messages {@code from} to {@code to - 1} with a new sender, then ends the stream.
     */
    private static void send(final Broadcast feed, final long from, final long to)
    {
        final BroadcastSender sender = feed.sender();
        try
        {
            send(sender, from, to);
        }
        finally
        {
            sender.close();
        }
    }

    /**
     * Sends messages {@code from} to {@code to - 1}: each its sequence number, its complement, then
     * up to 112 more bytes.
     */
    private static void send(final BroadcastSender sender, final long from, final long to)
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[128]);
        try
        {
            for (long i = from; i < to; i++)
            {
                message.putLong(0, i);
                message.putLong(8, ~i);
                sender.send(message, 0, 16 + (int)(i % 15) * 8);
            }
        }
        catch (final InterruptedException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static Check replayAll(final Journal journal, final long from)
    {
        final Check check = new Check(from);
        try (JournalReader reader = JournalReader.fromSequence(journal, null, from))
        {
            while (reader.poll(check, 1000) > 0)
            {
                // Replaying.
            }
        }
        return check;
    }

    /**
     * Checks every message is the next in sequence (after any gap), whole.
     */
    static final class Check implements JournalHandler
    {
        long expected;
        long count;
        long gaps;
        final List<String> gapRanges = new ArrayList<>();

        Check(final long from)
        {
            this.expected = from;
        }

        @Override
        public void onMessage(final long sequence, final DirectBuffer buffer, final int offset, final int length)
        {
            assertEquals(expected, sequence, "in order, once");
            assertEquals(sequence, buffer.getLong(offset));
            assertEquals(~sequence, buffer.getLong(offset + 8));
            assertEquals(16 + (int)(sequence % 15) * 8, length);
            expected = sequence + 1;
            count++;
        }

        @Override
        public void onGap(final long from, final long to)
        {
            assertEquals(expected, from);
            gaps += to - from + 1;
            gapRanges.add(from + ".." + to);
            expected = to + 1;
        }
    }

    /**
     * Child: records the broadcast "feed" into the journal in {@code (directory)} until the stream ends.
     */
    public static final class Record
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.open(args);
                 Journal journal = Journal.open(Path.of(child.get(0)));
                 Recorder recorder = Recorder.start(Broadcast.open(child.segment(), "feed"), journal))
            {
                System.out.println("recording");
                recorder.run(() -> false);
                System.out.println("recorded " + recorder.recorded() + " missed " + recorder.missed());
            }
        }
    }

    /**
     * Child started without the journal's flags: opens the journal.
     */
    public static final class OpenJournal
    {
        public static void main(final String[] args)
        {
            try (ChildArgs child = ChildArgs.open(args);
                 Journal journal = Journal.open(Path.of(child.get(0))))
            {
                System.out.println("opened " + journal);
            }
        }
    }
}
