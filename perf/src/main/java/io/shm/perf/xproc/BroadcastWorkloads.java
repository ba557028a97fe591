package io.shm.perf.xproc;

import io.shm.perf.report.Svg;
import io.shm.process.JvmProcess;

import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.shm.perf.xproc.HarnessRun.*;

/**
 * W10: one sender, one or two receivers, each a process ({@link BroadcastChild}): shm's lossy and
 * back-pressured broadcast against Agrona's broadcast buffer (lossy), one-way latency of a paced
 * stream and throughput of a flat-out one.
 */
final class BroadcastWorkloads
{
    private static final String[] SYSTEMS = {"shm-lossy", "shm-lossy-newest", "shm-back-pressured", "agrona-broadcast"};
    private static final String[] LATENCY_SYSTEMS =
        {"shm-lossy", "shm-back-pressured", "agrona-broadcast", "agrona-broadcast-spin"};
    private static final int GAP_MICROS = 50;

    private final HarnessRun harness;

    BroadcastWorkloads(final HarnessRun harness)
    {
        this.harness = harness;
    }

    void broadcast() throws Exception
    {
        final int latencyMessages = harness.quick() ? 10_000 : 50_000;
        final int throughputMessages = harness.quick() ? 2_000_000 : 10_000_000;
        harness.section("W10 broadcast", "one sender, 1 or 2 receivers, each a process; 32-byte messages (send time, " +
            "sequence); a ring of " + BroadcastChild.CAPACITY / 1024 + " KiB. The sender is pinned to CPU 0, every " +
            "receiver to CPU 1 (two receivers share it). Latency: a message every " + GAP_MICROS + " µs, " +
            latencyMessages + " after as many warm-up, receivers waiting as their system waits (shm: spin, then sleep; " +
            "Agrona: BackoffIdleStrategy, or busy-spinning), one-way latency of the slower receiver. Throughput: " + throughputMessages +
            " messages flat out after a tenth as many warm-up, receivers waiting as above when they find nothing; " +
            "messages per second of the " +
            "slower receiver, and what the lossy forms lost");
        final Map<String, Measurement> latency = new LinkedHashMap<>();
        final Map<String, Measurement> throughput = new LinkedHashMap<>();
        for (final int receivers : new int[] {1, 2})
        {
            for (final String system : LATENCY_SYSTEMS)
            {
                latency.put(system + "/" + receivers, () -> run(system, receivers, "latency", latencyMessages,
                    latencyMessages));
            }
            for (final String system : SYSTEMS)
            {
                throughput.put(system + "/" + receivers, () -> run(system, receivers, "throughput", throughputMessages,
                    throughputMessages / 10));
            }
        }
        final Table latencyTable = new Table("system", "receivers", "p50 (ns)", "p99 (ns)", "p99.9 (ns)", "max (ns)",
            "lost", "Agrona p50 / this p50, paired");
        final Map<String, double[]> latencyPlot = Svg.series();
        harness.rounds("W10", latency, row -> Double.parseDouble(row.get("p50"))).forEach((key, row) ->
        {
            final String[] parts = key.split("/");
            latencyPlot.put(describe(parts[0]) + ", " + parts[1], new double[] {Double.parseDouble(row.get("p50")),
                Double.parseDouble(row.get("p99")), Double.parseDouble(row.get("p999")), Double.parseDouble(row.get("max"))});
            latencyTable.row(describe(parts[0]), parts[1], row.get("p50"), row.get("p99"), row.get("p999"), row.get("max"),
                row.get("lost"), harness.paired("agrona-broadcast/" + parts[1], key,
                    run -> Double.parseDouble(run.get("p50")), false));
        });
        latencyTable.note("Median of " + HarnessRun.ROUNDS + " rounds (by p50), the systems measured in turn; each " +
            "figure is the slower receiver's. " + PAIRED_NOTE + harness.probesNote());
        Files.writeString(harness.plots().resolve("w10-latency.svg"),
            Svg.latency("W10 broadcast one-way latency by percentile", List.of("50", "99", "99.9", "max"), latencyPlot));
        harness.report().append(latencyTable.markdown()).append("\n![W10 latency](w10-latency.svg)\n\n");
        final Table throughputTable = new Table("system", "receivers", "M msg/s", "lost (share)", "this / Agrona, paired");
        final Map<String, Double> throughputPlot = Svg.series();
        harness.rounds("W10", throughput, BroadcastWorkloads::rate).forEach((key, row) ->
        {
            final String[] parts = key.split("/");
            throughputPlot.put(describe(parts[0]) + ", " + parts[1], rate(row) / 1e6);
            throughputTable.row(describe(parts[0]), parts[1], String.format("%.1f", rate(row) / 1e6),
                String.format("%.4f", Double.parseDouble(row.get("lost_share"))),
                harness.paired(key, "agrona-broadcast/" + parts[1], BroadcastWorkloads::rate, false));
        });
        throughputTable.note("Median of " + HarnessRun.ROUNDS + " rounds (by rate), the systems measured in turn; " +
            "the rate counts the messages the slower receiver got, over its time from the first measured message to " +
            "the last. A lossy receiver that falls a ring behind loses messages (shm goes on from the oldest the ring " +
            "holds, Agrona from the newest, and so does shm-lossy-newest). " + PAIRED_NOTE + harness.probesNote());
        Files.writeString(harness.plots().resolve("w10-throughput.svg"),
            Svg.bars("W10 broadcast throughput (slower receiver)", "M msg/s", throughputPlot));
        harness.report().append(throughputTable.markdown()).append("\n![W10 throughput](w10-throughput.svg)\n\n");
    }

