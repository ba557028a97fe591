package io.shm.perf.xproc;

import io.shm.perf.report.Svg;
import io.shm.process.JvmProcess;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.shm.perf.xproc.HarnessRun.*;

/**
 * Round-trip and one-way latency workloads: W1 (spin ping-pong), W2 (blocking ping-pong), W7
 * (paced stream) and W11 (W2 with a wait on many channels).
 */
final class LatencyWorkloads
{
    private final HarnessRun harness;

    LatencyWorkloads(final HarnessRun harness)
    {
        this.harness = harness;
    }

    /**
     * W1: 32-byte ping-pong, both sides busy-waiting.
     */
    void spinPingPong() throws Exception
    {
        final int roundTrips = harness.quick() ? 100_000 : 1_000_000;
        harness.section("W1 spin ping-pong", "A sends 32 bytes, B busy-waits and echoes, A busy-waits for the echo; " +
            roundTrips + " round trips after " + roundTrips / 10 + " warm-up; round trip in nanoseconds");
        final Map<String, Measurement> systems = new LinkedHashMap<>();
        for (final String system : new String[] {"shm-spin", "agrona-spin", "chronicle"})
        {
            systems.put(system, () -> pingPong(system, system.equals("chronicle") ? roundTrips / 5 : roundTrips));
        }
        systems.put("c-spin", () -> Results.single(External.run(List.of(harness.shmref().toString(), "probe",
            Integer.toString(roundTrips)), 600)));
        final Map<String, Map<String, String>> rows = harness.rounds("W1", systems, row -> Double.parseDouble(row.get("p50")));
        latencyTable("W1", rows, "shm-spin", "Chronicle Queue runs a fifth of the round trips (it is slower and writes files).");
    }

    /**
     * W2: the same, but the waiting side sleeps in the kernel after its spin.
     */
    void blockingPingPong() throws Exception
    {
        final int roundTrips = harness.quick() ? 20_000 : 200_000;
        final int pythonRoundTrips = harness.quick() ? 5_000 : 20_000;
        harness.section("W2 blocking ping-pong", "as W1, but receivers wait by spinning, then sleeping in the kernel; " + roundTrips +
            " round trips after " + roundTrips / 10 + " warm-up (Python " + pythonRoundTrips + "); round trip in nanoseconds");
        final Map<String, Measurement> systems = new LinkedHashMap<>();
        for (final String system : new String[] {"shm", "shm-park-only", "agrona-backoff"})
        {
            systems.put(system, () -> pingPong(system, roundTrips));
        }
        for (final String mode : new String[] {"spin-then-park", "park"})
        {
            systems.put("c-futex-" + mode, () -> Results.single(External.run(List.of(harness.shmref().toString(), "futex-pingpong", mode,
                Integer.toString(roundTrips)), 600)));
        }
        if (harness.pythonPeers() != null)
        {
            for (final String peer : new String[] {"pipe-rtt", "queue-rtt"})
            {
                systems.put("python-" + peer, () -> Results.single(External.run(List.of("python3", harness.pythonPeers().toString(), peer,
                    Integer.toString(peer.equals("pipe-rtt") ? pythonRoundTrips : pythonRoundTrips / 2)), 600)));
            }
        }
        final Map<String, Map<String, String>> rows = harness.rounds("W2", systems, row -> Double.parseDouble(row.get("p50")));
        latencyTable("W2", rows, "shm", null);
    }

    /**
     * W11: W2's round trip with B waiting on {@value WaitManyChild#SOURCES} channels at once.
     */
    void waitManyPingPong() throws Exception
    {
        final int roundTrips = harness.quick() ? 20_000 : 200_000;
        harness.section("W11 wait on many", "as W2 (shm, spin then park), but B waits for the first of " +
            WaitManyChild.SOURCES + " channels with WaitMany and A sends on each in turn; the baseline B receives on " +
            "one channel; " + roundTrips + " round trips after " + roundTrips / 10 + " warm-up; round trip in nanoseconds");
        final Map<String, Measurement> systems = new LinkedHashMap<>();
        for (final String mode : new String[] {"one", "many", "many-first", "many-single"})
        {
            systems.put(mode, () -> waitMany(mode, roundTrips));
        }
        final Table table = new Table("B waits on", "p50 (ns)", "p99 (ns)", "p99.9 (ns)", "B's sleeps", "this p50 / one p50, paired");
        harness.rounds("W11", systems, row -> Double.parseDouble(row.get("p50"))).forEach((mode, row) -> table.row(
            label(mode), row.get("p50"),
            row.get("p99"), row.get("p999"), row.get("b_sleeps"),
            harness.paired(mode, "one", run -> Double.parseDouble(run.get("p50")), false)));
        table.note("Median of " + HarnessRun.ROUNDS + " rounds (by p50), the two measured in turn, A on CPU 0 and B on " +
            "CPU 1. " + PAIRED_NOTE + harness.probesNote());
        harness.report().append(table.markdown()).append('\n');
    }

