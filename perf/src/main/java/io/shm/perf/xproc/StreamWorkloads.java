package io.shm.perf.xproc;

import io.shm.perf.report.Svg;
import io.shm.process.JvmProcess;

import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.shm.perf.xproc.HarnessRun.*;

/**
 * Throughput workloads: W3 (a stream of small messages) and W4 (the tutorial's FloatChannel),
 * each in separate rounds and interleaved in one pair of processes.
 */
final class StreamWorkloads
{
    private final HarnessRun harness;

    StreamWorkloads(final HarnessRun harness)
    {
        this.harness = harness;
    }

    /**
     * W3: a stream of 32-byte messages, sequence checked; median of {@value HarnessRun#HarnessRun.ROUNDS} runs.
     */
    void throughput() throws Exception
    {
        final long messages = harness.quick() ? 2_000_000 : 20_000_000;
        final long warmUp = messages / 10;
        harness.section("W3 SPSC throughput", messages + " messages of 32 bytes (sequence number + padding), the receiver " +
            "checks the sequence; median of " + HarnessRun.ROUNDS + " runs, timed by the receiver from the end of " +
            warmUp + " untimed warm-up messages (a tenth of the count for Chronicle Queue; none for the compiled C ring) " +
            "to its last message");
        final Table table = new Table("system", "messages/s (millions)", "MB/s", "CPU (s)", "shm / this, paired");
        final Map<String, Double> rates = new LinkedHashMap<>();
        final Map<String, String> cpus = new LinkedHashMap<>();
        final Map<String, Measurement> systems = new LinkedHashMap<>();
        for (final String system : new String[] {"shm-spin", "shm-spin-batch", "shm", "agrona-spin", "chronicle", "c-spsc"})
        {
            systems.put(system, () -> system.startsWith("c-") ?
                Results.single(External.run(List.of(harness.shmref().toString(), "spsc-throughput", Long.toString(messages)), 600)) :
                system.equals("chronicle") ? stream(system, messages / 5, warmUp / 5) : stream(system, messages, warmUp));
        }
        harness.rounds("W3", systems, StreamWorkloads::rate).forEach((system, median) ->
        {
            rates.put(system, rate(median));
            cpus.put(system, cpu(median));
        });
        final Map<String, Double> plot = Svg.series();
        rates.forEach((system, rate) ->
        {
            table.row(describe(system), String.format("%.2f", rate / 1e6), String.format("%.0f", rate * 32 / 1e6),
                cpus.get(system), harness.paired("shm-spin", system, StreamWorkloads::rate, false));
            plot.put(describe(system).replace("`", ""), rate / 1e6);
        });
        table.note("Ratios are of throughput: above 1 means shm is faster. Chronicle Queue streams a fifth of the messages. " +
            "CPU is that of both processes of the median round. " + PAIRED_NOTE + harness.probesNote());
        Files.writeString(harness.plots().resolve("w3-throughput.svg"), Svg.bars("W3 throughput", "million messages/s", plot));
        harness.report().append(table.markdown()).append("\n![W3 throughput](w3-throughput.svg)\n\n");
        final int perBatch = harness.quick() ? 500_000 : 2_000_000;
        interleavedSection("W3", new String[] {"shm-spin", "shm"}, "agrona-spin", harness.quick() ? 4 : 10, perBatch, perBatch,
            ThroughputChild.CAPACITY, "messages", "The same, interleaved in one pair of processes");
    }

    private static double rate(final Map<String, String> result)
    {
        return Double.parseDouble(result.get("count")) / (Double.parseDouble(result.get("ns")) / 1e9);
    }

