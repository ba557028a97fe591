package io.shm.perf.xproc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Set;

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

    private PerfHarness()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        boolean quick = false;
        Set<String> only = Set.of("W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "W9", "W10", "W11", "W12", "W13");
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
        final HarnessRun harness = new HarnessRun(quick, shmref, pythonPeers, results.toAbsolutePath().getParent());
        run(harness, only);
        write(harness.report(), results);
    }

    private static void run(final HarnessRun harness, final Set<String> only) throws Exception
    {
        harness.report().append("## Cross-process workloads (").append(LocalDate.now()).append(harness.quick() ? ", quick mode" : ", full run")
            .append(")\n\n");
        harness.report().append("Command: `scripts/perf.sh").append(harness.quick() ? " --quick" : "").append("`. Machine: ")
            .append(Machine.describe()).append(". Processes pinned to CPUs 0 and 1 (more processes share them). ")
            .append("JVM flags: `--add-opens java.base/jdk.internal.misc=ALL-UNNAMED -XX:+UseSerialGC -Xmx256m`, ")
            .append("and for Chronicle Queue the opens and exports it needs on Java 17 (`HarnessRun.CHRONICLE_FLAGS`).\n\n");
        final LatencyWorkloads latency = new LatencyWorkloads(harness);
        final StreamWorkloads streams = new StreamWorkloads(harness);
        final SyncWorkloads sync = new SyncWorkloads(harness);
        if (only.contains("W1"))
        {
            latency.spinPingPong();
        }
        if (only.contains("W2"))
        {
            latency.blockingPingPong();
        }
        if (only.contains("W3"))
        {
            streams.throughput();
        }
        if (only.contains("W4"))
        {
            streams.floatChannel();
        }
        if (only.contains("W5"))
        {
            sync.lockCounter();
        }
        if (only.contains("W6"))
        {
            sync.semaphoreHandoff();
        }
        if (only.contains("W8"))
        {
            new PoolWorkloads(harness).pool();
        }
        if (only.contains("W7"))
        {
            latency.pacedStream();
        }
        if (only.contains("W11"))
        {
            latency.waitManyPingPong();
        }
        if (only.contains("W10"))
        {
            new BroadcastWorkloads(harness).broadcast();
        }
        if (only.contains("W9"))
        {
            new MapWorkloads(harness).maps();
        }
        if (only.contains("W12"))
        {
            new JournalWorkloads(harness).journal();
        }
        if (only.contains("W13"))
        {
            new BridgeWorkloads(harness).bridges();
        }
    }

    private static void write(final StringBuilder report, final Path results) throws IOException
    {
        final String existing = Files.exists(results) ? Files.readString(results) : "# Performance results\n";
        final String section = START + "\n" + report + END;
        final int start = existing.indexOf(START);
        final int end = existing.indexOf(END);
        final String updated = start >= 0 && end > start ?
            existing.substring(0, start) + section + existing.substring(end + END.length()) :
            existing.stripTrailing() + "\n\n" + section + "\n";
        Files.writeString(results, updated);
        HarnessRun.progress("wrote " + results);
    }
}
