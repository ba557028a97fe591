package io.shm.perf.xproc;

import io.shm.process.JvmProcess;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.shm.perf.xproc.HarnessRun.*;

/**
 * W12, the journal: what a recorder attached to a broadcast costs the live stream (W10's
 * throughput, 1 receiver, with and without a recorder process), and how fast a recorded stream
 * replays through {@code JournalReader} against Chronicle Queue's own tailer on the same queue.
 */
final class JournalWorkloads
{
    private final HarnessRun harness;
    private Path replayJournal;

    JournalWorkloads(final HarnessRun harness)
    {
        this.harness = harness;
    }

    void journal() throws Exception
    {
        final int messages = harness.quick() ? 1_000_000 : 5_000_000;
        harness.section("W12 journal", "W10's throughput (one sender pinned to CPU 0, one receiver pinned to CPU 1, " +
            "32-byte messages, a ring of " + BroadcastChild.CAPACITY / 1024 + " KiB, " + messages + " messages after a " +
            "tenth as many warm-up) without and with a recorder process (unpinned, so it shares the two CPUs) " +
            "recording into Chronicle Queue in /dev/shm; then the journal of the last back-pressured run replayed " +
            "whole, twice, the second timed, by JournalReader and by Chronicle Queue's own tailer");
        final Map<String, Measurement> live = new LinkedHashMap<>();
        for (final String system : new String[] {"shm-back-pressured", "shm-lossy"})
        {
            live.put(system, () -> run(system, false, messages));
            live.put(system + "+recorder", () -> run(system, true, messages));
        }
        live.put("shm-back-pressured/recorder-alone", () -> alone(messages));
        final Table table = new Table("system", "M msg/s (receiver)", "recorded", "missed by the recorder",
            "with / without recorder, paired");
        harness.rounds("W12a", live, row -> Double.parseDouble(row.get("rate"))).forEach((system, row) ->
            table.row(system, String.format("%.2f", Double.parseDouble(row.get("rate")) / 1e6),
                row.getOrDefault("recorded", "-"), row.getOrDefault("missed", "-"),
                system.endsWith("+recorder") ? harness.paired(system, system.substring(0, system.indexOf('+')),
                    r -> Double.parseDouble(r.get("rate")), false) : "-"));
        table.note("W12a: the receiver's rate (recorder-alone: the recorder is the only receiver, pinned to CPU 1, " +
            "and the rate is what it recorded per second). Back-pressured, the sender waits for the slower of the receiver and the " +
            "recorder; lossy, it waits for neither and the recorder records what it was lapped over as gaps." +
            harness.probesNote());
        harness.report().append(table.markdown()).append('\n');

        final Map<String, Measurement> replay = new LinkedHashMap<>();
        replay.put("journal-reader", () -> replay("replay"));
        replay.put("chronicle-tailer", () -> replay("tail"));
        final Table replayTable = new Table("reader", "M msg/s", "messages", "JournalReader / this, paired");
        harness.rounds("W12b", replay, row -> rate(row)).forEach((system, row) ->
            replayTable.row(system, String.format("%.2f", rate(row) / 1e6), row.get("count"),
                harness.paired("journal-reader", system, JournalWorkloads::rate, false)));
        replayTable.note("W12b: the whole journal of " + messages + " messages of 32 bytes, on /dev/shm." + harness.probesNote());
        harness.report().append(replayTable.markdown()).append('\n');
        if (replayJournal != null)
        {
            delete(replayJournal);
        }
    }

    private static double rate(final Map<String, String> row)
    {
        return Double.parseDouble(row.get("count")) / (Double.parseDouble(row.get("ns")) / 1e9);
    }

