package io.shm.perf.xproc;

import io.shm.process.JvmProcess;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.shm.perf.xproc.HarnessRun.*;

/**
 * Workload W8, the process pool: {@code apply} round trips against Python's {@code Pool.apply},
 * {@code ProcessPoolExecutor} and an in-process thread pool; {@code map} of a million small
 * items; a CPU-bound {@code map} on one and two workers; an idle pool's CPU.
 */
final class PoolWorkloads
{
    private final HarnessRun harness;

    PoolWorkloads(final HarnessRun harness)
    {
        this.harness = harness;
    }

    void pool() throws Exception
    {
        final int calls = harness.quick() ? 5_000 : 50_000;
        final int pythonCalls = harness.quick() ? 1_000 : 5_000;
        final int items = harness.quick() ? 200_000 : 1_000_000;
        final int cpuTasks = harness.quick() ? 200 : 2_000;
        final int pythonCpuTasks = harness.quick() ? 20 : 60;
        harness.section("W8 process pool", "pools of 2 workers: " + calls + " back-to-back apply calls of the " +
            "identity after 50000 untimed (Python " + pythonCalls + " after a tenth as many); map of " + items +
            " small integers (squared) with the default chunks, boxed and as long[] (10 untimed rounds, then the " +
            "median of 9); a map of " + cpuTasks + " CPU-bound tasks (Python " + pythonCpuTasks + ": the same " +
            "arithmetic, slower there) on 1 and 2 workers, chunks of 1; the CPU of an idle pool over 5 s, from 2 s " +
            "after its first call");
        final Map<String, Measurement> latency = new LinkedHashMap<>();
        latency.put("shm-pool-apply", () -> child("apply", Integer.toString(calls)));
        latency.put("jdk-thread-pool", () -> child("thread-apply", Integer.toString(calls)));
        latency.put("shm-blocking-pingpong", () -> new LatencyWorkloads(harness).pingPong("shm", calls));
        if (harness.pythonPeers() != null)
        {
            latency.put("python-pool-apply", () -> python("pool-apply", Integer.toString(pythonCalls)));
            latency.put("python-executor-submit", () -> python("executor-apply", Integer.toString(pythonCalls)));
        }
        final Table apply = new Table("system", "p50 (us)", "p99 (us)", "shm pool p50 / this p50, paired");
        harness.rounds("W8a", latency, row -> Double.parseDouble(row.get("p50"))).forEach((system, row) ->
            apply.row(system, Table.micros(Double.parseDouble(row.get("p50"))), Table.micros(Double.parseDouble(row.get("p99"))),
                harness.paired("shm-pool-apply", system, run -> Double.parseDouble(run.get("p50")), false)));
        apply.note("W8a: one apply at a time. shm-blocking-pingpong is W2's blocking round trip, for the goal of " +
            "an apply within 3x of it. Ratios below 1 mean the shm pool is faster." + harness.probesNote());
        harness.report().append(apply.markdown()).append('\n');

        final Map<String, Measurement> throughput = new LinkedHashMap<>();
        throughput.put("shm-pool-map", () -> child("map", Integer.toString(items)));
        throughput.put("shm-pool-map-longs", () -> child("map-longs", Integer.toString(items)));
        if (harness.pythonPeers() != null)
        {
            throughput.put("python-pool-map", () -> python("pool-map", Integer.toString(items)));
        }
        for (final int workers : new int[] {1, 2})
        {
            throughput.put("shm-pool-cpu/" + workers, () -> child("cpu", Integer.toString(cpuTasks), Integer.toString(workers)));
            if (harness.pythonPeers() != null)
            {
                throughput.put("python-pool-cpu/" + workers,
                    () -> python("pool-cpu", Integer.toString(pythonCpuTasks), Integer.toString(workers)));
            }
        }
        throughput.put("shm-pool-idle", () -> child("idle", "5"));
        final Map<String, Map<String, String>> rows = harness.rounds("W8b-c", throughput, PoolWorkloads::rate);
        final Table table = new Table("system", "items or tasks per second", "CPU (s)");
        rows.forEach((system, row) -> table.row(system, system.endsWith("idle") ? "-" : String.format("%.0f", rate(row)),
            cpu(row)));
        table.note("W8b: map of small integers (shm-pool-map-longs: mapLongs, a long[] in and out); W8c: CPU-bound map, the speed-up of 2 workers over 1 is " +
            "shm " + speedUp(rows, "shm-pool-cpu") + ", Python " + speedUp(rows, "python-pool-cpu") + ". An idle pool " +
            "of 2 workers used " + (rows.containsKey("shm-pool-idle") ? rows.get("shm-pool-idle").get("core_share") : "-") +
            " of a core over 5 s." + harness.probesNote());
        harness.report().append(table.markdown()).append('\n');
    }

    private static double rate(final Map<String, String> row)
    {
        return row.containsKey("ns") ? Double.parseDouble(row.get("count")) / (Double.parseDouble(row.get("ns")) / 1e9) : 0;
    }

    private static String speedUp(final Map<String, Map<String, String>> rows, final String system)
    {
        final Map<String, String> one = rows.get(system + "/1");
        final Map<String, String> two = rows.get(system + "/2");
        return one == null || two == null ? "-" : String.format("%.2f", rate(two) / rate(one));
    }

    private Map<String, String> child(final String... args) throws Exception
    {
        try (JvmProcess child = JvmProcess.builder(PoolChild.class).jvmArgs("-XX:+UseSerialGC", "-Xmx512m").args(args)
            .captureOutput().start())
        {
            if (child.join(600, TimeUnit.SECONDS) != 0)
            {
                throw new IllegalStateException(child.output());
            }
            return Results.single(child.lines());
        }
    }

    private Map<String, String> python(final String... args) throws Exception
    {
        final List<String> command = new java.util.ArrayList<>(List.of("python3", harness.pythonPeers().toString()));
        command.addAll(List.of(args));
        return Results.single(External.run(command, 600));
    }
}
