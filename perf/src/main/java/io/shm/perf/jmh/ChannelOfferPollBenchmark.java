package io.shm.perf.jmh;

import io.shm.channel.Channel;
import io.shm.channel.ChannelOptions;
import io.shm.channel.ChannelReceiver;
import io.shm.channel.ChannelSender;
import io.shm.channel.MessageHandler;
import io.shm.segment.Segment;
import io.shm.segment.SegmentOptions;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
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
import java.util.concurrent.TimeUnit;

/**
 * What does one 32-byte message cost to offer and poll in one thread, with no other process in
 * the way: shm's channel beside Agrona's {@code OneToOneRingBuffer}?
 * <p>
 * Run: {@code java -jar perf/target/benchmarks.jar ChannelOfferPollBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Thread)
public class ChannelOfferPollBenchmark
{
    private static final int LENGTH = 32;
    private static final int CAPACITY = 64 * 1024;

    private final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(LENGTH));
    private final byte[] bytes = new byte[LENGTH];
    private final MessageHandler handler = (buffer, offset, length) -> buffer.getBytes(offset, bytes, 0, length);
    private String segmentName;
    private Segment segment;
    private ChannelSender sender;
    private ChannelReceiver receiver;
    private OneToOneRingBuffer agrona;

    @Setup(Level.Trial)
    public void setUp()
    {
        segmentName = "shm-jmh-channel-" + ProcessHandle.current().pid();
        segment = Segment.create(segmentName, SegmentOptions.defaults());
        final Channel channel = Channel.openOrCreate(segment, "c", ChannelOptions.defaults().withCapacity(CAPACITY));
        sender = channel.sender();
        receiver = channel.receiver();
        agrona = new OneToOneRingBuffer(new UnsafeBuffer(ByteBuffer.allocateDirect(CAPACITY + RingBufferDescriptor.TRAILER_LENGTH)));
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        sender.close();
        receiver.close();
        segment.close();
        Segment.unlink(segmentName, SegmentOptions.defaults());
    }

    @Benchmark
    public int offerPollShm()
    {
        sender.trySend(message, 0, LENGTH);
        return receiver.poll(handler, 1);
    }

    @Benchmark
    public int offerPollAgrona()
    {
        agrona.write(1, message, 0, LENGTH);
        return agrona.read((type, buffer, offset, length) -> buffer.getBytes(offset, bytes, 0, length), 1);
    }
}
