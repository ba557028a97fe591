package io.shm.perf.xproc;

import io.shm.process.JvmProcess;
import io.shm.segment.Segment;
import io.shm.segment.SegmentOptions;
import io.shm.value.LongValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The cross-process harness: runs each workload with shm and its peers in one run, and writes the
 * tables into {@code perf/RESULTS.md} between the markers {@value #START} and {@value #END}. Every
 * workload starts with the C spin probe, since this machine's figures move between runs: compare
 * within a table, as ratios.
 * <pre>
 * PerfHarness [--quick] --shmref PATH [--python-peers PATH] [--results PATH]
 * </pre>
 * {@code scripts/perf.sh} builds what it needs and runs this.
 */
public final class PerfHarness
{
    static final String START = "<!-- cross-process results: start -->";
    static final String END = "<!-- cross-process results: end -->";

    private final boolean quick;
    private final Path shmref;
    private final Path pythonPeers;
    private final StringBuilder report = new StringBuilder();

    private PerfHarness(final boolean quick, final Path shmref, final Path pythonPeers)
    {
        this.quick = quick;
        this.shmref = shmref;
        this.pythonPeers = pythonPeers;
    }

    public static void main(final String[] args) throws Exception
    {
        boolean quick = false;
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
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (shmref == null || !Files.isExecutable(shmref))
        {
            throw new IllegalArgumentException("--shmref must name the compiled C reference (scripts/perf.sh builds it)");
        }
        final PerfHarness harness = new PerfHarness(quick, shmref, pythonPeers);
        harness.run();
        harness.write(results);
    }

    private void run() throws Exception
    {
        report.append("## Cross-process workloads (").append(LocalDate.now()).append(quick ? ", quick mode" : ", full run")
            .append(")\n\n");
        report.append("Command: `scripts/perf.sh").append(quick ? " --quick" : "").append("`. Machine: ")
            .append(Machine.describe()).append(". Processes pinned to CPUs 0 and 1 (more processes share them). ")
            .append("JVM flags: `--add-opens java.base/jdk.internal.misc=ALL-UNNAMED -XX:+UseSerialGC`.\n\n");
        lockCounter();
        semaphoreHandoff();
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
            "(Python " + pythonIterations + "); ns per lock/unlock = total time / all operations");
        final Table table = new Table("system", "processes", "total (ms)", "ns per lock/unlock", "CPU (s)",
            "counter exact", "shm / this");
        for (final int processes : new int[] {2, 4})
        {
            final Map<String, double[]> rows = new LinkedHashMap<>();
            for (final String system : new String[] {"shm", "shm-park-only", "jdk-filelock"})
            {
                final long n = system.equals("jdk-filelock") ? Math.min(iterations, quick ? 50_000 : 200_000) : iterations;
                progress("W5 " + system + " x" + processes);
                rows.put(system, javaLockCounter(system, processes, n));
            }
            for (final String kind : new String[] {"robust", "pshared", "futex"})
            {
                progress("W5 c-" + kind + " x" + processes);
                final Map<String, String> result = Results.single(External.run(List.of(shmref.toString(), "lock-counter",
                    kind, Integer.toString(processes), Long.toString(iterations)), 300));
                rows.put("c-" + kind, measured(result, processes, iterations));
            }
            if (pythonPeers != null)
            {
                progress("W5 python x" + processes);
                final Map<String, String> result = Results.single(External.run(List.of("python3", pythonPeers.toString(),
                    "lock-counter", Integer.toString(processes), Long.toString(pythonIterations)), 600));
                rows.put("python-lock", measured(result, processes, pythonIterations));
            }
            final double ours = rows.get("shm")[1];
            rows.forEach((system, row) -> table.row(describeLockSystem(system), processes, String.format("%.1f", row[0] / 1e6),
                String.format("%.1f", row[1]), row[2] < 0 ? "-" : String.format("%.2f", row[2] / 1e9),
                row[3] == 1 ? "yes" : "NO", Table.ratio(ours, row[1])));
        }
        if (pythonPeers == null)
        {
            table.note("Python multiprocessing: not measured (python3 not found).");
        }
        table.note("CPU is the processes' own CPU time where they report it (JVM children); `-` where not. " +
            "The JDK's FileChannel.lock runs fewer iterations (it is slow); its ns per operation is comparable.");
        report.append(table.markdown()).append('\n');
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
        return new double[] {total, total / operations, -1, exact ? 1 : 0};
    }

    private double[] javaLockCounter(final String system, final int processes, final long iterations) throws Exception
    {
        final String name = "shm-perf-w5-" + ProcessHandle.current().pid();
        try (Segment segment = Segment.create(name, SegmentOptions.defaults()))
        {
            final LongValue counter = segment.longValue("counter");
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
        final Table table = new Table("system", "p50 (us)", "p99 (us)", "p99.9 (us)", "max (us)", "shm p50 / this");
        final Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        final Map<String, String> probe = probe();
        for (final String system : new String[] {"shm", "shm-park-only"})
        {
            progress("W6 " + system);
            rows.put(system, javaHandoff(system, roundTrips));
        }
        progress("W6 c-sem_t");
        rows.put("c-sem_t", Results.single(External.run(List.of(shmref.toString(), "sem-handoff", Integer.toString(roundTrips)), 600)));
        rows.put("c-spin", probe);
        if (pythonPeers != null)
        {
            progress("W6 python");
            rows.put("python", Results.single(External.run(List.of("python3", pythonPeers.toString(), "sem-handoff",
                Integer.toString(pythonRoundTrips)), 600)));
        }
        final double ours = Double.parseDouble(rows.get("shm").get("p50"));
        rows.forEach((system, row) -> table.row(describeHandoffSystem(system), Table.micros(Double.parseDouble(row.get("p50"))),
            Table.micros(Double.parseDouble(row.get("p99"))), Table.micros(Double.parseDouble(row.get("p999"))),
            Table.micros(Double.parseDouble(row.get("max"))), Table.ratio(ours, Double.parseDouble(row.get("p50")))));
        table.note("The C spin row is the probe run just before (spin ping-pong, no semaphore): the floor a " +
            "handoff can approach while the peer answers promptly.");
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
        try (Segment ignored = Segment.create(name, SegmentOptions.defaults());
            JvmProcess b = child(SemaphoreHandoffChild.class, 1, system, name, "b", Integer.toString(roundTrips),
                Integer.toString(roundTrips / 10));
            JvmProcess a = child(SemaphoreHandoffChild.class, 0, system, name, "a", Integer.toString(roundTrips),
                Integer.toString(roundTrips / 10)))
        {
            if (a.join(600, TimeUnit.SECONDS) != 0 || b.join(60, TimeUnit.SECONDS) != 0)
            {
                throw new IllegalStateException(a.output() + b.output());
            }
            return Results.single(a.lines());
        }
        finally
        {
            Segment.unlink(name, SegmentOptions.defaults());
        }
    }

    private Map<String, String> probe() throws Exception
    {
        final Map<String, String> probe = Results.single(External.run(List.of(shmref.toString(), "probe", "200000"), 120));
        report.append("C spin probe before this workload: round trip p50 ").append(probe.get("p50")).append(" ns, p99 ")
            .append(probe.get("p99")).append(" ns.\n\n");
        return probe;
    }

    private void section(final String title, final String description) throws Exception
    {
        progress(title);
        report.append("### ").append(title).append("\n\n").append(description).append(".\n\n");
        if (!title.startsWith("W6"))
        {
            probe();
        }
    }

    private static JvmProcess child(final Class<?> main, final int cpu, final String... args)
    {
        return JvmProcess.builder(main).jvmArgs("-XX:+UseSerialGC", "-Xmx256m").pinnedTo(cpu).args(args).captureOutput().start();
    }

    private static void progress(final String message)
    {
        System.out.println("[perf " + java.time.LocalTime.now().withNano(0) + "] " + message);
    }
}
