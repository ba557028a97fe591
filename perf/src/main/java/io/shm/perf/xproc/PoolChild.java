package io.shm.perf.xproc;

import io.shm.pool.LongTask;
import io.shm.pool.ShmPool;
import io.shm.process.JvmProcess;
import org.HdrHistogram.Histogram;

import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.LongStream;

/**
 * The measuring process of workload W8, the pool: it starts an {@link ShmPool} of worker JVMs (or
 * a thread pool) and reports one RESULT line. {@code main(mode, ...)}:
 * <ul>
 *     <li>{@code apply CALLS}: {@code apply} of the identity, back to back, after 50,000
 *     untimed; latency percentiles.</li>
 *     <li>{@code thread-apply CALLS}: the same through an in-process {@code ThreadPoolExecutor}.</li>
 *     <li>{@code map ITEMS}: {@code map} of squaring with the default chunks: ten untimed
 *     rounds, then the median of nine.</li>
 *     <li>{@code map-longs ITEMS}: the same through {@code mapLongs}, a {@code long[]} in and out.</li>
 *     <li>{@code cpu TASKS WORKERS}: {@code map} of CPU-bound tasks in chunks of one.</li>
 *     <li>{@code idle SECONDS}: the CPU the workers of a pool use while waiting for work, from
 *     2 s after the pool's first call.</li>
 * </ul>
 */
public final class PoolChild
{
    /**
     * Untimed calls before an apply is timed: both ends' code compiled, and the wait's spin
     * learnt (a few thousand calls measure the JIT, not the pool).
     */
    static final int APPLY_WARM_UPS = 50_000;
    static final int MAP_WARM_UPS = 10;
    static final long IDLE_SETTLE_MILLIS = 2_000;
    static final int MAP_ROUNDS = 9;

