package io.shm.perf.xproc;

import io.shm.segment.Segment;
import io.shm.segment.SegmentOptions;
import io.shm.sync.ShmSemaphore;
import io.shm.wait.WaitStrategy;
import org.HdrHistogram.Histogram;

/**
 * One side of workload W6: A releases {@code there} and acquires {@code back}, B the reverse; A
 * records each round trip. {@code main(system, segment, role, roundTrips, warmUp)}.
 */
public final class SemaphoreHandoffChild
{
    private SemaphoreHandoffChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final String system = args[0];
        final boolean measuring = args[2].equals("a");
        final int roundTrips = Integer.parseInt(args[3]);
        final int warmUp = Integer.parseInt(args[4]);
        final WaitStrategy strategy = system.equals("shm") ? WaitStrategy.defaultStrategy() :
            WaitStrategy.defaultStrategy().withCounts(0, 0, WaitStrategy.DEFAULT_SLICE_NANOS);
        try (Segment segment = Segment.open(args[1], SegmentOptions.defaults()))
        {
            final ShmSemaphore there = ShmSemaphore.openOrCreate(segment, "there", 0, strategy);
            final ShmSemaphore back = ShmSemaphore.openOrCreate(segment, "back", 0, strategy);
            if (!measuring)
            {
                for (int i = 0; i < warmUp + roundTrips; i++)
                {
                    there.acquire();
                    back.release();
                }
                System.out.println(Results.line("cpu_ns", Results.cpuNanos()));
                return;
            }
            final Histogram histogram = new Histogram(3);
            for (int i = 0; i < warmUp + roundTrips; i++)
            {
                final long start = System.nanoTime();
                there.release();
                back.acquire();
                final long took = System.nanoTime() - start;
                if (i >= warmUp)
                {
                    histogram.recordValue(took);
                }
            }
            System.out.println(Latency.resultLine(system, histogram));
        }
    }
}
