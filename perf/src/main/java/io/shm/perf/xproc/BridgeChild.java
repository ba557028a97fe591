package io.shm.perf.xproc;

import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.shm.bridge.AeronHost;
import io.shm.bridge.BridgeIn;
import io.shm.bridge.BridgeOut;
import io.shm.broadcast.Broadcast;
import io.shm.broadcast.BroadcastOptions;
import io.shm.broadcast.BroadcastReceiver;
import io.shm.broadcast.BroadcastSender;
import io.shm.channel.Channel;
import io.shm.channel.ChannelOptions;
import io.shm.channel.ChannelReceiver;
import io.shm.channel.ChannelSender;
import io.shm.channel.MessageHandler;
import io.shm.segment.Segment;
import io.shm.segment.SegmentOptions;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;

/**
 * One "host" of workload W13, a JVM with its own media driver: raw Aeron against the shm bridge
 * (broadcast, BridgeOut, Aeron, BridgeIn, broadcast; or the same over one-to-one channels), with one busy thread per process either way:
 * Aeron's driver and client run in it ({@link AeronHost#launchInvoked}), and so do the bridges'
 * {@code doWork}, so both systems have the same threads on a two-CPU machine.
 * <ul>
 *     <li>{@code ping SYSTEM DRIVER OUT IN COUNT WARMUP}: sends a 32-byte message with its send time
 *     on OUT, waits for its echo on IN, records the round trip.</li>
 *     <li>{@code pong SYSTEM DRIVER IN OUT}: echoes IN onto OUT until the end marker.</li>
 *     <li>{@code pub SYSTEM DRIVER OUT COUNT} / {@code sub SYSTEM DRIVER IN COUNT}: throughput, timed
 *     at the subscriber from its first message.</li>
 * </ul>
 */
public final class BridgeChild
{
    static final int STREAM = 1001;
    private static final int LENGTH = 32;
    private static final BroadcastOptions RING = BroadcastOptions.defaults().withCapacity(1 << 20).withBackPressure(true);
    private static final ChannelOptions CHANNEL = ChannelOptions.defaults().withCapacity(1 << 20).withMaxMessageLength(LENGTH);

