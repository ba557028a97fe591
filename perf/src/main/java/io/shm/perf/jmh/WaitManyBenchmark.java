package io.shm.perf.jmh;

import io.shm.channel.Channel;
import io.shm.channel.ChannelOptions;
import io.shm.channel.ChannelReceiver;
import io.shm.channel.ChannelSender;
import io.shm.segment.Segment;
import io.shm.segment.SegmentOptions;
import io.shm.wait.WaitMany;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What does a wait on many sources cost when a message is already there, in one thread: send
 * 32 bytes on one of 8 channels, then receive it directly, or through {@link WaitMany} over 1 or
 * 8 channels. The difference is the wait's own path, without any other process in the way.
 * <p>
 * Run: {@code java -jar perf/target/benchmarks.jar WaitManyBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Thread)
public class WaitManyBenchmark
{
    private static final int LENGTH = 32;
    private static final int SOURCES = 8;

    private final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(LENGTH));
    private final UnsafeBuffer received = new UnsafeBuffer(ByteBuffer.allocateDirect(LENGTH));
    private String segmentName;
    private Segment segment;
    private final List<ChannelSender> senders = new ArrayList<>();
    private final List<ChannelReceiver> receivers = new ArrayList<>();
    private WaitMany<ChannelReceiver> one;
    private WaitMany<ChannelReceiver> eight;
    private int next;

    @Setup(Level.Trial)
    public void setUp()
    {
        segmentName = "shm-jmh-waitmany-" + ProcessHandle.current().pid();
        segment = Segment.create(segmentName, SegmentOptions.defaults().withSize(4 << 20));
        for (int i = 0; i < SOURCES; i++)
        {
            final Channel channel = Channel.openOrCreate(segment, "c" + i, ChannelOptions.defaults().withCapacity(64 * 1024));
            senders.add(channel.sender());
            receivers.add(channel.receiver());
        }
        one = WaitMany.of(receivers.subList(0, 1));
        eight = WaitMany.of(receivers);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        senders.forEach(ChannelSender::close);
        receivers.forEach(ChannelReceiver::close);
        segment.close();
        Segment.unlink(segmentName, SegmentOptions.defaults());
    }

    @Benchmark
    public int receiveDirectly() throws InterruptedException
    {
        senders.get(0).trySend(message, 0, LENGTH);
        return receivers.get(0).receive(received, 0);
    }

    @Benchmark
    public int receiveDirectlyFromEachInTurn() throws InterruptedException
    {
        final int source = next;
        next = next + 1 == SOURCES ? 0 : next + 1;
        senders.get(source).trySend(message, 0, LENGTH);
        return receivers.get(source).receive(received, 0);
    }

    @Benchmark
    public int receiveThroughWaitManyOfOne() throws InterruptedException
    {
        senders.get(0).trySend(message, 0, LENGTH);
        return one.await().get(0).receive(received, 0);
    }

    @Benchmark
    public int receiveThroughWaitManyOfEight() throws InterruptedException
    {
        final int source = next;
        next = next + 1 == SOURCES ? 0 : next + 1;
        senders.get(source).trySend(message, 0, LENGTH);
        return eight.await().get(0).receive(received, 0);
    }
}