    private static String label(final String mode)
    {
        return switch (mode)
        {
            case "one" -> "one channel (receive)";
            case "many" -> WaitManyChild.SOURCES + " channels (WaitMany), A sending on each in turn";
            case "many-first" -> WaitManyChild.SOURCES + " channels (WaitMany), A sending on the first only";
            default -> "one channel through WaitMany";
        };
    }

    private Map<String, String> waitMany(final String mode, final int roundTrips) throws Exception
    {
        final String name = "shm-perf-wm-" + ProcessHandle.current().pid();
        final File file = WaitManyChild.prepare(name);
        final String[] args = {mode, null, name, Integer.toString(roundTrips), Integer.toString(roundTrips / 10)};
        try (JvmProcess b = child(WaitManyChild.class, 1, with(args, 1, "b"));
            JvmProcess a = child(WaitManyChild.class, 0, with(args, 1, "a")))
        {
            awaitBoth(a, b);
            final Map<String, String> row = new LinkedHashMap<>(Results.single(a.lines()));
            row.put("b_sleeps", Results.single(b.lines()).get("b_sleeps"));
            return row;
        }
        finally
        {
            Transport.remove(new File[] {file});
        }
    }

    Map<String, String> pingPong(final String system, final int roundTrips) throws Exception
    {
        final String name = "shm-perf-pp-" + ProcessHandle.current().pid();
        final List<File> files = new ArrayList<>();
        files.addAll(List.of(Transport.prepare(system, name + "-ab", 64 * 1024)));
        files.addAll(List.of(Transport.prepare(system, name + "-ba", 64 * 1024)));
        try (JvmProcess b = child(PingPongChild.class, 1, system, "b", name, Integer.toString(roundTrips),
            Integer.toString(roundTrips / 10));
            JvmProcess a = child(PingPongChild.class, 0, system, "a", name, Integer.toString(roundTrips),
                Integer.toString(roundTrips / 10)))
        {
            awaitBoth(a, b);
            return withCpu(Results.single(a.lines()), a, b);
        }
        finally
        {
            Transport.remove(files.toArray(File[]::new));
        }
    }

