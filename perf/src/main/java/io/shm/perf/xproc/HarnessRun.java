package io.shm.perf.xproc;

import io.shm.process.JvmProcess;

import java.nio.file.Path;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * One run of the cross-process harness: its options, the report being written, the rounds in
 * which the systems of a workload are measured in turn, and the paired ratios taken from them.
 */
final class HarnessRun
{
    static final int ROUNDS = 5;

    private final boolean quick;
    private final Path shmref;
    private final Path pythonPeers;
    private final Path plots;
    private final Map<String, List<Map<String, String>>> runs = new LinkedHashMap<>();
    private final List<String> probes = new ArrayList<>();
    private final StringBuilder report = new StringBuilder();

    HarnessRun(final boolean quick, final Path shmref, final Path pythonPeers, final Path plots)
    {
        this.quick = quick;
        this.shmref = shmref;
        this.pythonPeers = pythonPeers;
        this.plots = plots;
    }

    boolean quick()
    {
        return quick;
    }

    Path shmref()
    {
        return shmref;
    }

    /**
     * @return the Python peers' script, or null if Python is not measured.
     */
    Path pythonPeers()
    {
        return pythonPeers;
    }

    Path plots()
    {
        return plots;
    }

    StringBuilder report()
    {
        return report;
    }

    /**
     * @return whether {@code system} was measured in the last {@link #rounds} call.
     */
    boolean measured(final String system)
    {
        return runs.containsKey(system);
    }

    /**
     * @return the C spin probe's p50 before each round of the last {@link #rounds} call.
     */
    String probes()
    {
        return String.join(" / ", probes);
    }

    /**
     * Waits for the measuring child of a pair, then the other, and fails with their output if
     * either did not end well.
     */
    static void awaitBoth(final JvmProcess measuring, final JvmProcess other) throws Exception
    {
        if (measuring.join(600, TimeUnit.SECONDS) != 0 || other.join(60, TimeUnit.SECONDS) != 0)
        {
            throw new IllegalStateException(measuring.output() + other.output());
        }
    }

    static String[] with(final String[] args, final int index, final String value)
    {
        final String[] copy = args.clone();
        copy[index] = value;
        return copy;
    }

    /**
     * One measurement of one system.
     */
    @FunctionalInterface
    interface Measurement
    {
        Map<String, String> run() throws Exception;
    }

    /**
     * Measures every system {@value #ROUNDS} times, in turn (a, b, c, a, b, c, ...), so that a change of
     * the machine's speed during the workload touches all of them alike.
     *
     * @return per system, its round with the median {@code key}.
     */
    Map<String, Map<String, String>> rounds(
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

    static final String PAIRED_NOTE = "A paired ratio is the median over the rounds of the ratio within one " +
        "round, where the two systems ran one after the other, so a change of the machine's speed between rounds " +
        "does not enter it.";

    /**
     * The ratio of two systems of the last {@link #rounds} call, taken within each round, then the median.
     *
     * @param inverse false for {@code value(ours) / value(theirs)}, true for {@code value(theirs) / value(ours)}.
     */
    String paired(final String ours, final String theirs, final ToDoubleFunction<Map<String, String>> value,
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

    String probesNote()
    {
        return " C spin probe p50 before each round: " + String.join(" / ", probes) + " ns.";
    }

    /**
     * @return {@code result} with {@code cpu_ns} replaced by the CPU time of all the processes.
     */
    static Map<String, String> withCpu(final Map<String, String> result, final JvmProcess... processes)
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

    static String cpu(final Map<String, String> result)
    {
        final String cpu = result.get("cpu_ns");
        return cpu == null ? "-" : String.format("%.2f", Long.parseLong(cpu) / 1e9);
    }

    static String describe(final String system)
    {
        return switch (system)
        {
            case "shm-spin" -> "shm channel, spinning";
            case "shm-spin-batch" -> "shm channel, spinning, sendBatch of 64";
            case "shm" -> "shm channel (spin, then park)";
            case "shm-park-only" -> "shm channel, park only";
            case "shm-no-adaptive" -> "shm channel (spin, then park), adaptive spin off";
            case "shm-unpinned" -> "shm channel (spin, then park), unpinned";
            case "shm-no-adaptive-unpinned" -> "shm channel (spin, then park), adaptive spin off, unpinned";
            case "shm-fragmented" -> "shm channel, fragmented";
            case "shm-lossy" -> "shm broadcast, lossy";
            case "shm-lossy-newest" -> "shm broadcast, lossy, on from the newest after a lap";
            case "shm-back-pressured" -> "shm broadcast, back-pressured";
            case "agrona-broadcast" -> "Agrona BroadcastTransmitter/BroadcastReceiver, BackoffIdleStrategy";
            case "agrona-broadcast-spin" -> "Agrona BroadcastTransmitter/BroadcastReceiver, busy-spinning";
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

    void probe() throws Exception
    {
        final Map<String, String> probe = Results.single(External.run(List.of(shmref.toString(), "probe", "200000"), 120));
        report.append("C spin probe before this workload: round trip p50 ").append(probe.get("p50")).append(" ns, p99 ")
            .append(probe.get("p99")).append(" ns.\n\n");
    }

    void section(final String title, final String description) throws Exception
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

    static JvmProcess child(final Class<?> main, final int cpu, final String... args)
    {
        final List<String> jvmArgs = new ArrayList<>(List.of("-XX:+UseSerialGC", "-Xmx256m"));
        if (args.length > 0 && args[0].equals("chronicle"))
        {
            jvmArgs.addAll(CHRONICLE_FLAGS);
        }
        return JvmProcess.builder(main).jvmArgs(jvmArgs.toArray(String[]::new)).pinnedTo(cpu).args(args).captureOutput().start();
    }

    static void progress(final String message)
    {
        System.out.println("[perf " + LocalTime.now().withNano(0) + "] " + message);
    }
}
