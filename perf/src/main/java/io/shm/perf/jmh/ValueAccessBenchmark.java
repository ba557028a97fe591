package io.shm.perf.jmh;

import io.shm.segment.Segment;
import io.shm.segment.SegmentOptions;
import io.shm.segment.SharedObject;
import io.shm.value.LongValue;
import org.agrona.concurrent.AtomicBuffer;
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

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Does a {@link LongValue} cost more than Agrona's {@link AtomicBuffer} on the same mapped memory,
 * or than an {@link AtomicLong} on the heap? Each operation is measured three ways: through the
 * value, through the raw buffer at the value's offset, and on an {@code AtomicLong}.
 * <p>
 * Run: {@code java -jar perf/target/benchmarks.jar ValueAccessBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Thread)
public class ValueAccessBenchmark
{
    private static final SegmentOptions OPTIONS = SegmentOptions.defaults();

    private final AtomicLong atomicLong = new AtomicLong();
    private String segmentName;
    private Segment segment;
    private LongValue value;
    private AtomicBuffer buffer;
    private int index;
    private long next;

    @Setup(Level.Trial)
    public void setUp()
    {
        segmentName = "shm-jmh-values-" + ProcessHandle.current().pid();
        segment = Segment.create(segmentName, OPTIONS);
        value = LongValue.openOrCreate(segment, "value");
        // The raw buffer over a second long value: Agrona alone, same kind of memory, same alignment.
        buffer = LongValue.openOrCreate(segment, "raw").object().buffer();
        index = SharedObject.DATA_OFFSET;
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        segment.close();
        Segment.unlink(segmentName, OPTIONS);
    }

    @Benchmark
    public long getShm()
    {
        return value.get();
    }

    @Benchmark
    public long getAgrona()
    {
        return buffer.getLongVolatile(index);
    }

    @Benchmark
    public long getAtomicLong()
    {
        return atomicLong.get();
    }

    @Benchmark
    public void setShm()
    {
        value.set(next++);
    }

    @Benchmark
    public void setAgrona()
    {
        buffer.putLongVolatile(index, next++);
    }

    @Benchmark
    public void setAtomicLong()
    {
        atomicLong.set(next++);
    }

    @Benchmark
    public boolean compareAndSetShm()
    {
        final long current = value.getPlain();
        return value.compareAndSet(current, current + 1);
    }

    @Benchmark
    public boolean compareAndSetAgrona()
    {
        final long current = buffer.getLong(index);
        return buffer.compareAndSetLong(index, current, current + 1);
    }

    @Benchmark
    public boolean compareAndSetAtomicLong()
    {
        final long current = atomicLong.getPlain();
        return atomicLong.compareAndSet(current, current + 1);
    }

    @Benchmark
    public long getAndAddShm()
    {
        return value.getAndAdd(1);
    }

    @Benchmark
    public long getAndAddAgrona()
    {
        return buffer.getAndAddLong(index, 1);
    }

    @Benchmark
    public long getAndAddAtomicLong()
    {
        return atomicLong.getAndAdd(1);
    }
}