    private Map<String, String> stream(final String system, final long messages, final long warmUp) throws Exception
    {
        final String name = "shm-perf-w3-" + ProcessHandle.current().pid();
        final File[] files = Transport.prepare(system, name, 256 * 1024);
        try (JvmProcess receiver = child(ThroughputChild.class, 1, system, "receive", name, Long.toString(messages),
            Long.toString(warmUp));
            JvmProcess sender = child(ThroughputChild.class, 0, system, "send", name, Long.toString(messages),
                Long.toString(warmUp)))
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
    void floatChannel() throws Exception
    {
        final int messages = harness.quick() ? 200 : 1000;
        final int warmUp = harness.quick() ? 200 : 500;
        final int length = 100_000;
        final int pythonMessages = harness.quick() ? 20 : 100;
        harness.section("W4 FloatChannel", messages + " sends of an array of " + length + " doubles (800 KB); the receiver copies " +
            "each into a double[] (the tutorial's Python: " + pythonMessages + " sends, scaled to " + messages +
            "); time from the first timed send to the last copy, from a cold start and after " + warmUp +
            " untimed sends (the JIT compiles the Java systems' paths while a short cold run lasts); median of " + HarnessRun.ROUNDS +
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
        harness.rounds("W4", systems, StreamWorkloads::seconds).forEach((system, median) ->
        {
            seconds.put(system, Double.parseDouble(median.get("seconds")));
            cpus.put(system, cpu(median));
        });
        if (harness.pythonPeers() != null)
        {
            progress("W4 python floatchannel");
            final Map<String, String> tutorial = Results.single(External.run(List.of("python3", harness.pythonPeers().toString(),
                "floatchannel", Integer.toString(pythonMessages), Integer.toString(length)), 600));
            seconds.put("python-floatchannel" + COLD, Double.parseDouble(tutorial.get("ns")) / 1e9 * messages / pythonMessages);
            cpus.put("python-floatchannel" + COLD, cpu(tutorial) + " (for " + pythonMessages + ")");
            try
            {
                progress("W4 python floatchannel with numpy");
                final Map<String, String> numpy = Results.single(External.run(List.of("python3",
                    harness.pythonPeers().toString(), "floatchannel-numpy", Integer.toString(messages), Integer.toString(length)), 600));
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
                harness.measured(key) ? harness.paired("shm" + COLD, key, StreamWorkloads::seconds, true) : Table.ratio(cold, oursCold),
                warm != null ? harness.paired("shm" + WARM, system + WARM, StreamWorkloads::seconds, true) : Table.ratio(best, oursWarm));
            plot.put(describe(system).replace("`", ""), bytes / best / 1e9);
        });
        table.note("Ratios are of speed (their time / our time): above 1 means shm is faster. " +
            "`shm` uses an 8 MiB ring (one record per array); `shm`, fragmented a 256 KiB ring (each array in fragments). " +
            "The C byte ring's writer copies with glibc's memcpy (which writes whole lines without first reading them) " +
            "or, in the plain rows, with ordinary stores as a JIT-compiled copy does; through a ring that small, " +
            "ordinary stores find the lines in the reader's cache and must take them back first. " +
            "Fragmented shm against Agrona: " +
            harness.paired("shm-fragmented" + COLD, "agrona-claim" + COLD, StreamWorkloads::seconds, true) + " cold, " +
            harness.paired("shm-fragmented" + WARM, "agrona-claim" + WARM, StreamWorkloads::seconds, true) + " warm; " +
            "the C byte ring of 256 KiB against Agrona (the same small ring in C, for the floor it sets): " +
            harness.paired("c-byte-ring-256k" + WARM, "agrona-claim" + WARM, StreamWorkloads::seconds, true) + " with memcpy, " +
            harness.paired("c-byte-ring-256k-plain" + WARM, "agrona-claim" + WARM, StreamWorkloads::seconds, true) + " with plain stores; " +
            "fragmented shm against that C ring: " +
            harness.paired("shm-fragmented" + WARM, "c-byte-ring-256k" + WARM, StreamWorkloads::seconds, true) + " (memcpy), " +
            harness.paired("shm-fragmented" + WARM, "c-byte-ring-256k-plain" + WARM, StreamWorkloads::seconds, true) + " (plain stores). " +
            "CPU is that of both processes of the median warm round, warm-up included. " + PAIRED_NOTE + harness.probesNote());
        Files.writeString(harness.plots().resolve("w4-floatchannel.svg"), Svg.bars("W4 FloatChannel, warm", "GB/s", plot));
        harness.report().append(table.markdown()).append("\n![W4 FloatChannel](w4-floatchannel.svg)\n\n");
        interleavedSection("W4", new String[] {"shm", "shm-fragmented"}, "agrona-claim", harness.quick() ? 4 : 15, harness.quick() ? 20 : 50,
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
        harness.report().append(heading).append(":\n\n").append(table.markdown()).append('\n');
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
        final Map<String, String> ring = new LinkedHashMap<>(Results.single(External.run(List.of(harness.shmref().toString(),
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
}