    private BridgeChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final String role = args[0];
        final boolean bridged = args[1].startsWith("shm-bridge");
        // One thread per process does everything: the application, the bridges and Aeron.
        try (AeronHost host = AeronHost.launchInvoked(Path.of(args[2])))
        {
            final Endpoint endpoint = bridged ? new Bridged(host, args[1].equals("shm-bridge-channel")) : new Raw(host);
            switch (role)
            {
                case "ping" -> ping(endpoint, args[3], args[4], Long.parseLong(args[5]), Long.parseLong(args[6]), args[1]);
                case "pong" -> pong(endpoint, args[3], args[4]);
                case "pub" -> publish(endpoint, args[3], Long.parseLong(args[4]));
                default -> subscribe(endpoint, args[3], Long.parseLong(args[4]), args[1]);
            }
            endpoint.close();
        }
    }

    private static void ping(final Endpoint endpoint, final String out, final String in, final long count,
        final long warmUp, final String system)
    {
        endpoint.open(out, in);
        System.out.println("ready");
        endpoint.awaitConnected();
        final UnsafeBuffer message = new UnsafeBuffer(new byte[LENGTH]);
        final Histogram histogram = new Histogram(3);
        final long[] echoed = {0};
        final MessageHandler onEcho = (buffer, offset, length) -> echoed[0] = buffer.getLong(offset);
        for (long i = 0; i < warmUp + count; i++)
        {
            final long sent = System.nanoTime();
            message.putLong(0, sent);
            while (!endpoint.offer(message, LENGTH))
            {
                endpoint.duty();
            }
            echoed[0] = 0;
            while (echoed[0] != sent)
            {
                endpoint.duty();
                endpoint.poll(onEcho);
            }
            if (i >= warmUp)
            {
                histogram.recordValue(System.nanoTime() - sent);
            }
        }
        message.putLong(0, -1);
        while (!endpoint.offer(message, LENGTH))
        {
            endpoint.duty();
        }
        for (int i = 0; i < 1000; i++)
        {
            endpoint.duty();
        }
        System.out.println(Latency.resultLine(system, histogram));
    }

    private static void pong(final Endpoint endpoint, final String in, final String out)
    {
        endpoint.open(out, in);
        System.out.println("ready");
        endpoint.awaitConnected();
        final UnsafeBuffer echo = new UnsafeBuffer(new byte[LENGTH]);
        final boolean[] done = {false};
        final MessageHandler onPing = (buffer, offset, length) ->
        {
            buffer.getBytes(offset, echo, 0, LENGTH);
            done[0] = echo.getLong(0) == -1;
            while (!done[0] && !endpoint.offer(echo, LENGTH))
            {
                endpoint.duty();
            }
        };
        while (!done[0])
        {
            endpoint.duty();
            endpoint.poll(onPing);
        }
    }

    private static void publish(final Endpoint endpoint, final String out, final long count)
    {
        endpoint.open(out, null);
        System.out.println("ready");
        endpoint.awaitConnected();
        final UnsafeBuffer message = new UnsafeBuffer(new byte[LENGTH]);
        for (long i = 0; i <= count; i++)
        {
            message.putLong(0, i == count ? -1 : i);
            while (!endpoint.offer(message, LENGTH))
            {
                endpoint.duty();
            }
        }
        final long until = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < until)
        {
            endpoint.duty();
        }
    }

    private static void subscribe(final Endpoint endpoint, final String in, final long count, final String system)
    {
        endpoint.open(null, in);
        System.out.println("ready");
        endpoint.awaitConnected();
        final long[] state = {0, 0, 0};
        final MessageHandler onMessage = (buffer, offset, length) ->
        {
            if (state[0]++ == 0)
            {
                state[1] = System.nanoTime();
            }
            state[2] = buffer.getLong(offset);
        };
        while (state[2] != -1)
        {
            endpoint.duty();
            endpoint.poll(onMessage);
        }
        System.out.println(Results.line("system", system, "count", state[0] - 1, "ns", System.nanoTime() - state[1],
            "cpu_ns", Results.cpuNanos()));
    }

    /**
     * One side's way to send and receive.
     */
    private interface Endpoint extends AutoCloseable
    {
        void open(String out, String in);

        void awaitConnected();

        boolean offer(UnsafeBuffer message, int length);

        void poll(MessageHandler handler);

        void duty();

        @Override
        void close();
    }

    private static final class Raw implements Endpoint
    {
        private final AeronHost host;
        private ExclusivePublication publication;
        private Subscription subscription;
        private MessageHandler handler;
        private final FragmentHandler assembler = new FragmentAssembler(
            (buffer, offset, length, header) -> handler.onMessage(buffer, offset, length));

        Raw(final AeronHost host)
        {
            this.host = host;
        }

        @Override
        public void open(final String out, final String in)
        {
            publication = out == null ? null : host.aeron().addExclusivePublication(out, STREAM);
            subscription = in == null ? null : host.aeron().addSubscription(in, STREAM);
        }

        @Override
        public void awaitConnected()
        {
            while ((publication != null && !publication.isConnected()) || (subscription != null && !subscription.isConnected()))
            {
                duty();
            }
        }

        @Override
        public boolean offer(final UnsafeBuffer message, final int length)
        {
            return publication.offer(message, 0, length) > 0;
        }

        @Override
        public void poll(final MessageHandler handler)
        {
            this.handler = handler;
            subscription.poll(assembler, 1024);
        }

        @Override
        public void duty()
        {
            host.doWork();
        }

        @Override
        public void close()
        {
        }
    }

    /**
     * The bridged path over broadcasts, or over one-to-one channels.
     */
    private static final class Bridged implements Endpoint
    {
        private final AeronHost host;
        private final Segment segment;
        private final boolean channels;
        private BroadcastSender sender;
        private BroadcastReceiver receiver;
        private ChannelSender channelSender;
        private ChannelReceiver channelReceiver;
        private BridgeOut bridgeOut;
        private BridgeIn bridgeIn;

        Bridged(final AeronHost host, final boolean channels)
        {
            this.host = host;
            this.channels = channels;
            final String name = "shm-perf-bridge-" + ProcessHandle.current().pid();
            this.segment = Segment.create(name, SegmentOptions.defaults().withSize(4L << 20));
        }

        @Override
        public void open(final String out, final String in)
        {
            if (out != null)
            {
                if (channels)
                {
                    final Channel outbound = Channel.create(segment, "out", CHANNEL);
                    bridgeOut = BridgeOut.start(outbound, host.aeron(), out, STREAM);
                    channelSender = outbound.sender();
                }
                else
                {
                    final Broadcast outbound = Broadcast.create(segment, "out", RING);
                    bridgeOut = BridgeOut.start(outbound, host.aeron(), out, STREAM);
                    sender = outbound.sender();
                }
            }
            if (in != null)
            {
                if (channels)
                {
                    final Channel inbound = Channel.create(segment, "in", CHANNEL);
                    channelReceiver = inbound.receiver();
                    bridgeIn = BridgeIn.start(host.aeron(), in, STREAM, inbound, new BridgeIn.Listener() { });
                }
                else
                {
                    final Broadcast inbound = Broadcast.create(segment, "in", RING);
                    receiver = inbound.receiver(BroadcastReceiver.Start.OLDEST);
                    bridgeIn = BridgeIn.start(host.aeron(), in, STREAM, inbound, new BridgeIn.Listener() { });
                }
            }
        }

        @Override
        public void awaitConnected()
        {
            while ((bridgeOut != null && !bridgeOut.isConnected()) || (bridgeIn != null && !bridgeIn.isConnected()))
            {
                duty();
            }
        }

        @Override
        public boolean offer(final UnsafeBuffer message, final int length)
        {
            return channels ? channelSender.trySend(message, 0, length) : sender.trySend(message, 0, length);
        }

        @Override
        public void poll(final MessageHandler handler)
        {
            if (channels)
            {
                channelReceiver.poll(handler, 1024);
            }
            else
            {
                receiver.poll(handler, 1024);
            }
        }

        @Override
        public void duty()
        {
            // Out, then Aeron, then in: what was offered is sent in the same cycle, and what
            // arrived is delivered in it.
            if (bridgeOut != null)
            {
                bridgeOut.doWork();
            }
            host.doWork();
            if (bridgeIn != null)
            {
                bridgeIn.doWork();
            }
        }

        @Override
        public void close()
        {
            segment.close();
            Segment.unlink(segment.name(), SegmentOptions.defaults());
        }
    }
}