    private static double rate(final Map<String, String> row)
    {
        return Double.parseDouble(row.get("rate"));
    }

    private Map<String, String> run(final String system, final int receivers, final String mode, final int messages,
        final int warmUp) throws Exception
    {
        final String name = "shm-perf-bc-" + ProcessHandle.current().pid();
        final File file = BroadcastChild.prepare(system, name);
        final String[] args = {system, null, name, mode, Integer.toString(messages), Integer.toString(warmUp),
            Integer.toString(GAP_MICROS)};
        final List<JvmProcess> readers = new ArrayList<>();
        try
        {
            for (int i = 0; i < receivers; i++)
            {
                final JvmProcess reader = child(BroadcastChild.class, 1, with(args, 1, "receive"));
                readers.add(reader);
                reader.awaitOutput(line -> line.equals("ready"), 60, TimeUnit.SECONDS);
            }
            try (JvmProcess sender = child(BroadcastChild.class, 0, with(args, 1, "send")))
            {
                for (final JvmProcess reader : readers)
                {
                    awaitBoth(reader, sender);
                }
                return combine(mode, readers);
            }
        }
        finally
        {
            readers.forEach(JvmProcess::close);
            Transport.remove(new File[] {file});
        }
    }

    /**
     * @return the slower receiver's figures: the higher percentiles, or the lower rate; losses summed.
     */
    private static Map<String, String> combine(final String mode, final List<JvmProcess> readers)
    {
        final Map<String, String> row = new LinkedHashMap<>();
        long lost = 0;
        double lostShare = 0;
        double slowest = Double.MAX_VALUE;
        for (final JvmProcess reader : readers)
        {
            final Map<String, String> result = Results.single(reader.lines());
            lost += Long.parseLong(result.get("lost"));
            if (mode.equals("latency"))
            {
                for (final String key : new String[] {"p50", "p99", "p999", "max"})
                {
                    row.merge(key, result.get(key), (a, b) -> Long.parseLong(a) >= Long.parseLong(b) ? a : b);
                }
            }
            else
            {
                final long count = Long.parseLong(result.get("count"));
                slowest = Math.min(slowest, count * 1e9 / Long.parseLong(result.get("ns")));
                lostShare = Math.max(lostShare, (double)Long.parseLong(result.get("lost")) / (count +
                    Long.parseLong(result.get("lost"))));
            }
        }
        row.put("lost", Long.toString(lost));
        if (!mode.equals("latency"))
        {
            row.put("rate", Double.toString(slowest));
            row.put("lost_share", Double.toString(lostShare));
        }
        return row;
    }
}