    /**
     * W7: a stream paced by the sender, each message a while after the last: what waiting between
     * messages costs in latency, and in the receiver's CPU.
     */
    void pacedStream() throws Exception
    {
        final int messages = harness.quick() ? 5_000 : 20_000;
        final int warmUp = messages;
        final int[] gaps = {30, 60};
        harness.section("W7 paced stream", "the sender sends 32 bytes (its send time first) every " + gaps[0] + " or " + gaps[1] +
            " µs, busy-waiting in between; the receiver waits as its system waits; " + messages + " messages after " +
            warmUp + " warm-up; one-way latency in microseconds");
        final Map<String, Measurement> systems = new LinkedHashMap<>();
        for (final int gap : gaps)
        {
            for (final String system : new String[] {"shm", "shm-no-adaptive", "agrona-backoff", "shm" + UNPINNED,
                "shm-no-adaptive" + UNPINNED})
            {
                systems.put(system + "/" + gap, () -> paced(system, messages, warmUp, gap));
            }
        }
        final Table table = new Table("system", "gap (µs)", "p50 (µs)", "p90 (µs)", "p99 (µs)",
            "receiver sleeps per message", "receiver CPU (share of a core)", "sender: send p99 (µs)",
            "sender: sends over " + PacedChild.SLOW_SEND_NANOS / 1000 + " µs per 1000");
        harness.rounds("W7", systems, row -> Double.parseDouble(row.get("p50"))).forEach((key, row) ->
        {
            final int slash = key.lastIndexOf('/');
            table.row(describe(key.substring(0, slash)), key.substring(slash + 1), micros(row.get("p50")),
                micros(row.get("p90")), micros(row.get("p99")),
                String.format("%.3f", Double.parseDouble(row.get("receiver_sleeps")) / messages), row.get("receiver_core"),
                micros(row.get("send_p99")), String.format("%.1f", Double.parseDouble(row.get("slow_sends")) * 1000 / messages));
        });
        table.note("Median of " + HarnessRun.ROUNDS + " rounds (by p50), the systems measured in turn. The receiver's CPU and " +
            "sleeps and the sender's sends are counted over the measured messages. Without adaptive spinning, a gap " +
            "longer than the spin and yield rounds finds the receiver asleep; Agrona's BackoffIdleStrategy (100 spins, " +
            "10 yields, parks of 1 to 100 µs) polls from its parks. Unpinned rows run both processes on any CPU: the " +
            "scheduler then at times wakes the receiver onto the sender's CPU, where a receiver that spins would hold " +
            "the sender off until its spin ends; the yield rounds of the default strategy let the sender run." +
            harness.probesNote());
        harness.report().append(table.markdown()).append('\n');
    }

    private static final String UNPINNED = "-unpinned";
    private static final int UNPINNED_CPU = -1;

    private Map<String, String> paced(final String system, final int messages, final int warmUp, final int gap)
        throws Exception
    {
        final boolean pinned = !system.endsWith(UNPINNED);
        final String transport = pinned ? system : system.substring(0, system.length() - UNPINNED.length());
        final String name = "shm-perf-paced-" + ProcessHandle.current().pid();
        final File[] files = Transport.prepare(transport, name, 64 * 1024);
        final String[] args = {transport, null, name, Integer.toString(messages), Integer.toString(warmUp), Integer.toString(gap)};
        try (JvmProcess receiver = child(PacedChild.class, pinned ? 1 : UNPINNED_CPU, with(args, 1, "receive"));
            JvmProcess sender = child(PacedChild.class, pinned ? 0 : UNPINNED_CPU, with(args, 1, "send")))
        {
            awaitBoth(receiver, sender);
            final Map<String, String> row = new LinkedHashMap<>(Results.single(receiver.lines()));
            row.putAll(Results.single(sender.lines()));
            return row;
        }
        finally
        {
            Transport.remove(files);
        }
    }

    private static String micros(final String nanos)
    {
        return String.format("%.2f", Double.parseDouble(nanos) / 1e3);
    }

    private void latencyTable(final String workload, final Map<String, Map<String, String>> rows, final String ours,
        final String note) throws IOException
    {
        final Table table = new Table("system", "p50 (ns)", "p99 (ns)", "p99.9 (ns)", "max (ns)", "CPU (s)",
            "shm p50 / this p50, paired");
        final Map<String, double[]> plot = Svg.series();
        rows.forEach((system, row) ->
        {
            final double[] values = {Double.parseDouble(row.get("p50")), Double.parseDouble(row.get("p99")),
                Double.parseDouble(row.get("p999")), Double.parseDouble(row.get("max"))};
            table.row(describe(system), (long)values[0], (long)values[1], (long)values[2], (long)values[3], cpu(row),
                harness.paired(ours, system, run -> Double.parseDouble(run.get("p50")), false));
            plot.put(describe(system).replace("`", ""), values);
        });
        table.note("Median of " + HarnessRun.ROUNDS + " rounds, the systems measured in turn; CPU is the time used by all " +
            "processes of the median round (warm-up included). " + PAIRED_NOTE + harness.probesNote());
        if (note != null)
        {
            table.note(note);
        }
        final String file = workload.toLowerCase(Locale.ROOT) + "-latency.svg";
        Files.writeString(harness.plots().resolve(file), Svg.latency(workload + " round trip by percentile", List.of("50", "99", "99.9", "max"), plot));
        harness.report().append(table.markdown()).append("\n![").append(workload).append(" latency](").append(file).append(")\n\n");
    }
}
