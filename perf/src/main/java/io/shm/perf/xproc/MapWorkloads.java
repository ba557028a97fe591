package io.shm.perf.xproc;

import io.shm.process.JvmProcess;
import io.shm.segment.Segment;
import io.shm.segment.SegmentOptions;
import io.shm.value.LongValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.shm.perf.xproc.HarnessRun.*;

/**
 * Workload W9, shared maps: shm's {@code ShmMap} against Chronicle Map, LMDB and Python's
 * {@code Manager().dict()}, with keys of 16 bytes and values of 64. W9a: one process getting while
 * another puts; W9b: four processes on two cores mixing 90% gets and 10% puts; W9c: growing from
 * 1,000 entries while a reader runs.
 */
final class MapWorkloads
{
    private static final List<String> MAP_SYSTEMS = List.of("shm-map", "chronicle-map", "lmdb");
    private static final int KEYS = 100_000;
    private static final int MIXERS = 4;

    private final HarnessRun harness;
    private int runs;

    MapWorkloads(final HarnessRun harness)
    {
        this.harness = harness;
    }

    void maps() throws Exception
    {
        final long ops = harness.quick() ? 200_000 : 1_000_000;
        final long pythonOps = harness.quick() ? 5_000 : 20_000;
        final long mixOps = harness.quick() ? 100_000 : 500_000;
        final long target = harness.quick() ? 200_000 : 1_000_000;
        harness.section("W9 shared maps", "keys of 16 bytes, values of 64, " + KEYS + " entries loaded first. " +
            "W9a: one process gets random keys while another puts random keys, " + ops + " timed operations each " +
            "(Python's Manager().dict() " + pythonOps + ") after a tenth as many untimed, each side going on " +
            "untimed until both are done; W9b: " + MIXERS + " processes on 2 cores, each " + mixOps + " operations " +
            "(90% get, 10% put) after a tenth as many untimed; W9c: puts from 1000 to " + target + " entries into " +
            "a map made for 1000 while a reader gets random loaded keys, each timed. shm-map: 64 stripes; " +
            "chronicle-map: sized for its entries up front (it cannot grow past that by much); lmdb: MDB_NOSYNC, " +
            "one write transaction per put, one renewed read transaction per get; all files in /dev/shm");
        pairs(ops, pythonOps);
        mixes(mixOps);
        growth(target);
    }

    private void pairs(final long ops, final long pythonOps) throws Exception
    {
        final Map<String, Measurement> systems = new LinkedHashMap<>();
        for (final String system : MAP_SYSTEMS)
        {
            systems.put(system, () -> pair(system, ops));
        }
        if (harness.pythonPeers() != null)
        {
            systems.put("python-manager-dict", () -> python(pythonOps));
        }
        final Map<String, Map<String, String>> rows = harness.rounds("W9a", systems, row -> num(row, "get_p50"));
        final Table table = new Table("system", "get p50 (ns)", "get p99 (ns)", "gets/s", "put p50 (ns)", "put p99 (ns)",
            "puts/s", "shm get p50 / this, paired", "shm put p50 / this, paired");
        rows.forEach((system, row) -> table.row(system, row.get("get_p50"), row.get("get_p99"),
            String.format("%.0f", num(row, "get_rate")), row.get("put_p50"), row.get("put_p99"),
            String.format("%.0f", num(row, "put_rate")),
            harness.paired("shm-map", system, run -> num(run, "get_p50"), false),
            harness.paired("shm-map", system, run -> num(run, "put_p50"), false)));
        table.note("W9a: latencies of single operations, System.nanoTime around each (the same cost for every " +
            "system). Ratios below 1 mean shm is faster. Goals: get p50 <= 1.0x Chronicle Map, put p50 <= 1.2x, " +
            "both >= 100x faster than Python's Manager dict. " + PAIRED_NOTE + harness.probesNote());
        harness.report().append(table.markdown()).append('\n');
    }

    private void mixes(final long ops) throws Exception
    {
        final Map<String, Measurement> systems = new LinkedHashMap<>();
        for (final String system : MAP_SYSTEMS)
        {
            systems.put(system, () -> mix(system, ops));
        }
        final Map<String, Map<String, String>> rows = harness.rounds("W9b", systems, row -> num(row, "rate"));
        final Table table = new Table("system", "operations/s, all processes", "CPU (s)", "shm / this, paired");
        rows.forEach((system, row) -> table.row(system, String.format("%.0f", num(row, "rate")), cpu(row),
            harness.paired("shm-map", system, run -> num(run, "rate"), false)));
        table.note("W9b: " + MIXERS + " processes on 2 cores; the rate is all their operations over the longest " +
            "one's timed span. Ratios above 1 mean shm is faster; goal >= 1.0x Chronicle Map." + harness.probesNote());
        harness.report().append(table.markdown()).append('\n');
    }

    private void growth(final long target) throws Exception
    {
        final Map<String, Measurement> systems = new LinkedHashMap<>();
        for (final String system : List.of("shm-map", "lmdb"))
        {
            systems.put(system, () -> grow(system, target));
        }
        final Map<String, Map<String, String>> rows = harness.rounds("W9c", systems, row -> num(row, "ns"));
        final Table table = new Table("system", "time to grow (ms)", "puts/s", "reader p50 (ns)", "reader p99 (ns)",
            "reader max (us)");
        rows.forEach((system, row) -> table.row(system, String.format("%.0f", num(row, "ns") / 1e6),
            String.format("%.0f", num(row, "count") / (num(row, "ns") / 1e9)), row.get("p50"), row.get("p99"),
            String.format("%.1f", num(row, "max") / 1e3)));
        table.note("W9c: from 1000 to " + target + " entries, one put at a time, while another process gets. " +
            "Chronicle Map is left out: it is sized for its entries when made." + harness.probesNote());
        harness.report().append(table.markdown()).append('\n');
    }

