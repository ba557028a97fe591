package io.shm.perf.xproc;

import io.shm.process.JvmProcess;
import io.shm.segment.Segment;
import io.shm.segment.SegmentOptions;
import io.shm.value.LongValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.shm.perf.xproc.HarnessRun.*;

/**
 * Synchronizer workloads: W5 (a lock-protected counter) and W6 (a semaphore handoff).
 */
final class SyncWorkloads
{
    private final HarnessRun harness;

    SyncWorkloads(final HarnessRun harness)
    {
        this.harness = harness;
    }

    /**
     * W5: N processes each lock, increment a shared counter and unlock, many times.
     */
    void lockCounter() throws Exception
    {
        final long iterations = harness.quick() ? 200_000 : 1_000_000;
        final long pythonIterations = harness.quick() ? 20_000 : 100_000;
        harness.section("W5 lock counter", "each process " + iterations + " x {lock; counter += 1; unlock} " +
            "(Python " + pythonIterations + ", one pass); ns per lock/unlock = total time / all operations; " +
            "median of " + HarnessRun.ROUNDS + " rounds, the systems measured in turn");
        final Table table = new Table("system", "processes", "total (ms)", "ns per lock/unlock", "CPU (s)",
            "counter exact", "shm / this, paired");
        final List<String> probed = new ArrayList<>();
        for (final int processes : new int[] {2, 4})
        {
            final Map<String, Measurement> systems = new LinkedHashMap<>();
            for (final String system : new String[] {"shm", "shm-park-only", "jdk-filelock"})
            {
                final long n = system.equals("jdk-filelock") ? Math.min(iterations, harness.quick() ? 50_000 : 200_000) : iterations;
                systems.put(system, () -> lockRow(javaLockCounter(system, processes, n)));
            }
            for (final String kind : new String[] {"robust", "pshared", "futex"})
            {
                systems.put("c-" + kind, () -> lockRow(measured(Results.single(External.run(List.of(harness.shmref().toString(),
                    "lock-counter", kind, Integer.toString(processes), Long.toString(iterations)), 300)), processes, iterations)));
            }
            final Map<String, Map<String, String>> rows = new LinkedHashMap<>(
                harness.rounds("W5 x" + processes, systems, row -> Double.parseDouble(row.get("per_op"))));
            probed.add(processes + " processes " + harness.probes() + " ns");
            if (harness.pythonPeers() != null)
            {
                progress("W5 python x" + processes);
                final Map<String, String> result = Results.single(External.run(List.of("python3", harness.pythonPeers().toString(),
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
                    harness.measured(system) ? harness.paired("shm", system, r -> Double.parseDouble(r.get("per_op")), false) :
                        Table.ratio(ours, Double.parseDouble(row.get("per_op"))));
            });
        }
        if (harness.pythonPeers() == null)
        {
            table.note("Python multiprocessing: not measured (python3 not found).");
        }
        table.note("Ratios are of time (our ns / their ns): below 1 means shm is faster. " +
            "CPU is the CPU time of all the processes of the median round. " +
            "The JDK's FileChannel.lock runs fewer iterations (it is slow); its ns per operation is comparable. " +
            PAIRED_NOTE + " C spin probe p50 before each round: " + String.join("; ", probed) + ".");
        harness.report().append(table.markdown()).append('\n');
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
    void semaphoreHandoff() throws Exception
    {
        final int roundTrips = harness.quick() ? 20_000 : 200_000;
        final int pythonRoundTrips = harness.quick() ? 5_000 : 20_000;
        harness.section("W6 semaphore handoff", roundTrips + " round trips after " + roundTrips / 10 + " warm-up (Python " +
            pythonRoundTrips + "); latency of one round trip in microseconds");
        final Table table = new Table("system", "p50 (us)", "p99 (us)", "p99.9 (us)", "max (us)", "CPU (s)",
            "shm p50 / this, paired");
        final Map<String, Measurement> systems = new LinkedHashMap<>();
        for (final String system : new String[] {"shm", "shm-park-only"})
        {
            systems.put(system, () -> javaHandoff(system, roundTrips));
        }
        systems.put("c-sem_t", () -> Results.single(External.run(List.of(harness.shmref().toString(), "sem-handoff",
            Integer.toString(roundTrips)), 600)));
        systems.put("c-spin", () -> Results.single(External.run(List.of(harness.shmref().toString(), "probe",
            Integer.toString(roundTrips)), 600)));
        if (harness.pythonPeers() != null)
        {
            systems.put("python", () -> Results.single(External.run(List.of("python3", harness.pythonPeers().toString(),
                "sem-handoff", Integer.toString(pythonRoundTrips)), 600)));
        }
        harness.rounds("W6", systems, row -> Double.parseDouble(row.get("p50"))).forEach((system, row) ->
            table.row(describeHandoffSystem(system), Table.micros(Double.parseDouble(row.get("p50"))),
                Table.micros(Double.parseDouble(row.get("p99"))), Table.micros(Double.parseDouble(row.get("p999"))),
                Table.micros(Double.parseDouble(row.get("max"))), cpu(row),
                harness.paired("shm", system, run -> Double.parseDouble(run.get("p50")), false)));
        table.note("The C spin row is a spin ping-pong with no semaphore, measured in the same rounds: the floor a " +
            "handoff can approach while the peer answers promptly. Median of " + HarnessRun.ROUNDS + " rounds, the systems " +
            "measured in turn. " + PAIRED_NOTE + harness.probesNote());
        harness.report().append(table.markdown()).append('\n');
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
}
