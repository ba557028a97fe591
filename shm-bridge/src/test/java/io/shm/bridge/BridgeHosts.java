package io.shm.bridge;

import io.shm.process.JvmProcess;
import io.shm.segment.Segment;
import io.shm.test.ChildArgs;
import io.shm.test.TestSegments;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two "hosts" on this machine for bridge tests: a segment each, and child JVMs that each run their
 * own media driver in a directory of their own, talking over loopback UDP. Closing removes the
 * segments and the drivers' directories.
 */
final class BridgeHosts implements AutoCloseable
{
    final TestSegments segments = new TestSegments();
    final Segment hostA;
    final Segment hostB;
    /** A unicast channel to a free loopback port. */
    final String channel;
    private final List<Path> drivers = new ArrayList<>();

    BridgeHosts() throws IOException
    {
        hostA = Segment.create(segments.name("hostA"), segments.options().withSize(4L << 20));
        hostB = Segment.create(segments.name("hostB"), segments.options().withSize(4L << 20));
        channel = "aeron:udp?endpoint=127.0.0.1:" + freePort();
    }

    /**
     * Starts {@code main} in a JVM with the bridge's flags and a media driver directory of its own,
     * with the arguments {@code (object, driver dir, channel)} after the segment.
     */
    JvmProcess host(final Class<?> main, final Segment segment, final String object, final String channel)
        throws IOException
    {
        final Path driver = Files.createTempDirectory(Path.of("/dev/shm"), "aeron-bridge-test-");
        drivers.add(driver);
        return ChildArgs.child(main, segments, segment.name(), object, driver.toString(), channel)
            .jvmArgs(BridgeRuntime.JVM_FLAGS.toArray(String[]::new)).start();
    }

    static int freePort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }

    /**
     * @return the messages a receiving bridge reported missed, from its "gap FROM..TO" lines.
     */
    static long gaps(final String output)
    {
        long total = 0;
        final Matcher gap = Pattern.compile("gap (\\d+)\\.\\.(\\d+)").matcher(output);
        while (gap.find())
        {
            total += Long.parseLong(gap.group(2)) - Long.parseLong(gap.group(1)) + 1;
        }
        return total;
    }

    @Override
    public void close() throws IOException
    {
        hostA.close();
        hostB.close();
        segments.close();
        for (final Path driver : drivers)
        {
            try (var files = Files.walk(driver))
            {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
            catch (final NoSuchFileException gone)
            {
                continue;
            }
        }
    }
}