    private Map<String, String> pair(final String system, final long ops) throws Exception
    {
        return withRun(system, (name, control) ->
        {
            load(system, name);
            try (JvmProcess writer = start("put", system, name, KEYS, ops);
                 JvmProcess reader = start("get", system, name, KEYS, ops))
            {
                final Map<String, String> put = finish(writer);
                final Map<String, String> get = finish(reader);
                final Map<String, String> row = new LinkedHashMap<>();
                for (final String field : List.of("p50", "p99", "max"))
                {
                    row.put("get_" + field, get.get(field));
                    row.put("put_" + field, put.get(field));
                }
                row.put("get_rate", Double.toString(num(get, "count") / (num(get, "ns") / 1e9)));
                row.put("put_rate", Double.toString(num(put, "count") / (num(put, "ns") / 1e9)));
                return row;
            }
        });
    }

    private Map<String, String> mix(final String system, final long ops) throws Exception
    {
        return withRun(system, (name, control) ->
        {
            load(system, name);
            final List<JvmProcess> mixers = new ArrayList<>();
            try
            {
                for (int i = 0; i < MIXERS; i++)
                {
                    mixers.add(start("mix", system, name, KEYS, ops, MIXERS));
                }
                long count = 0;
                long longest = 0;
                long cpu = 0;
                for (final JvmProcess mixer : mixers)
                {
                    final Map<String, String> result = finish(mixer);
                    count += Long.parseLong(result.get("count"));
                    longest = Math.max(longest, Long.parseLong(result.get("ns")));
                    cpu += Long.parseLong(result.get("cpu_ns"));
                }
                return Map.of("rate", Double.toString(count / (longest / 1e9)), "cpu_ns", Long.toString(cpu));
            }
            finally
            {
                for (final JvmProcess mixer : mixers)
                {
                    mixer.close();
                }
            }
        });
    }

    private Map<String, String> grow(final String system, final long target) throws Exception
    {
        return withRun(system, (name, control) ->
        {
            load(system, name, 1_000, target);
            try (JvmProcess reader = start("grow-reader", system, name, 1_000, target);
                 JvmProcess writer = start("grow", system, name, 1_000, target))
            {
                final Map<String, String> grown = finish(writer);
                final Map<String, String> read = finish(reader);
                final Map<String, String> row = new LinkedHashMap<>(grown);
                row.put("p50", read.get("p50"));
                row.put("p99", read.get("p99"));
                row.put("max", read.get("max"));
                return row;
            }
        });
    }

    private interface Run
    {
        Map<String, String> run(String name, Segment control) throws Exception;
    }

    /**
     * Runs with a fresh map name and its control segment, and removes both after.
     */
    private Map<String, String> withRun(final String system, final Run run) throws Exception
    {
        final String name = "w9-" + ProcessHandle.current().pid() + "-" + runs++;
        try (Segment control = Segment.create(name + "-ctl", SegmentOptions.defaults().withSize(64 * 1024)))
        {
            for (final String flag : List.of("put-state", "get-state", "ready", "grown", "reader-ready"))
            {
                LongValue.openOrCreate(control, flag);
            }
            return run.run(name, control);
        }
        finally
        {
            Segment.unlink(name + "-ctl", SegmentOptions.defaults());
            MapStores.remove(name);
        }
    }

    private void load(final String system, final String name) throws Exception
    {
        load(system, name, KEYS, KEYS);
    }

    private void load(final String system, final String name, final long keys, final long entries) throws Exception
    {
        try (JvmProcess loader = start("load", system, name, keys, entries))
        {
            finish(loader);
        }
    }

    private static JvmProcess start(final String role, final String system, final String name, final long keys,
        final long ops, final int... processes)
    {
        final List<String> args = new ArrayList<>(List.of(role, system, name, Long.toString(keys), Long.toString(ops)));
        for (final int count : processes)
        {
            args.add(Integer.toString(count));
        }
        final List<String> jvmArgs = new ArrayList<>(List.of("-XX:+UseSerialGC", "-Xmx512m",
            "--add-opens=java.base/java.nio=ALL-UNNAMED"));
        // Every process runs with the same flags, whichever map it uses.
        jvmArgs.addAll(CHRONICLE_FLAGS);
        return JvmProcess.builder(MapChild.class).jvmArgs(jvmArgs.toArray(String[]::new)).args(args.toArray(String[]::new))
            .captureOutput().start();
    }

    private static Map<String, String> finish(final JvmProcess process) throws Exception
    {
        if (process.join(900, TimeUnit.SECONDS) != 0)
        {
            throw new IllegalStateException(process.output());
        }
        return Results.single(process.lines());
    }

    private Map<String, String> python(final long ops) throws Exception
    {
        final List<Map<String, String>> results = Results.parse(External.run(List.of("python3",
            harness.pythonPeers().toString(), "manager-dict", Integer.toString(KEYS), Long.toString(ops)), 900));
        final Map<String, String> row = new LinkedHashMap<>();
        for (final Map<String, String> result : results)
        {
            final String role = result.get("role");
            row.put(role + "_p50", result.get("p50"));
            row.put(role + "_p99", result.get("p99"));
            row.put(role + "_max", result.get("max"));
            row.put(role + "_rate", Double.toString(num(result, "count") / (num(result, "ns") / 1e9)));
        }
        return row;
    }

    private static double num(final Map<String, String> row, final String field)
    {
        final String value = row.get(field);
        return value == null ? Double.NaN : Double.parseDouble(value);
    }
}
