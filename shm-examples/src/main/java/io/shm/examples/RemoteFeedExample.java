package io.shm.examples;

import io.shm.bridge.AeronHost;
import io.shm.bridge.BridgeIn;
import io.shm.bridge.BridgeOut;
import io.shm.bridge.BridgeRuntime;
import io.shm.broadcast.Broadcast;
import io.shm.broadcast.BroadcastOptions;
import io.shm.broadcast.BroadcastReceiver;
import io.shm.broadcast.BroadcastSender;
import io.shm.exceptions.ChannelClosedException;
import io.shm.journal.Journal;
import io.shm.journal.JournalReader;
import io.shm.journal.JournalRuntime;
import io.shm.journal.Recorder;
import io.shm.process.JvmProcess;
import io.shm.segment.Segment;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A feed on one "host" read on another (not in Python's tutorial): two hosts on this machine, each
 * with its own segment and its own Aeron media driver, joined over loopback UDP. Host A's feed of
 * 1,000 ticks is forwarded by a {@link BridgeOut} to host B, whose {@link BridgeIn} delivers it
 * into a local broadcast; there a {@link Recorder} journals it, reader 1 reads it live from the
 * start, and reader 2 starts after half the ticks went by and replays them from the journal before
 * it goes on live: both get all 1,000, once each, in order.
 */
public final class RemoteFeedExample
{
    static final int TICKS = 1000;
    static final int STREAM = 1001;
    private static final BroadcastOptions FEED = BroadcastOptions.defaults().withCapacity(64 * 1024).withBackPressure(true);

    private RemoteFeedExample()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path scratch = Files.createTempDirectory("remote-feed-");
        final Segment hostA = Example.newSegment("remote-feed-a");
        final Segment hostB = Example.newSegment("remote-feed-b");
        final List<JvmProcess> children = new ArrayList<>();
        try
        {
            final Broadcast feed = Broadcast.create(hostA, "ticks", FEED);
            final Broadcast delivered = Broadcast.create(hostB, "ticks", FEED);
            final String channel = "aeron:udp?endpoint=127.0.0.1:" + freePort();
            final String journal = scratch.resolve("journal").toString();
            start(children, HostB.class, hostB.name(), scratch.resolve("aeron-b").toString(), channel);
            await(() -> hostB.contains("ticks.bridged"), "host B's bridge");
            start(children, Record.class, hostB.name(), journal);
            await(() -> delivered.receivers() >= 1, "the recorder");
            start(children, ReadLive.class, hostB.name());
            await(() -> delivered.receivers() >= 2, "reader 1");
            start(children, HostA.class, hostA.name(), scratch.resolve("aeron-a").toString(), channel);
            await(() -> feed.receivers() >= 1, "host A's bridge");
            try (BroadcastSender sender = feed.sender())
            {
                send(sender, 0, TICKS / 2);
                System.out.println("host A sent ticks 0 to " + (TICKS / 2 - 1));
                start(children, ReadLate.class, hostB.name(), journal);
                await(() -> delivered.receivers() >= 3, "reader 2");
                send(sender, TICKS / 2, TICKS);
                System.out.println("host A sent ticks " + TICKS / 2 + " to " + (TICKS - 1) + " and closes its feed");
            }
            for (final JvmProcess child : children)
            {
                if (child.name().startsWith("reader") || child.name().equals("recorder"))
                {
                    Example.join(child);
                }
            }
        }
        finally
        {
            for (final JvmProcess child : children)
            {
                child.close();
            }
            Example.remove(hostA);
            Example.remove(hostB);
            try (Stream<Path> files = Files.walk(scratch))
            {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static JvmProcess start(final List<JvmProcess> children, final Class<?> main, final String... args)
    {
        final List<String> flags = new ArrayList<>(BridgeRuntime.JVM_FLAGS);
        flags.addAll(JournalRuntime.JVM_FLAGS);
        final String name = main == HostA.class ? "host-a" : main == HostB.class ? "host-b" : main == Record.class ?
            "recorder" : main == ReadLive.class ? "reader-1" : "reader-2";
        final JvmProcess child = JvmProcess.builder(main).name(name).jvmArgs(flags.toArray(String[]::new)).args(args)
            .start();
        children.add(child);
        return child;
    }

    private static void await(final java.util.function.BooleanSupplier ready, final String what)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!ready.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException(what + " did not start within 60 s");
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    private static void send(final BroadcastSender sender, final long from, final long to) throws InterruptedException
    {
        final UnsafeBuffer tick = new UnsafeBuffer(new byte[Long.BYTES]);
        for (long i = from; i < to; i++)
        {
            tick.putLong(0, i);
            sender.send(tick, 0, Long.BYTES);
        }
    }

    private static int freePort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }

    /**
     * Host A's bridge: its own media driver, forwarding the feed: {@code (segment, driver dir, channel)}.
     */
    public static final class HostA
    {
        public static void main(final String[] args) throws Exception
        {
            try (Segment segment = Example.openSegment(args[0]);
                 AeronHost aeron = AeronHost.launch(Path.of(args[1]));
                 BridgeOut bridge = BridgeOut.start(Broadcast.open(segment, "ticks"), aeron.aeron(), args[2], STREAM))
            {
                System.out.println("host A: forwarding its feed on " + args[2]);
                bridge.run(() -> false);
                // Stay until stopped: Aeron keeps what host B has not yet taken.
                Thread.sleep(Long.MAX_VALUE);
            }
        }
    }

    /**
     * Host B's bridge: its own media driver, delivering into its feed: {@code (segment, driver dir, channel)}.
     */
    public static final class HostB
    {
        public static void main(final String[] args) throws Exception
        {
            try (Segment segment = Example.openSegment(args[0]);
                 AeronHost aeron = AeronHost.launch(Path.of(args[1]));
                 BridgeIn bridge = BridgeIn.start(aeron.aeron(), args[2], STREAM, Broadcast.open(segment, "ticks"),
                     new BridgeIn.Listener() { }))
            {
                System.out.println("host B: delivering what comes on " + args[2]);
                bridge.run(() -> false);
                Thread.sleep(Long.MAX_VALUE);
            }
        }
    }

    /**
     * Host B's recorder: journals host B's feed: {@code (segment, journal dir)}.
     */
    public static final class Record
    {
        public static void main(final String[] args) throws Exception
        {
            try (Segment segment = Example.openSegment(args[0]);
                 Journal journal = Journal.open(Path.of(args[1]));
                 Recorder recorder = Recorder.start(Broadcast.open(segment, "ticks"), journal))
            {
                System.out.println("recorder: journaling host B's feed");
                recorder.run(() -> false);
                System.out.println("recorder: " + recorder.recorded() + " ticks journaled, " + recorder.missed() + " missed");
            }
        }
    }

    /**
     * Reader 1, on host B from the start: {@code (segment)}.
     */
    public static final class ReadLive
    {
        public static void main(final String[] args) throws Exception
        {
            try (Segment segment = Example.openSegment(args[0]);
                 BroadcastReceiver receiver = Broadcast.open(segment, "ticks").receiver(BroadcastReceiver.Start.OLDEST))
            {
                System.out.println("reader-1 joined host B's feed");
                long count = 0;
                long sum = 0;
                final byte[] tick = new byte[Long.BYTES];
                try
                {
                    while (true)
                    {
                        receiver.receive(tick);
                        sum += new UnsafeBuffer(tick).getLong(0);
                        count++;
                    }
                }
                catch (final ChannelClosedException end)
                {
                    System.out.println("reader-1 (live): " + count + " ticks, sum " + sum);
                }
            }
        }
    }

    /**
     * Reader 2, joining late: replays host B's journal, then goes on live: {@code (segment, journal dir)}.
     */
    public static final class ReadLate
    {
        public static void main(final String[] args) throws Exception
        {
            try (Segment segment = Example.openSegment(args[0]);
                 Journal journal = Journal.open(Path.of(args[1]));
                 JournalReader reader = JournalReader.fromSequence(journal, Broadcast.open(segment, "ticks"), 0))
            {
                System.out.println("reader-2 joined late");
                final long[] counts = new long[3];
                while (counts[0] < TICKS)
                {
                    if (reader.poll((sequence, buffer, offset, length) ->
                    {
                        counts[0]++;
                        counts[1] += buffer.getLong(offset);
                        counts[2] += reader.isLive() ? 0 : 1;
                    }, 100) == 0)
                    {
                        TimeUnit.MILLISECONDS.sleep(1);
                    }
                }
                System.out.println("reader-2 (joined late, " + counts[2] + " replayed from the journal, then live): " +
                    counts[0] + " ticks, sum " + counts[1] + ", gaps " + reader.gapMessages());
            }
        }
    }
}