    private PoolChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        switch (args[0])
        {
            case "apply" -> apply(Integer.parseInt(args[1]));
            case "thread-apply" -> threadApply(Integer.parseInt(args[1]));
            case "map" -> map(Integer.parseInt(args[1]), false);
            case "map-longs" -> map(Integer.parseInt(args[1]), true);
            case "cpu" -> cpu(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            case "idle" -> idle(Integer.parseInt(args[1]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void apply(final int calls) throws Exception
    {
        try (ShmPool<Long, Long> pool = ShmPool.builder(Identity.class).workers(2).start())
        {
            final Histogram histogram = new Histogram(3);
            for (long i = 0; i < APPLY_WARM_UPS + calls; i++)
            {
                final long start = System.nanoTime();
                pool.apply(i);
                if (i >= APPLY_WARM_UPS)
                {
                    histogram.recordValue(System.nanoTime() - start);
                }
            }
            System.out.println(Latency.resultLine("shm-pool-apply", histogram));
        }
    }

    private static void threadApply(final int calls) throws Exception
    {
        final ExecutorService executor = Executors.newFixedThreadPool(2);
        try
        {
            final Identity task = new Identity();
            final Histogram histogram = new Histogram(3);
            for (long i = 0; i < APPLY_WARM_UPS + calls; i++)
            {
                final long argument = i;
                final long start = System.nanoTime();
                executor.submit(() -> task.apply(argument)).get();
                if (i >= APPLY_WARM_UPS)
                {
                    histogram.recordValue(System.nanoTime() - start);
                }
            }
            System.out.println(Latency.resultLine("jdk-thread-pool", histogram));
        }
        finally
        {
            executor.shutdownNow();
        }
    }

    /**
     * {@code map} (or {@code mapLongs}) of squaring, {@link #MAP_WARM_UPS} untimed rounds, then
     * {@link #MAP_ROUNDS} timed; the median round is reported.
     */
    private static void map(final int items, final boolean longs) throws Exception
    {
        try (ShmPool<Long, Long> pool = ShmPool.builder(Square.class).workers(2).start())
        {
            final List<Long> numbers = LongStream.range(0, items).boxed().toList();
            final long[] values = LongStream.range(0, items).toArray();
            final long[] took = new long[MAP_ROUNDS];
            for (int round = -MAP_WARM_UPS; round < MAP_ROUNDS; round++)
            {
                final long start = System.nanoTime();
                final long last = longs ? pool.mapLongs(values)[items - 1] : pool.map(numbers).get(items - 1);
                if (round >= 0)
                {
                    took[round] = System.nanoTime() - start;
                }
                if (last != (long)(items - 1) * (items - 1))
                {
                    throw new IllegalStateException("wrong square");
                }
            }
            Arrays.sort(took);
            System.out.println(Results.line("system", longs ? "shm-pool-map-longs" : "shm-pool-map", "count", items,
                "ns", took[MAP_ROUNDS / 2], "min_ns", took[0], "cpu_ns", Results.cpuNanos()));
        }
    }

    private static void cpu(final int tasks, final int workers) throws Exception
    {
        try (ShmPool<Long, Long> pool = ShmPool.builder(CountPrimes.class).workers(workers).start())
        {
            final List<Long> work = LongStream.range(0, tasks).map(i -> 2_000_000L + 4_000L * i).boxed().toList();
            pool.map(work.subList(0, Math.min(tasks, 100 * workers)), 1);
            final long start = System.nanoTime();
            pool.map(work, 1);
            System.out.println(Results.line("system", "shm-pool-cpu", "workers", workers, "count", tasks, "ns",
                System.nanoTime() - start, "cpu_ns", Results.cpuNanos()));
        }
    }

    private static void idle(final int seconds) throws Exception
    {
        try (ShmPool<Long, Long> pool = ShmPool.builder(Identity.class).workers(2).start())
        {
            pool.apply(1L);
            // The workers' start-up (the JIT compiling what start-up ran) is over before the idle time counts.
            Thread.sleep(IDLE_SETTLE_MILLIS);
            final List<JvmProcess> workers = pool.workers();
            final long before = threadCpuNanos(workers);
            final long start = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            final double wall = (System.nanoTime() - start) / 1e9;
            final double cpu = (threadCpuNanos(workers) - before) / 1e9;
            System.out.println(Results.line("system", "shm-pool-idle", "workers", workers.size(), "seconds",
                String.format("%.2f", wall), "core_share", String.format("%.5f", cpu / wall), "cpu_ns", Results.cpuNanos()));
        }
    }

    /**
     * @return the CPU time the processes' threads used, in nanoseconds (the first field of each
     *         {@code /proc/PID/task/TID/schedstat}: exact, where {@code stat}'s clock ticks count
     *         10 ms at a time).
     */
    private static long threadCpuNanos(final List<JvmProcess> processes) throws Exception
    {
        long nanos = 0;
        for (final JvmProcess process : processes)
        {
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(process.pid()), "task")))
            {
                for (final Path task : tasks)
                {
                    nanos += Long.parseLong(Files.readString(task.resolve("schedstat")).split(" ")[0]);
                }
            }
        }
        return nanos;
    }

    /**
     * Returns its argument.
     */
    public static final class Identity extends LongTask
    {
        @Override
        public long applyAsLong(final long argument)
        {
            return argument;
        }
    }

    /**
     * Squares its argument.
     */
    public static final class Square extends LongTask
    {
        @Override
        public long applyAsLong(final long argument)
        {
            return argument * argument;
        }
    }

    /**
     * Counts the primes among the 4,000 numbers below its argument, as the Python peer does.
     */
    public static final class CountPrimes extends LongTask
    {
        @Override
        public long applyAsLong(final long argument)
        {
            long primes = 0;
            for (long n = argument - 4_000; n < argument; n++)
            {
                boolean prime = n > 1;
                for (long d = 2; d * d <= n && prime; d++)
                {
                    prime = n % d != 0;
                }
                primes += prime ? 1 : 0;
            }
            return primes;
        }
    }
}
