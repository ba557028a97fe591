package io.shm.perf.xproc;

import io.shm.segment.Segment;
import io.shm.segment.SegmentOptions;
import io.shm.sync.ShmLock;
import io.shm.value.LongValue;
import io.shm.wait.WaitStrategy;
import io.shm.wait.linux.Futex;

import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One process of workload W5: {@code iterations} times {lock; counter += 1; unlock} on a counter
 * shared by all processes. {@code main(system, segment, processes, iterations)}; prints its start
 * and end ({@code System.nanoTime}, one clock for all processes of the machine) and its CPU time.
 */
public final class LockCounterChild
{
    private LockCounterChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final String system = args[0];
        final int processes = Integer.parseInt(args[2]);
        final long iterations = Long.parseLong(args[3]);
        try (Segment segment = Segment.open(args[1], SegmentOptions.defaults()))
        {
            final LongValue counter = LongValue.openOrCreate(segment, "counter");
            final LongValue ready = LongValue.openOrCreate(segment, "ready");
            final long start;
            final long end;
            switch (system)
            {
                case "shm", "shm-park-only" ->
                {
                    final WaitStrategy strategy = system.equals("shm") ? WaitStrategy.defaultStrategy() :
                        WaitStrategy.defaultStrategy().withCounts(0, 0, WaitStrategy.DEFAULT_SLICE_NANOS);
                    final ShmLock lock = ShmLock.openOrCreate(segment, "lock", strategy);
                    warmUp(lock, counter);
                    startTogether(ready, processes);
                    start = System.nanoTime();
                    for (long i = 0; i < iterations; i++)
                    {
                        lock.lock();
                        counter.setPlain(counter.getPlain() + 1);
                        lock.unlock();
                    }
                    end = System.nanoTime();
                }
                case "jdk-filelock" ->
                {
                    try (FileChannel file = FileChannel.open(Path.of("/dev/shm", args[1] + ".filelock"),
                        StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE))
                    {
                        startTogether(ready, processes);
                        start = System.nanoTime();
                        for (long i = 0; i < iterations; i++)
                        {
                            final FileLock lock = file.lock();
                            counter.setPlain(counter.getPlain() + 1);
                            lock.release();
                        }
                        end = System.nanoTime();
                    }
                }
                default -> throw new IllegalArgumentException("unknown system " + system);
            }
            final long cpu = ((com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
            System.out.println(Results.line("start", start, "end", end, "cpu_ns", cpu,
                "futex_waits", Futex.waitCalls(), "futex_wakes", Futex.wakeCalls()));
        }
    }

    /**
     * Compiles the loop before the timed run, on a counter the run does not use.
     */
    private static void warmUp(final ShmLock lock, final LongValue counter)
    {
        final LongValue scratch = LongValue.openOrCreate(counter.segment(), "warm-up-" + ProcessHandle.current().pid());
        for (int i = 0; i < 200_000; i++)
        {
            lock.lock();
            scratch.setPlain(scratch.getPlain() + 1);
            lock.unlock();
        }
    }

    static void startTogether(final LongValue ready, final int processes)
    {
        ready.incrementAndGet();
        while (ready.get() < processes)
        {
            Thread.onSpinWait();
        }
    }
}
