package io.shm.perf.xproc;

import io.shm.bridge.BridgeRuntime;
import io.shm.process.JvmProcess;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.shm.perf.xproc.HarnessRun.*;

/**
 * W13, bridges between hosts: shm → Aeron → shm against raw Aeron UDP over loopback, each "host" a
 * JVM with its own media driver (SHARED, back-off idle) and one busy application thread; round
 * trip (ping/pong) and throughput of 32-byte messages.
 */
final class BridgeWorkloads
{
    private static final String[] SYSTEMS = {"shm-bridge", "shm-bridge-channel", "aeron-raw"};

    private final HarnessRun harness;

    BridgeWorkloads(final HarnessRun harness)
    {
        this.harness = harness;
    }

    void bridges() throws Exception
    {
        final long roundTrips = harness.quick() ? 20_000 : 100_000;
        final long messages = harness.quick() ? 2_000_000 : 10_000_000;
        harness.section("W13 bridge", "two JVMs, each with its own media driver, over 127.0.0.1 UDP; the ping side " +
            "pinned to CPU 0, the pong side to CPU 1; one busy thread per JVM runs the application, Aeron's driver and " +
            "client (INVOKER threading) and, for shm-bridge, the bridges; 32-byte messages. shm-bridge: " +
            "the application sends into a broadcast, BridgeOut offers it to Aeron, the far BridgeIn sends it into a " +
            "broadcast the far application reads; shm-bridge-channel: the same over one-to-one channels (the " +
            "bridges number the channel's messages themselves); aeron-raw: " +
            "the application offers to and polls Aeron directly. Round trip: " + roundTrips + " after as many warm-up; " +
            "throughput: " + messages + " messages flat out, timed at the subscriber from its first message");
        final Map<String, Measurement> latency = new LinkedHashMap<>();
        final Map<String, Measurement> throughput = new LinkedHashMap<>();
        for (final String system : SYSTEMS)
        {
            latency.put(system, () -> pingPong(system, roundTrips));
            throughput.put(system, () -> stream(system, messages));
        }
        final Table rtt = new Table("system", "p50 (us)", "p99 (us)", "p99.9 (us)", "this / aeron-raw, paired");
        harness.rounds("W13a", latency, row -> Double.parseDouble(row.get("p50"))).forEach((system, row) ->
            rtt.row(system, Table.micros(Double.parseDouble(row.get("p50"))), Table.micros(Double.parseDouble(row.get("p99"))),
                Table.micros(Double.parseDouble(row.get("p999"))),
                harness.paired(system, "aeron-raw", r -> Double.parseDouble(r.get("p50")), false)));
        rtt.note("W13a: round trip; goal: each bridge within 1.3x raw Aeron's p50." + harness.probesNote());
        harness.report().append(rtt.markdown()).append('\n');
        final Table rate = new Table("system", "M msg/s", "this / aeron-raw, paired");
        harness.rounds("W13b", throughput, BridgeWorkloads::rate).forEach((system, row) ->
            rate.row(system, String.format("%.2f", rate(row) / 1e6), harness.paired(system, "aeron-raw",
                BridgeWorkloads::rate, false)));
        rate.note("W13b: throughput; goal: each bridge at least 0.8x raw Aeron's." + harness.probesNote());
        harness.report().append(rate.markdown()).append('\n');
    }

    private static double rate(final Map<String, String> row)
    {
        return Double.parseDouble(row.get("count")) / (Double.parseDouble(row.get("ns")) / 1e9);
    }

    private Map<String, String> pingPong(final String system, final long roundTrips) throws Exception
    {
        final String toPong = "aeron:udp?endpoint=127.0.0.1:" + freePort();
        final String toPing = "aeron:udp?endpoint=127.0.0.1:" + freePort();
        final List<Path> drivers = new ArrayList<>();
        try (JvmProcess pong = start(1, drivers, "pong", system, toPong, toPing);
             JvmProcess ping = start(0, drivers, "ping", system, toPong, toPing, Long.toString(roundTrips),
                 Long.toString(roundTrips)))
        {
            awaitBoth(ping, pong);
            return Results.single(ping.lines());
        }
        finally
        {
            delete(drivers);
        }
    }

    private Map<String, String> stream(final String system, final long messages) throws Exception
    {
        final String channel = "aeron:udp?endpoint=127.0.0.1:" + freePort();
        final List<Path> drivers = new ArrayList<>();
        try (JvmProcess sub = start(1, drivers, "sub", system, channel, Long.toString(messages));
             JvmProcess pub = start(0, drivers, "pub", system, channel, Long.toString(messages)))
        {
            awaitBoth(sub, pub);
            return Results.single(sub.lines());
        }
        finally
        {
            delete(drivers);
        }
    }

    private static JvmProcess start(final int cpu, final List<Path> drivers, final String role, final String system,
        final String... rest) throws Exception
    {
        final Path driver = Files.createTempDirectory(Path.of("/dev/shm"), "aeron-perf-");
        drivers.add(driver);
        final List<String> args = new ArrayList<>(List.of(role, system, driver.toString()));
        args.addAll(List.of(rest));
        final List<String> jvmArgs = new ArrayList<>(List.of("-XX:+UseSerialGC", "-Xmx256m"));
        jvmArgs.addAll(BridgeRuntime.JVM_FLAGS);
        final JvmProcess process = JvmProcess.builder(BridgeChild.class).jvmArgs(jvmArgs.toArray(String[]::new))
            .pinnedTo(cpu).args(args.toArray(String[]::new)).captureOutput().start();
        process.awaitOutput(line -> line.equals("ready") || line.startsWith("Exception"), 60, TimeUnit.SECONDS);
        return process;
    }

    private static int freePort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }

    private static void delete(final List<Path> directories) throws IOException
    {
        for (final Path directory : directories)
        {
            if (Files.exists(directory))
            {
                try (Stream<Path> files = Files.walk(directory))
                {
                    files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
        }
    }
}
