package io.shm.examples;

import io.shm.codec.Codec;
import io.shm.codec.Codecs;
import io.shm.pool.LongTask;
import io.shm.pool.PoolTask;
import io.shm.pool.ShmPool;
import io.shm.process.ProcessIdentity;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

/**
 * The tutorial's {@code Pool(5)}: 47 calls of {@code apply} one after the other, then the same
 * with {@code apply_async} running on all five workers at once, {@code close} and {@code join};
 * then a {@code map} of a CPU-bound function with one worker and with two, timed, to show the
 * speed-up.
 */
public final class PoolExample
{
    private PoolExample()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        try (ShmPool<Integer, String> pool = ShmPool.builder(Foo.class).workers(5).start())
        {
            for (int i = 0; i < 47; i += 10)
            {
                System.out.println("apply: " + pool.apply(i));
            }
            final List<CompletableFuture<String>> results = new ArrayList<>();
            for (int i = 0; i < 47; i++)
            {
                results.add(pool.applyAsync(i));
            }
            pool.shutdown();
            pool.join();
            System.out.println("apply_async: " + results.size() + " results, all ready: " +
                results.stream().allMatch(CompletableFuture::isDone) + "; first " + results.get(0).join());
        }
        System.out.println("ending");
        final List<Long> work = IntStream.range(0, 400).mapToObj(i -> 2_000_000L + 4_000L * i).toList();
        double oneWorker = 0;
        for (final int workers : new int[] {1, 2})
        {
            try (ShmPool<Long, Long> pool = ShmPool.builder(CountPrimes.class).workers(workers).start())
            {
                pool.map(work.subList(0, 20), 1);
                final long start = System.nanoTime();
                final long primes = pool.map(work, 1).stream().mapToLong(Long::longValue).sum();
                final double seconds = (System.nanoTime() - start) / 1e9;
                oneWorker = workers == 1 ? seconds : oneWorker;
                System.out.printf("map of %d CPU-bound tasks on %d worker(s): %.2f s (%d primes found)%s%n", work.size(),
                    workers, seconds, primes, workers == 1 ? "" : String.format("; speed-up %.2f", oneWorker / seconds));
            }
        }
    }

    /**
     * The tutorial's {@code foo}: says which worker ran it.
     */
    public static final class Foo implements PoolTask<Integer, String>
    {
        @Override
        public String apply(final Integer argument)
        {
            return argument + " in " + ProcessIdentity.current().name();
        }

        @Override
        public Codec<Integer> argumentCodec()
        {
            return Codecs.INT;
        }

        @Override
        public Codec<String> resultCodec()
        {
            return Codecs.STRING;
        }
    }

    /**
     * A CPU-bound task: counts the primes among the 4,000 numbers below its argument.
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
