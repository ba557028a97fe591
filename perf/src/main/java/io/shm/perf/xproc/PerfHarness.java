package io.shm.perf.xproc;

import io.shm.perf.report.Svg;
import io.shm.process.JvmProcess;
import io.shm.segment.Segment;
import io.shm.segment.SegmentOptions;
import io.shm.value.LongValue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The cross-process harness: runs each workload with shm and its peers in one run, and writes the
 * tables into {@code perf/RESULTS.md} between the markers {@value #START} and {@value #END}. Every
 * workload starts with the C spin probe, since this machine's figures move between runs: compare
 * within a table, as ratios.
 * <pre>
 * PerfHarness [--quick] [--only W1,W3,...] --shmref PATH [--python-peers PATH] [--results PATH]
 * </pre>
 * {@code scripts/perf.sh} builds what it needs and runs this.
 */
public final class PerfHarness
{
    static final String START = "<!-- cross-process results: start -->";
    static final String END = "<!-- cross-process results: end -->";
    private static final int ROUNDS = 5;

    private final boolean quick;
    private final Path shmref;
    private final Path pythonPeers;
    private final Path plots;
    private final Set<String> only;
    private final Map<String, List<Map<String, String>>> runs = new LinkedHashMap<>();
    private final List<String> probes = new ArrayList<>();
    private final StringBuilder report = new StringBuilder();

    private PerfHarness(
        final boolean quick, final Path shmref, final Path pythonPeers, final Path plots, final Set<String> only)
    {
        this.only = only;
        this.quick = quick;
        this.shmref = shmref;
        this.pythonPeers = pythonPeers;
        this.plots = plots;
    }

    public static void main(final String[] args) throws Exception
    {
        boolean quick = false;
        Set<String> only = Set.of("W1", "W2", "W3", "W4", "W5", "W6", "W7");
        Path shmref = null;
        Path pythonPeers = null;
        Path results = Path.of("perf", "RESULTS.md");
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--quick" -> quick = true;
                case "--shmref" -> shmref = Path.of(args[++i]);
                case "--python-peers" -> pythonPeers = Path.of(args[++i]);
                case "--results" -> results = Path.of(args[++i]);
                case "--only" -> only = Set.of(args[++i].toUpperCase(Locale.ROOT).split(","));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (shmref == null || !Files.isExecutable(shmref))
        {
            throw new IllegalArgumentException("--shmref must name the compiled C reference (scripts/perf.sh builds it)");
        }
        final PerfHarness harness = new PerfHarness(quick, shmref, pythonPeers,
            results.toAbsolutePath().getParent(), only);
        harness.run();
        harness.write(results);
    }

    private void run() throws Exception
    {
        report.append("## Cross-process workloads (").append(LocalDate.now()).append(quick ? ", quick mode" : ", full run")
            .append(")\n\n");
        report.append("Command: `scripts/perf.sh").append(quick ? " --quick" : "").append("`. Machine: ")
            .append(Machine.describe()).append(". Processes pinned to CPUs 0 and 1 (more processes share them). ")
            .append("JVM flags: `--add-opens java.base/jdk.internal.misc=ALL-UNNAMED -XX:+UseSerialGC -Xmx256m`, ")
            .append("and for Chronicle Queue the opens and exports it needs on Java 17 (`PerfHarness.CHRONICLE_FLAGS`).\n\n");
        if (only.contains("W1"))
        {
            spinPingPong();
        }
        if (only.contains("W2"))
        {
            blockingPingPong();
        }
        if (only.contains("W3"))
        {
            throughput();
        }
        if (only.contains("W4"))
        {
            floatChannel();
        }
        if (only.contains("W5"))
        {
            lockCounter();
        }
        if (only.contains("W6"))
        {
            semaphoreHandoff();
        }
        if (only.contains("W7"))
        {
            pacedStream();
        }
    }

    /**
     * W1: 32-byte ping-pong, both sides busy-waiting.
     */
    private void spinPingPong() throws Exception
    {
        final int roundTrips = quick ? 100_000 : 1_000_000;
        section("W1 spin ping-pong", "A sends 32 bytes, B busy-waits and echoes, A busy-waits for the echo; " +
            roundTrips + " round trips after " + roundTrips / 10 + " warm-up; round trip in nanoseconds");
        final Map<String, Measurement> systems = new LinkedHashMap<>();
        for (final String system : new String[] {"shm-spin", "agrona-spin", "chronicle"})
        {
            systems.put(system, () -> pingPong(system, system.equals("chronicle") ? roundTrips / 5 : roundTrips));
        }
        systems.put("c-spin", () -> Results.single(External.run(List.of(shmref.toString(), "probe",
            Integer.toString(roundTrips)), 600)));
        final Map<String, Map<String, String>> rows = rounds("W1", systems, row -> Double.parseDouble(row.get("p50")));
        latencyTable("W1", rows, "shm-spin", "Chronicle Queue runs a fifth of the round trips (it is slower and writes files).");
    }

    /**
     * W2: the same, but the waiting side sleeps in the kernel after its spin.
     */
    private void blockingPingPong() throws Exception
    {
        final int roundTrips = quick ? 20_000 : 200_000;
        final int pythonRoundTrips = quick ? 5_000 : 20_000;
        section("W2 blocking ping-pong", "as W1, but receivers wait by spinning, then sleeping in the kernel; " + roundTrips +
            " round trips after " + roundTrips / 10 + " warm-up (Python " + pythonRoundTrips + "); round trip in nanoseconds");
        final Map<String, Measurement> systems = new LinkedHashMap<>();
        for (final String system : new String[] {"shm", "shm-park-only", "agrona-backoff"})
        {
            systems.put(system, () -> pingPong(system, roundTrips));
        }
        for (final String mode : new String[] {"spin-then-park", "park"})
        {
            systems.put("c-futex-" + mode, () -> Results.single(External.run(List.of(shmref.toString(), "futex-pingpong", mode,
                Integer.toString(roundTrips)), 600)));
        }
        if (pythonPeers != null)
        {
            for (final String peer : new String[] {"pipe-rtt", "queue-rtt"})
            {
                systems.put("python-" + peer, () -> Results.single(External.run(List.of("python3", pythonPeers.toString(), peer,
                    Integer.toString(peer.equals("pipe-rtt") ? pythonRoundTrips : pythonRoundTrips / 2)), 600)));
            }
        }
        final Map<String, Map<String, String>> rows = rounds("W2", systems, row -> Double.parseDouble(row.get("p50")));
        latencyTable("W2", rows, "shm", null);
    }

    private Map<String, String> pingPong(final String system, final int roundTrips) throws Exception
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
    private void pacedStream() throws Exception
    {
        final int messages = quick ? 5_000 : 20_000;
        final int warmUp = messages;
        final int[] gaps = {30, 60};
        section("W7 paced stream", "the sender sends 32 bytes (its send time first) every " + gaps[0] + " or " + gaps[1] +
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
        rounds("W7", systems, row -> Double.parseDouble(row.get("p50"))).forEach((key, row) ->
        {
            final int slash = key.lastIndexOf('/');
            table.row(describe(key.substring(0, slash)), key.substring(slash + 1), micros(row.get("p50")),
                micros(row.get("p90")), micros(row.get("p99")),
                String.format("%.3f", Double.parseDouble(row.get("receiver_sleeps")) / messages), row.get("receiver_core"),
                micros(row.get("send_p99")), String.format("%.1f", Double.parseDouble(row.get("slow_sends")) * 1000 / messages));
        });
        table.note("Median of " + ROUNDS + " rounds (by p50), the systems measured in turn. The receiver's CPU and " +
            "sleeps and the sender's sends are counted over the measured messages. Without adaptive spinning, a gap " +
            "longer than the spin and yield rounds finds the receiver asleep; Agrona's BackoffIdleStrategy (100 spins, " +
            "10 yields, parks of 1 to 100 µs) polls from its parks. Unpinned rows run both processes on any CPU: the " +
            "scheduler then at times wakes the receiver onto the sender's CPU, where a receiver that spins would hold " +
            "the sender off until its spin ends; the yield rounds of the default strategy let the sender run." +
            probesNote());
        report.append(table.markdown()).append('\n');
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
                paired(ours, system, run -> Double.parseDouble(run.get("p50")), false));
            plot.put(describe(system).replace("`", ""), values);
        });
        table.note("Median of " + ROUNDS + " rounds, the systems measured in turn; CPU is the time used by all " +
            "processes of the median round (warm-up included). " + PAIRED_NOTE + probesNote());
        if (note != null)
        {
            table.note(note);
        }
        final String file = workload.toLowerCase(Locale.ROOT) + "-latency.svg";
        Files.writeString(plots.resolve(file), Svg.latency(workload + " round trip by percentile", List.of("50", "99", "99.9", "max"), plot));
        report.append(table.markdown()).append("\n![").append(workload).append(" latency](").append(file).append(")\n\n");
    }

    /**
     * W3: a stream of 32-byte messages, sequence checked; median of {@value #ROUNDS} runs.
     */
    private void throughput() throws Exception
    {
        final long messages = quick ? 2_000_000 : 20_000_000;
        section("W3 SPSC throughput", messages + " messages of 32 bytes (sequence number + padding), the receiver " +
            "checks the sequence; median of " + ROUNDS + " runs, timed by the receiver from its first message to its last");
        final Table table = new Table("system", "messages/s (millions)", "MB/s", "CPU (s)", "shm / this, paired");
        final Map<String, Double> rates = new LinkedHashMap<>();
        final Map<String, String> cpus = new LinkedHashMap<>();
        final Map<String, Measurement> systems = new LinkedHashMap<>();
        for (final String system : new String[] {"shm-spin", "shm", "agrona-spin", "chronicle", "c-spsc"})
        {
            systems.put(system, () -> system.startsWith("c-") ?
                Results.single(External.run(List.of(shmref.toString(), "spsc-throughput", Long.toString(messages)), 600)) :
                stream(system, system.equals("chronicle") ? messages / 5 : messages));
        }
        rounds("W3", systems, PerfHarness::rate).forEach((system, median) ->
        {
            rates.put(system, rate(median));
            cpus.put(system, cpu(median));
        });
        final Map<String, Double> plot = Svg.series();
        rates.forEach((system, rate) ->
        {
            table.row(describe(system), String.format("%.2f", rate / 1e6), String.format("%.0f", rate * 32 / 1e6),
                cpus.get(system), paired("shm-spin", system, PerfHarness::rate, false));
            plot.put(describe(system).replace("`", ""), rate / 1e6);
        });
        table.note("Ratios are of throughput: above 1 means shm is faster. Chronicle Queue streams a fifth of the messages. " +
            "CPU is that of both processes of the median round. " + PAIRED_NOTE + probesNote());
        Files.writeString(plots.resolve("w3-throughput.svg"), Svg.bars("W3 throughput", "million messages/s", plot));
        report.append(table.markdown()).append("\n![W3 throughput](w3-throughput.svg)\n\n");
        final int perBatch = quick ? 500_000 : 2_000_000;
        interleavedSection("W3", new String[] {"shm-spin", "shm"}, "agrona-spin", quick ? 4 : 10, perBatch, perBatch,
            ThroughputChild.CAPACITY, "messages", "The same, interleaved in one pair of processes");
    }

    private static double rate(final Map<String, String> result)
    {
        return Double.parseDouble(result.get("count")) / (Double.parseDouble(result.get("ns")) / 1e9);
    }

    private Map<String, String> stream(final String system, final long messages) throws Exception
    {
        final String name = "shm-perf-w3-" + ProcessHandle.current().pid();
        final File[] files = Transport.prepare(system, name, 256 * 1024);
        try (JvmProcess receiver = child(ThroughputChild.class, 1, system, "receive", name, Long.toString(messages));
            JvmProcess sender = child(ThroughputChild.class, 0, system, "send", name, Long.toString(messages)))
        {
            awaitBoth(receiver, sender);
            return withCpu(Results.single(receiver.lines()), receiver, sender);
        }
        finally
        {
            Transport.remove(files);
        }
    }

    /**
     * W4: the tutorial's FloatChannel: arrays of 100,000 doubles, each system timed from a cold
     * start and again after untimed warm-up sends.
     */
    private void floatChannel() throws Exception
    {
        final int messages = quick ? 200 : 1000;
        final int warmUp = quick ? 200 : 500;
        final int length = 100_000;
        final int pythonMessages = quick ? 20 : 100;
        section("W4 FloatChannel", messages + " sends of an array of " + length + " doubles (800 KB); the receiver copies " +
            "each into a double[] (the tutorial's Python: " + pythonMessages + " sends, scaled to " + messages +
            "); time from the first timed send to the last copy, from a cold start and after " + warmUp +
            " untimed sends (the JIT compiles the Java systems' paths while a short cold run lasts); median of " + ROUNDS +
            " rounds, the systems measured in turn");
        final Table table = new Table("system", "cold: seconds for " + messages, "warm: seconds for " + messages,
            "warm GB/s", "CPU (s), warm", "shm / this, cold, paired", "shm / this, warm, paired");
        final Map<String, Double> seconds = new LinkedHashMap<>();
        final Map<String, String> cpus = new LinkedHashMap<>();
        final Map<String, Measurement> systems = new LinkedHashMap<>();
        for (final String system : new String[] {"shm", "shm-fragmented", "agrona-claim", "chronicle", "c-byte-ring",
            "c-byte-ring-256k", "c-byte-ring-256k-plain"})
        {
            for (final int warm : new int[] {0, warmUp})
            {
                systems.put(system + (warm == 0 ? COLD : WARM), () -> system.startsWith("c-") ?
                    byteRing(system, messages, length, warm) : floats(system, messages, length, warm));
            }
        }
        rounds("W4", systems, PerfHarness::seconds).forEach((system, median) ->
        {
            seconds.put(system, Double.parseDouble(median.get("seconds")));
            cpus.put(system, cpu(median));
        });
        if (pythonPeers != null)
        {
            progress("W4 python floatchannel");
            final Map<String, String> tutorial = Results.single(External.run(List.of("python3", pythonPeers.toString(),
                "floatchannel", Integer.toString(pythonMessages), Integer.toString(length)), 600));
            seconds.put("python-floatchannel" + COLD, Double.parseDouble(tutorial.get("ns")) / 1e9 * messages / pythonMessages);
            cpus.put("python-floatchannel" + COLD, cpu(tutorial) + " (for " + pythonMessages + ")");
            try
            {
                progress("W4 python floatchannel with numpy");
                final Map<String, String> numpy = Results.single(External.run(List.of("python3",
                    pythonPeers.toString(), "floatchannel-numpy", Integer.toString(messages), Integer.toString(length)), 600));
                seconds.put("python-floatchannel-numpy" + COLD, Double.parseDouble(numpy.get("ns")) / 1e9);
                cpus.put("python-floatchannel-numpy" + COLD, cpu(numpy));
            }
            catch (final IllegalStateException noNumpy)
            {
                table.note("Python with numpy: not measured (" + noNumpy.getMessage().lines().reduce((x, y) -> y).orElse("") + ").");
            }
        }
        final double oursCold = seconds.get("shm" + COLD);
        final double oursWarm = seconds.get("shm" + WARM);
        final double bytes = (double)messages * length * Double.BYTES;
        final Map<String, Double> plot = Svg.series();
        seconds.forEach((key, cold) ->
        {
            if (!key.endsWith(COLD))
            {
                return;
            }
            final String system = key.substring(0, key.length() - COLD.length());
            final Double warm = seconds.get(system + WARM);
            // Python runs no JIT: its one figure stands for both.
            final double best = warm != null ? warm : cold;
            table.row(describe(system), String.format("%.3f", cold), warm != null ? String.format("%.3f", warm) : "-",
                String.format("%.2f", bytes / best / 1e9), cpus.getOrDefault(warm != null ? system + WARM : key, "-"),
                runs.containsKey(key) ? paired("shm" + COLD, key, PerfHarness::seconds, true) : Table.ratio(cold, oursCold),
                warm != null ? paired("shm" + WARM, system + WARM, PerfHarness::seconds, true) : Table.ratio(best, oursWarm));
            plot.put(describe(system).replace("`", ""), bytes / best / 1e9);
        });
        table.note("Ratios are of speed (their time / our time): above 1 means shm is faster. " +
            "`shm` uses an 8 MiB ring (one record per array); `shm`, fragmented a 256 KiB ring (each array in fragments). " +
            "The C byte ring's writer copies with glibc's memcpy (which writes whole lines without first reading them) " +
            "or, in the plain rows, with ordinary stores as a JIT-compiled copy does; through a ring that small, " +
            "ordinary stores find the lines in the reader's cache and must take them back first. " +
            "Fragmented shm against Agrona: " +
            paired("shm-fragmented" + COLD, "agrona-claim" + COLD, PerfHarness::seconds, true) + " cold, " +
            paired("shm-fragmented" + WARM, "agrona-claim" + WARM, PerfHarness::seconds, true) + " warm; " +
            "the C byte ring of 256 KiB against Agrona (the same small ring in C, for the floor it sets): " +
            paired("c-byte-ring-256k" + WARM, "agrona-claim" + WARM, PerfHarness::seconds, true) + " with memcpy, " +
            paired("c-byte-ring-256k-plain" + WARM, "agrona-claim" + WARM, PerfHarness::seconds, true) + " with plain stores; " +
            "fragmented shm against that C ring: " +
            paired("shm-fragmented" + WARM, "c-byte-ring-256k" + WARM, PerfHarness::seconds, true) + " (memcpy), " +
            paired("shm-fragmented" + WARM, "c-byte-ring-256k-plain" + WARM, PerfHarness::seconds, true) + " (plain stores). " +
            "CPU is that of both processes of the median warm round, warm-up included. " + PAIRED_NOTE + probesNote());
        Files.writeString(plots.resolve("w4-floatchannel.svg"), Svg.bars("W4 FloatChannel, warm", "GB/s", plot));
        report.append(table.markdown()).append("\n![W4 FloatChannel](w4-floatchannel.svg)\n\n");
        interleavedSection("W4", new String[] {"shm", "shm-fragmented"}, "agrona-claim", quick ? 4 : 15, quick ? 20 : 50,
            warmUp, FloatChannelChild.LARGE_RING, "arrays", "The same, warm, interleaved in one pair of processes");
    }

    /**
     * A table of interleaved comparisons: each row streams through one of {@code ours} and
     * {@code theirs} in turn, a batch of {@code perBatch} {@code what} at a time, in one pair of
     * processes ({@link InterleavedChild}).
     */
    private void interleavedSection(final String workload, final String[] ours, final String theirs, final int pairs,
        final int perBatch, final int warmUp, final int capacity, final String what, final String heading) throws Exception
    {
        final Table table = new Table("shm", "peer", "pairs of batches", "shm batch (ms), median", "peer batch (ms), median",
            "shm / peer speed, median of pairs", "middle half of pairs");
        for (final String system : ours)
        {
            interleaved(table, workload, system, theirs, pairs, perBatch, warmUp, capacity);
        }
        table.note(INTERLEAVED_NOTE + " A batch is " + perBatch + " " + what + ".");
        report.append(heading).append(":\n\n").append(table.markdown()).append('\n');
    }

    private static final String INTERLEAVED_NOTE = "Each pair is a batch through each system, back to back in the " +
        "same two processes (the order swapped every other pair), after one untimed warm-up batch each; a batch is " +
        "timed from the sender's start to the receiver's last message, and starts once the receiver has finished " +
        "the batch before. Speed ratios: above 1 means shm is faster.";

    /**
     * Runs {@code ours} against {@code theirs} interleaved and adds the row to {@code table}.
     *
     * @return the median ratio of speed, ours over theirs.
     */
    private double interleaved(final Table table, final String workload, final String ours, final String theirs,
        final int pairs, final int perBatch, final int warmUp, final int capacity) throws Exception
    {
        progress(workload + " interleaved: " + ours + " and " + theirs);
        final String name = "shm-perf-il-" + ProcessHandle.current().pid();
        final List<File> files = new ArrayList<>();
        final File control = InterleavedChild.controlFile(name);
        files.add(control);
        org.agrona.IoUtil.unmap(org.agrona.IoUtil.mapNewFile(control, InterleavedChild.CONTROL_LENGTH, true));
        files.addAll(List.of(Transport.prepare(ours, name + "-0", capacity)));
        files.addAll(List.of(Transport.prepare(theirs, name + "-1", capacity)));
        final String[] args = {workload.toLowerCase(Locale.ROOT), null, name, ours, theirs, Integer.toString(pairs),
            Integer.toString(perBatch), Integer.toString(warmUp)};
        try (JvmProcess receiver = child(InterleavedChild.class, 1, with(args, 1, "receive"));
            JvmProcess sender = child(InterleavedChild.class, 0, with(args, 1, "send")))
        {
            awaitBoth(receiver, sender);
            final List<Map<String, String>> lines = Results.parse(receiver.lines());
            final double[] a = Arrays.stream(lines.get(0).get("ns").split(",")).mapToDouble(Double::parseDouble).toArray();
            final double[] b = Arrays.stream(lines.get(1).get("ns").split(",")).mapToDouble(Double::parseDouble).toArray();
            final double[] ratios = new double[Math.min(a.length, b.length)];
            for (int pair = 0; pair < ratios.length; pair++)
            {
                ratios[pair] = b[pair] / a[pair];
            }
            Arrays.sort(ratios);
            Arrays.sort(a);
            Arrays.sort(b);
            final double median = ratios[ratios.length / 2];
            table.row(describe(ours), describe(theirs), ratios.length, String.format("%.2f", a[a.length / 2] / 1e6),
                String.format("%.2f", b[b.length / 2] / 1e6), String.format("%.2f", median),
                String.format("%.2f to %.2f", ratios[ratios.length / 4], ratios[ratios.length * 3 / 4]));
            return median;
        }
        finally
        {
            Transport.remove(files.toArray(File[]::new));
        }
    }

    /**
     * Waits for the measuring child of a pair, then the other, and fails with their output if
     * either did not end well.
     */
    private static void awaitBoth(final JvmProcess measuring, final JvmProcess other) throws Exception
    {
        if (measuring.join(600, TimeUnit.SECONDS) != 0 || other.join(60, TimeUnit.SECONDS) != 0)
        {
            throw new IllegalStateException(measuring.output() + other.output());
        }
    }

    private static String[] with(final String[] args, final int index, final String value)
    {
        final String[] copy = args.clone();
        copy[index] = value;
        return copy;
    }

    private static double seconds(final Map<String, String> result)
    {
        return Double.parseDouble(result.get("seconds"));
    }

    private static final String COLD = "/cold";
    private static final String WARM = "/warm";

    private Map<String, String> byteRing(final String system, final int messages, final int length, final int warmUp)
        throws Exception
    {
        final int capacity = system.contains("256k") ? FloatChannelChild.SMALL_RING : 1 << 20;
        final Map<String, String> ring = new LinkedHashMap<>(Results.single(External.run(List.of(shmref.toString(),
            "byte-ring", Integer.toString(messages), Integer.toString(length), Integer.toString(warmUp),
            Integer.toString(capacity), system.endsWith("plain") ? "plain" : "memcpy"), 600)));
        ring.put("seconds", Double.toString(Double.parseDouble(ring.get("ns")) / 1e9));
        return ring;
    }

    private Map<String, String> floats(final String system, final int messages, final int length, final int warmUp)
        throws Exception
    {
        final String name = "shm-perf-w4-" + ProcessHandle.current().pid();
        final File[] files = Transport.prepare(system, name, FloatChannelChild.LARGE_RING);
        Files.deleteIfExists(FloatChannelChild.readyFile(name));
        final String[] args = {Integer.toString(messages), Integer.toString(length), Integer.toString(warmUp)};
        try (JvmProcess receiver = child(FloatChannelChild.class, 1, system, "receive", name, args[0], args[1], args[2]);
            JvmProcess sender = child(FloatChannelChild.class, 0, system, "send", name, args[0], args[1], args[2]))
        {
            awaitBoth(receiver, sender);
            final double seconds = (Long.parseLong(Results.single(receiver.lines()).get("end")) -
                Long.parseLong(Results.single(sender.lines()).get("start"))) / 1e9;
            final Map<String, String> result = withCpu(Results.single(receiver.lines()), receiver, sender);
            result.put("seconds", Double.toString(seconds));
            return result;
        }
        finally
        {
            Transport.remove(files);
            Files.deleteIfExists(FloatChannelChild.readyFile(name));
        }
    }

    /**
     * One measurement of one system.
     */
    @FunctionalInterface
    private interface Measurement
    {
        Map<String, String> run() throws Exception;
    }

    /**
     * Measures every system {@value #ROUNDS} times, in turn (a, b, c, a, b, c, ...), so that a change of
     * the machine's speed during the workload touches all of them alike.
     *
     * @return per system, its round with the median {@code key}.
     */
    private Map<String, Map<String, String>> rounds(
        final String workload, final Map<String, Measurement> systems, final ToDoubleFunction<Map<String, String>> key)
        throws Exception
    {
        final Map<String, List<Map<String, String>>> results = new LinkedHashMap<>();
        probes.clear();
        for (int round = 1; round <= ROUNDS; round++)
        {
            probes.add(Results.single(External.run(List.of(shmref.toString(), "probe", "100000"), 120)).get("p50"));
            for (final Map.Entry<String, Measurement> system : systems.entrySet())
            {
                progress(workload + " " + system.getKey() + " (round " + round + " of " + ROUNDS + ")");
                results.computeIfAbsent(system.getKey(), name -> new ArrayList<>()).add(system.getValue().run());
            }
        }
        runs.clear();
        runs.putAll(results);
        final Map<String, Map<String, String>> medians = new LinkedHashMap<>();
        results.forEach((system, all) ->
        {
            final List<Map<String, String>> sorted = new ArrayList<>(all);
            sorted.sort(Comparator.comparingDouble(key));
            medians.put(system, sorted.get(sorted.size() / 2));
        });
        return medians;
    }

    private static final String PAIRED_NOTE = "A paired ratio is the median over the rounds of the ratio within one " +
        "round, where the two systems ran one after the other, so a change of the machine's speed between rounds " +
        "does not enter it.";

    /**
     * The ratio of two systems of the last {@link #rounds} call, taken within each round, then the median.
     *
     * @param inverse false for {@code value(ours) / value(theirs)}, true for {@code value(theirs) / value(ours)}.
     */
    private String paired(final String ours, final String theirs, final ToDoubleFunction<Map<String, String>> value,
        final boolean inverse)
    {
        final List<Map<String, String>> a = runs.get(ours);
        final List<Map<String, String>> b = runs.get(theirs);
        if (a == null || b == null)
        {
            return "-";
        }
        final double[] ratios = new double[Math.min(a.size(), b.size())];
        for (int round = 0; round < ratios.length; round++)
        {
            final double x = value.applyAsDouble(a.get(round));
            final double y = value.applyAsDouble(b.get(round));
            ratios[round] = inverse ? y / x : x / y;
        }
        Arrays.sort(ratios);
        return String.format("%.2f", ratios[ratios.length / 2]);
    }

    private String probesNote()
    {
        return " C spin probe p50 before each round: " + String.join(" / ", probes) + " ns.";
    }

    /**
     * @return {@code result} with {@code cpu_ns} replaced by the CPU time of all the processes.
     */
    private static Map<String, String> withCpu(final Map<String, String> result, final JvmProcess... processes)
    {
        final List<Map<String, String>> all = new ArrayList<>();
        for (final JvmProcess process : processes)
        {
            all.addAll(Results.parse(process.lines()));
        }
        final Map<String, String> combined = new LinkedHashMap<>(result);
        combined.put("cpu_ns", Long.toString((long)(Results.cpuSeconds(all) * 1e9)));
        return combined;
    }

    private static String cpu(final Map<String, String> result)
    {
        final String cpu = result.get("cpu_ns");
        return cpu == null ? "-" : String.format("%.2f", Long.parseLong(cpu) / 1e9);
    }

    private static String describe(final String system)
    {
        return switch (system)
        {
            case "shm-spin" -> "shm channel, spinning";
            case "shm" -> "shm channel (spin, then park)";
            case "shm-park-only" -> "shm channel, park only";
            case "shm-no-adaptive" -> "shm channel (spin, then park), adaptive spin off";
            case "shm-unpinned" -> "shm channel (spin, then park), unpinned";
            case "shm-no-adaptive-unpinned" -> "shm channel (spin, then park), adaptive spin off, unpinned";
            case "shm-fragmented" -> "shm channel, fragmented";
            case "agrona-spin" -> "Agrona OneToOneRingBuffer, spinning";
            case "agrona-backoff" -> "Agrona OneToOneRingBuffer, BackoffIdleStrategy";
            case "agrona-claim" -> "Agrona tryClaim + bulk copy";
            case "chronicle" -> "Chronicle Queue on /dev/shm";
            case "c-spin" -> "C spin (C11 atomics)";
            case "c-futex-spin-then-park" -> "C futex, spin then park";
            case "c-futex-park" -> "C futex, park only";
            case "c-spsc" -> "C SPSC slot ring, memcpy";
            case "c-byte-ring" -> "C byte ring of 1 MiB, memcpy";
            case "c-byte-ring-256k" -> "C byte ring of 256 KiB, memcpy";
            case "c-byte-ring-256k-plain" -> "C byte ring of 256 KiB, plain stores";
            case "python-pipe-rtt" -> "Python Pipe";
            case "python-queue-rtt" -> "Python Queue";
            case "python-floatchannel" -> "Python FloatChannel (tutorial)";
            case "python-floatchannel-numpy" -> "Python FloatChannel, numpy views";
            default -> system;
        };
    }

    private void write(final Path results) throws IOException
    {
        final String existing = Files.exists(results) ? Files.readString(results) : "# Performance results\n";
        final String section = START + "\n" + report + END;
        final int start = existing.indexOf(START);
        final int end = existing.indexOf(END);
        final String updated = start >= 0 && end > start ?
            existing.substring(0, start) + section + existing.substring(end + END.length()) :
            existing.stripTrailing() + "\n\n" + section + "\n";
        Files.writeString(results, updated);
        progress("wrote " + results);
    }

    /**
     * W5: N processes each lock, increment a shared counter and unlock, many times.
     */
    private void lockCounter() throws Exception
    {
        final long iterations = quick ? 200_000 : 1_000_000;
        final long pythonIterations = quick ? 20_000 : 100_000;
        section("W5 lock counter", "each process " + iterations + " x {lock; counter += 1; unlock} " +
            "(Python " + pythonIterations + ", one pass); ns per lock/unlock = total time / all operations; " +
            "median of " + ROUNDS + " rounds, the systems measured in turn");
        final Table table = new Table("system", "processes", "total (ms)", "ns per lock/unlock", "CPU (s)",
            "counter exact", "shm / this, paired");
        final List<String> probed = new ArrayList<>();
        for (final int processes : new int[] {2, 4})
        {
            final Map<String, Measurement> systems = new LinkedHashMap<>();
            for (final String system : new String[] {"shm", "shm-park-only", "jdk-filelock"})
            {
                final long n = system.equals("jdk-filelock") ? Math.min(iterations, quick ? 50_000 : 200_000) : iterations;
                systems.put(system, () -> lockRow(javaLockCounter(system, processes, n)));
            }
            for (final String kind : new String[] {"robust", "pshared", "futex"})
            {
                systems.put("c-" + kind, () -> lockRow(measured(Results.single(External.run(List.of(shmref.toString(),
                    "lock-counter", kind, Integer.toString(processes), Long.toString(iterations)), 300)), processes, iterations)));
            }
            final Map<String, Map<String, String>> rows = new LinkedHashMap<>(
                rounds("W5 x" + processes, systems, row -> Double.parseDouble(row.get("per_op"))));
            probed.add(processes + " processes " + String.join(" / ", probes) + " ns");
            if (pythonPeers != null)
            {
                progress("W5 python x" + processes);
                final Map<String, String> result = Results.single(External.run(List.of("python3", pythonPeers.toString(),
                    "lock-counter", Integer.toString(processes), Long.toString(pythonIterations)), 600));
                rows.put("python-lock", lockRow(measured(result, processes, pythonIterations)));
            }
            final double ours = Double.parseDouble(rows.get("shm").get("per_op"));
            rows.forEach((system, row) ->
            {
                final double cpu = Double.parseDouble(row.get("cpu_ns"));
                table.row(describeLockSystem(system), processes,
                    String.format("%.1f", Double.parseDouble(row.get("total_ns")) / 1e6),
                    String.format("%.1f", Double.parseDouble(row.get("per_op"))), cpu < 0 ? "-" : String.format("%.2f", cpu / 1e9),
                    row.get("exact").equals("1") ? "yes" : "NO",
                    runs.containsKey(system) ? paired("shm", system, r -> Double.parseDouble(r.get("per_op")), false) :
                        Table.ratio(ours, Double.parseDouble(row.get("per_op"))));
            });
        }
        if (pythonPeers == null)
        {
            table.note("Python multiprocessing: not measured (python3 not found).");
        }
        table.note("Ratios are of time (our ns / their ns): below 1 means shm is faster. " +
            "CPU is the CPU time of all the processes of the median round. " +
            "The JDK's FileChannel.lock runs fewer iterations (it is slow); its ns per operation is comparable. " +
            PAIRED_NOTE + " C spin probe p50 before each round: " + String.join("; ", probed) + ".");
        report.append(table.markdown()).append('\n');
    }

    private static Map<String, String> lockRow(final double[] measured)
    {
        final Map<String, String> row = new LinkedHashMap<>();
        row.put("total_ns", Double.toString(measured[0]));
        row.put("per_op", Double.toString(measured[1]));
        row.put("cpu_ns", Double.toString(measured[2]));
        row.put("exact", measured[3] == 1 ? "1" : "0");
        return row;
    }

    private static String describeLockSystem(final String system)
    {
        return switch (system)
        {
            case "shm" -> "shm `ShmLock` (spin, then park)";
            case "shm-park-only" -> "shm `ShmLock`, park only";
            case "jdk-filelock" -> "JDK `FileChannel.lock`";
            case "c-robust" -> "C `pthread_mutex` pshared + robust";
            case "c-pshared" -> "C `pthread_mutex` pshared";
            case "c-futex" -> "C Drepper futex mutex";
            case "python-lock" -> "Python `Lock` + `RawValue`";
            default -> system;
        };
    }

    /**
     * @return total ns, ns per operation, CPU ns (or -1), exact (1 or 0).
     */
    private static double[] measured(final Map<String, String> result, final int processes, final long iterations)
    {
        final double total = Double.parseDouble(result.get("total_ns"));
        final long operations = processes * iterations;
        final boolean exact = Long.parseLong(result.get("counter")) == operations;
        final String cpu = result.get("cpu_ns");
        return new double[] {total, total / operations, cpu == null ? -1 : Double.parseDouble(cpu), exact ? 1 : 0};
    }

    private double[] javaLockCounter(final String system, final int processes, final long iterations) throws Exception
    {
        final String name = "shm-perf-w5-" + ProcessHandle.current().pid();
        try (Segment segment = Segment.create(name, SegmentOptions.defaults()))
        {
            final LongValue counter = LongValue.openOrCreate(segment, "counter");
            final List<JvmProcess> children = new ArrayList<>();
            try
            {
                for (int i = 0; i < processes; i++)
                {
                    children.add(child(LockCounterChild.class, i, system, name, Integer.toString(processes),
                        Long.toString(iterations)));
                }
                long start = Long.MAX_VALUE;
                long end = Long.MIN_VALUE;
                long cpu = 0;
                for (final JvmProcess child : children)
                {
                    if (child.join(600, TimeUnit.SECONDS) != 0)
                    {
                        throw new IllegalStateException(child.output());
                    }
                    final Map<String, String> result = Results.single(child.lines());
                    start = Math.min(start, Long.parseLong(result.get("start")));
                    end = Math.max(end, Long.parseLong(result.get("end")));
                    cpu += Long.parseLong(result.get("cpu_ns"));
                }
                final double total = end - start;
                final long operations = processes * iterations;
                return new double[] {total, total / operations, cpu, counter.get() == operations ? 1 : 0};
            }
            finally
            {
                children.forEach(JvmProcess::close);
            }
        }
        finally
        {
            Segment.unlink(name, SegmentOptions.defaults());
            Files.deleteIfExists(Path.of("/dev/shm", name + ".filelock"));
        }
    }

    /**
     * W6: A releases s1 and acquires s2, B the reverse; A records the round trips.
     */
    private void semaphoreHandoff() throws Exception
    {
        final int roundTrips = quick ? 20_000 : 200_000;
        final int pythonRoundTrips = quick ? 5_000 : 20_000;
        section("W6 semaphore handoff", roundTrips + " round trips after " + roundTrips / 10 + " warm-up (Python " +
            pythonRoundTrips + "); latency of one round trip in microseconds");
        final Table table = new Table("system", "p50 (us)", "p99 (us)", "p99.9 (us)", "max (us)", "CPU (s)",
            "shm p50 / this, paired");
        final Map<String, Measurement> systems = new LinkedHashMap<>();
        for (final String system : new String[] {"shm", "shm-park-only"})
        {
            systems.put(system, () -> javaHandoff(system, roundTrips));
        }
        systems.put("c-sem_t", () -> Results.single(External.run(List.of(shmref.toString(), "sem-handoff",
            Integer.toString(roundTrips)), 600)));
        systems.put("c-spin", () -> Results.single(External.run(List.of(shmref.toString(), "probe",
            Integer.toString(roundTrips)), 600)));
        if (pythonPeers != null)
        {
            systems.put("python", () -> Results.single(External.run(List.of("python3", pythonPeers.toString(),
                "sem-handoff", Integer.toString(pythonRoundTrips)), 600)));
        }
        rounds("W6", systems, row -> Double.parseDouble(row.get("p50"))).forEach((system, row) ->
            table.row(describeHandoffSystem(system), Table.micros(Double.parseDouble(row.get("p50"))),
                Table.micros(Double.parseDouble(row.get("p99"))), Table.micros(Double.parseDouble(row.get("p999"))),
                Table.micros(Double.parseDouble(row.get("max"))), cpu(row),
                paired("shm", system, run -> Double.parseDouble(run.get("p50")), false)));
        table.note("The C spin row is a spin ping-pong with no semaphore, measured in the same rounds: the floor a " +
            "handoff can approach while the peer answers promptly. Median of " + ROUNDS + " rounds, the systems " +
            "measured in turn. " + PAIRED_NOTE + probesNote());
        report.append(table.markdown()).append('\n');
    }

    private static String describeHandoffSystem(final String system)
    {
        return switch (system)
        {
            case "shm" -> "shm `ShmSemaphore` (spin, then park)";
            case "shm-park-only" -> "shm `ShmSemaphore`, park only";
            case "c-sem_t" -> "C `sem_t` pshared";
            case "c-spin" -> "C spin round trip (probe)";
            case "python" -> "Python `Semaphore`";
            default -> system;
        };
    }

    private Map<String, String> javaHandoff(final String system, final int roundTrips) throws Exception
    {
        final String name = "shm-perf-w6-" + ProcessHandle.current().pid();
        // The children open the segment by name; this process only creates it.
        Segment.create(name, SegmentOptions.defaults()).close();
        try (JvmProcess b = child(SemaphoreHandoffChild.class, 1, system, name, "b", Integer.toString(roundTrips),
                Integer.toString(roundTrips / 10));
            JvmProcess a = child(SemaphoreHandoffChild.class, 0, system, name, "a", Integer.toString(roundTrips),
                Integer.toString(roundTrips / 10)))
        {
            awaitBoth(a, b);
            return withCpu(Results.single(a.lines()), a, b);
        }
        finally
        {
            Segment.unlink(name, SegmentOptions.defaults());
        }
    }

    private void probe() throws Exception
    {
        final Map<String, String> probe = Results.single(External.run(List.of(shmref.toString(), "probe", "200000"), 120));
        report.append("C spin probe before this workload: round trip p50 ").append(probe.get("p50")).append(" ns, p99 ")
            .append(probe.get("p99")).append(" ns.\n\n");
    }

    private void section(final String title, final String description) throws Exception
    {
        progress(title);
        report.append("### ").append(title).append("\n\n").append(description).append(".\n\n");
        probe();
    }

    /**
     * What Chronicle Queue needs of a Java 17 JVM; given to every child so all run alike.
     */
    static final List<String> CHRONICLE_FLAGS = List.of(
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED",
        "-Dchronicle.analytics.disable=true",
        "-Dchronicle.announcer.disable=true");

    private static JvmProcess child(final Class<?> main, final int cpu, final String... args)
    {
        final List<String> jvmArgs = new ArrayList<>(List.of("-XX:+UseSerialGC", "-Xmx256m"));
        if (args.length > 0 && args[0].equals("chronicle"))
        {
            jvmArgs.addAll(CHRONICLE_FLAGS);
        }
        return JvmProcess.builder(main).jvmArgs(jvmArgs.toArray(String[]::new)).pinnedTo(cpu).args(args).captureOutput().start();
    }

    private static void progress(final String message)
    {
        System.out.println("[perf " + LocalTime.now().withNano(0) + "] " + message);
    }
}
