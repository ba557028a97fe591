package io.shm.perf.xproc;

import io.shm.broadcast.Broadcast;
import io.shm.journal.Journal;
import io.shm.journal.JournalHandler;
import io.shm.journal.JournalReader;
import io.shm.journal.Recorder;
import io.shm.segment.Segment;
import io.shm.segment.SegmentOptions;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;

/**
 * One process of workload W12, the journal: {@code record NAME DIR} records the broadcast "b" of
 * segment NAME into the journal in DIR until the stream ends; {@code replay DIR} replays the whole
 * journal through {@link JournalReader}; {@code tail DIR} reads the same queue with Chronicle
 * Queue's own tailer, each document's bytes into a buffer (the floor of any reader of it).
 * Replays run twice, the first untimed.
 */
public final class JournalChild
{
    private JournalChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        switch (args[0])
        {
            case "record" ->
            {
                try (Segment segment = Segment.open(args[1], SegmentOptions.defaults());
                     Journal journal = Journal.open(Path.of(args[2]));
                     Recorder recorder = Recorder.start(Broadcast.open(segment, "b"), journal))
                {
                    System.out.println("recording");
                    while (recorder.recordAvailable() == 0)
                    {
                        Thread.onSpinWait();
                    }
                    // Timed from the first message to the end of the stream.
                    final long start = System.nanoTime();
                    recorder.run(() -> false);
                    System.out.println(Results.line("system", "recorder", "recorded", recorder.recorded(), "missed",
                        recorder.missed(), "ns", System.nanoTime() - start, "cpu_ns", Results.cpuNanos()));
                }
            }
            case "replay" ->
            {
                try (Journal journal = Journal.open(Path.of(args[1])))
                {
                    replay(journal);
                    final long start = System.nanoTime();
                    final long count = replay(journal);
                    System.out.println(Results.line("system", "journal-reader", "count", count, "ns", System.nanoTime() - start,
                        "cpu_ns", Results.cpuNanos()));
                }
            }
            case "tail" ->
            {
                try (ChronicleQueue queue = ChronicleQueue.singleBuilder(Path.of(args[1]).toFile()).readOnly(true).build())
                {
                    tail(queue);
                    final long start = System.nanoTime();
                    final long count = tail(queue);
                    System.out.println(Results.line("system", "chronicle-tailer", "count", count, "ns", System.nanoTime() - start,
                        "cpu_ns", Results.cpuNanos()));
                }
            }
            default -> throw new IllegalArgumentException("unknown role " + args[0]);
        }
    }

    private static long replay(final Journal journal)
    {
        // Each message's first byte is read (and counted in), as the tailer reads every byte.
        final long[] countAndSum = {0, 0};
        final JournalHandler handler = (sequence, buffer, offset, length) ->
        {
            countAndSum[0]++;
            countAndSum[1] += buffer.getByte(offset);
        };
        try (JournalReader reader = JournalReader.fromSequence(journal, null, 0))
        {
            while (reader.poll(handler, 1024) > 0)
            {
                // Replaying.
            }
        }
        return countAndSum[1] == Long.MIN_VALUE ? -1 : countAndSum[0];
    }

    private static long tail(final ChronicleQueue queue)
    {
        final byte[] scratch = new byte[1 << 16];
        long count = 0;
        try (ExcerptTailer tailer = queue.createTailer())
        {
            while (true)
            {
                try (DocumentContext document = tailer.readingDocument())
                {
                    if (!document.isPresent())
                    {
                        return count;
                    }
                    final Bytes<?> bytes = document.wire().bytes();
                    bytes.read(scratch, 0, (int)bytes.readRemaining());
                    count++;
                }
            }
        }
    }
}