    private Map<String, String> run(final String system, final boolean recording, final int messages) throws Exception
    {
        final String name = "shm-perf-journal-" + ProcessHandle.current().pid();
        final File file = BroadcastChild.prepare(system, name);
        final Path journal = Files.createTempDirectory(Path.of("/dev/shm"), "shm-perf-journal-");
        final String[] args = {system, null, name, "throughput", Integer.toString(messages), Integer.toString(messages / 10),
            "0"};
        JvmProcess recorder = null;
        try
        {
            if (recording)
            {
                recorder = start(null, "record", name, journal.toString());
                recorder.awaitOutput(line -> line.equals("recording"), 60, TimeUnit.SECONDS);
            }
            try (JvmProcess reader = child(BroadcastChild.class, 1, with(args, 1, "receive")))
            {
                reader.awaitOutput(line -> line.equals("ready"), 60, TimeUnit.SECONDS);
                try (JvmProcess sender = child(BroadcastChild.class, 0, with(args, 1, "send")))
                {
                    awaitBoth(reader, sender);
                }
                final Map<String, String> result = Results.single(reader.lines());
                final Map<String, String> row = new LinkedHashMap<>();
                row.put("rate", Double.toString(Long.parseLong(result.get("count")) * 1e9 / Long.parseLong(result.get("ns"))));
                if (recorder != null)
                {
                    if (recorder.join(300, TimeUnit.SECONDS) != 0)
                    {
                        throw new IllegalStateException(recorder.output());
                    }
                    final Map<String, String> recorded = Results.single(recorder.lines());
                    row.put("recorded", recorded.get("recorded"));
                    row.put("missed", recorded.get("missed"));
                }
                return row;
            }
        }
        finally
        {
            if (recorder != null)
            {
                recorder.close();
            }
            Transport.remove(new File[] {file});
            if (recording && system.equals("shm-back-pressured"))
            {
                // Kept for the replay measurement: the last back-pressured journal.
                if (replayJournal != null)
                {
                    delete(replayJournal);
                }
                replayJournal = journal;
            }
            else
            {
                delete(journal);
            }
        }
    }

    /**
     * The sender on CPU 0 and a recorder on CPU 1 as the broadcast's only receiver: the rate a
     * recorder keeps up with.
     */
    private Map<String, String> alone(final int messages) throws Exception
    {
        final String name = "shm-perf-journal-" + ProcessHandle.current().pid();
        final File file = BroadcastChild.prepare("shm-back-pressured", name);
        final Path journal = Files.createTempDirectory(Path.of("/dev/shm"), "shm-perf-journal-");
        try (JvmProcess recorder = start(1, "record", name, journal.toString()))
        {
            recorder.awaitOutput(line -> line.equals("recording"), 60, TimeUnit.SECONDS);
            try (JvmProcess sender = child(BroadcastChild.class, 0, "shm-back-pressured", "send", name, "throughput",
                Integer.toString(messages), Integer.toString(messages / 10), "0"))
            {
                awaitBoth(recorder, sender);
            }
            final Map<String, String> recorded = Results.single(recorder.lines());
            final Map<String, String> row = new LinkedHashMap<>();
            row.put("rate", Double.toString(Long.parseLong(recorded.get("recorded")) * 1e9 / Long.parseLong(recorded.get("ns"))));
            row.put("recorded", recorded.get("recorded"));
            row.put("missed", recorded.get("missed"));
            return row;
        }
        finally
        {
            Transport.remove(new File[] {file});
            delete(journal);
        }
    }

    private Map<String, String> replay(final String role) throws Exception
    {
        try (JvmProcess reader = start(1, role, replayJournal.toString()))
        {
            if (reader.join(600, TimeUnit.SECONDS) != 0)
            {
                throw new IllegalStateException(reader.output());
            }
            return Results.single(reader.lines());
        }
    }

    private static JvmProcess start(final Integer cpu, final String... args)
    {
        final List<String> jvmArgs = new ArrayList<>(List.of("-XX:+UseSerialGC", "-Xmx256m"));
        jvmArgs.addAll(io.shm.journal.JournalRuntime.JVM_FLAGS);
        final JvmProcess.Builder builder = JvmProcess.builder(JournalChild.class).jvmArgs(jvmArgs.toArray(String[]::new))
            .args(args).captureOutput();
        return (cpu == null ? builder : builder.pinnedTo(cpu)).start();
    }

    private static void delete(final Path directory) throws IOException
    {
        try (Stream<Path> files = Files.walk(directory))
        {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
