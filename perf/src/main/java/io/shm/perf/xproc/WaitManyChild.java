package io.shm.perf.xproc;

import io.shm.channel.Channel;
import io.shm.channel.ChannelOptions;
import io.shm.channel.ChannelReceiver;
import io.shm.channel.ChannelSender;
import io.shm.segment.Segment;
import io.shm.segment.SegmentOptions;
import io.shm.wait.WaitMany;
import io.shm.wait.linux.Futex;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * One side of workload W11, W2's round trip with B waiting on several channels: A sends 32 bytes
 * on one of {@value #SOURCES} channels in turn, B waits for the first of them to have something
 * ({@link WaitMany}), receives and echoes on a reply channel, and A records the round trip. In
 * {@code one} mode A uses the first channel only and B receives on it directly: W2's shape, the
 * baseline; in {@code many-first} mode B waits on all of them while A uses the first only (the
 * cost of the wait itself, without A's turning from channel to channel).
 * {@code main(mode, role, name, roundTrips, warmUp)}.
 */
public final class WaitManyChild
{
    static final int SOURCES = 8;
    private static final int LENGTH = 32;
    private static final ChannelOptions OPTIONS = ChannelOptions.defaults().withCapacity(64 * 1024);

    private WaitManyChild()
    {
    }

    /**
     * Makes the segment and its channels before the two processes start.
     *
     * @return the file to remove afterwards.
     */
    static File prepare(final String name)
    {
        try (Segment segment = Segment.create(name, SegmentOptions.defaults().withSize(4 << 20)))
        {
            for (int i = 0; i < SOURCES; i++)
            {
                Channel.create(segment, "c" + i, OPTIONS);
            }
            Channel.create(segment, "reply", OPTIONS);
        }
        return new File("/dev/shm", name);
    }

    public static void main(final String[] args) throws Exception
    {
        final boolean many = args[0].startsWith("many");
        final boolean rotate = args[0].equals("many");
        final boolean ping = args[1].equals("a");
        final int roundTrips = Integer.parseInt(args[3]);
        final int warmUp = Integer.parseInt(args[4]);
        try (Segment segment = Segment.open(args[2], SegmentOptions.defaults()))
        {
            final UnsafeBuffer message = Transport.message(LENGTH);
            if (ping)
            {
                final ChannelSender[] out = new ChannelSender[SOURCES];
                for (int i = 0; i < SOURCES; i++)
                {
                    out[i] = Channel.open(segment, "c" + i).sender();
                }
                final ChannelReceiver in = Channel.open(segment, "reply").receiver();
                final Histogram histogram = new Histogram(3);
                for (int i = 0; i < warmUp + roundTrips; i++)
                {
                    message.putLong(0, i);
                    final long start = System.nanoTime();
                    out[rotate ? i % SOURCES : 0].send(message, 0, LENGTH);
                    in.receive(message, 0);
                    final long took = System.nanoTime() - start;
                    if (message.getLong(0) != i)
                    {
                        throw new IllegalStateException("echo " + message.getLong(0) + " for " + i);
                    }
                    if (i >= warmUp)
                    {
                        histogram.recordValue(took);
                    }
                }
                System.out.println(Latency.resultLine(args[0], histogram));
                return;
            }
            final List<ChannelReceiver> in = new ArrayList<>();
            for (int i = 0; i < SOURCES; i++)
            {
                in.add(Channel.open(segment, "c" + i).receiver());
            }
            final ChannelSender out = Channel.open(segment, "reply").sender();
            final WaitMany<ChannelReceiver> wait = WaitMany.of(args[0].equals("many-single") ? in.subList(0, 1) : in);
            final long sleepsBefore = Futex.waitCalls();
            int echoed = 0;
            while (echoed < warmUp + roundTrips)
            {
                if (many)
                {
                    for (final ChannelReceiver ready : wait.await())
                    {
                        ready.receive(message, 0);
                        out.send(message, 0, LENGTH);
                        echoed++;
                    }
                }
                else
                {
                    in.get(0).receive(message, 0);
                    out.send(message, 0, LENGTH);
                    echoed++;
                }
            }
            System.out.println(Results.line("cpu_ns", Results.cpuNanos(), "b_sleeps", Futex.waitCalls() - sleepsBefore));
        }
    }
}
