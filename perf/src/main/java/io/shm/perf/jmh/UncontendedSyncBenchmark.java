package io.shm.perf.jmh;

import io.shm.segment.Segment;
import io.shm.segment.SegmentOptions;
import io.shm.segment.SharedObject;
import io.shm.sync.ShmEvent;
import io.shm.sync.ShmLock;
import io.shm.sync.ShmReentrantLock;
import io.shm.sync.ShmSemaphore;
import io.shm.wait.linux.Futex;
import io.shm.value.IntValue;
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

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What does an uncontended cross-process synchronizer cost in one thread, beside its
 * {@code java.util.concurrent} counterpart (which cannot cross processes)? And what would a
 * system call on that path cost (a futex wake with nobody to wake)?
 * <p>
 * Run: {@code java -jar perf/target/benchmarks.jar UncontendedSyncBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Thread)
public class UncontendedSyncBenchmark
{
    private static final SegmentOptions OPTIONS = SegmentOptions.defaults();

    private final ReentrantLock jdkLock = new ReentrantLock();
    private final Semaphore jdkSemaphore = new Semaphore(1);
    private String segmentName;
    private Segment segment;
    private ShmLock lock;
    private ShmReentrantLock reentrantLock;
    private ShmSemaphore semaphore;
    private ShmEvent event;
    private AtomicBuffer futexBuffer;

    @Setup(Level.Trial)
    public void setUp()
    {
        segmentName = "shm-jmh-sync-" + ProcessHandle.current().pid();
        segment = Segment.create(segmentName, OPTIONS);
        lock = ShmLock.openOrCreate(segment, "lock");
        reentrantLock = ShmReentrantLock.openOrCreate(segment, "rlock");
        semaphore = ShmSemaphore.openOrCreate(segment, "semaphore", 1);
        event = ShmEvent.openOrCreate(segment, "event");
        event.set();
        futexBuffer = IntValue.openOrCreate(segment, "futex").object().buffer();
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        segment.close();
        Segment.unlink(segmentName, OPTIONS);
    }

    @Benchmark
    public void lockUnlockShm()
    {
        lock.lock();
        lock.unlock();
    }

    @Benchmark
    public void lockUnlockShmReentrant()
    {
        reentrantLock.lock();
        reentrantLock.unlock();
    }

    @Benchmark
    public void lockUnlockJdkReentrantLock()
    {
        jdkLock.lock();
        jdkLock.unlock();
    }

    @Benchmark
    public boolean tryLockUnlockShm()
    {
        final boolean locked = lock.tryLock();
        lock.unlock();
        return locked;
    }

    @Benchmark
    public boolean tryLockUnlockJdkReentrantLock()
    {
        final boolean locked = jdkLock.tryLock();
        jdkLock.unlock();
        return locked;
    }

    @Benchmark
    public void acquireReleaseShmSemaphore() throws InterruptedException
    {
        semaphore.acquire();
        semaphore.release();
    }

    @Benchmark
    public void acquireReleaseJdkSemaphore() throws InterruptedException
    {
        jdkSemaphore.acquire();
        jdkSemaphore.release();
    }

    @Benchmark
    public boolean isSetShmEvent()
    {
        return event.isSet();
    }

    @Benchmark
    public boolean setClearShmEventNoWaiter()
    {
        event.clear();
        event.set();
        return event.isSet();
    }

    @Benchmark
    public int futexWakeNoWaiter()
    {
        return Futex.wake(futexBuffer, SharedObject.DATA_OFFSET, 1);
    }
}
