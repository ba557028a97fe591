package io.shm.examples;

import io.shm.process.JvmProcess;
import io.shm.segment.Segment;
import io.shm.sync.ShmBarrier;

import java.util.concurrent.TimeUnit;

/**
 * The tutorial's barrier: 3 processes meet at a barrier, then each prints; nobody prints before
 * all have arrived.
 */
public final class BarrierExample
{
    static final int PARTIES = 3;

    private BarrierExample()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length > 0)
        {
            try (Segment segment = Example.openSegment(args[0]))
            {
                final ShmBarrier barrier = ShmBarrier.openOrCreate(segment, "barrier", PARTIES);
                System.out.println("process " + args[1] + " waits at the barrier");
                barrier.await(60, TimeUnit.SECONDS);
                System.out.println("process " + args[1] + " passed the barrier");
            }
            return;
        }
        final Segment segment = Example.newSegment("barrier");
        try
        {
            ShmBarrier.openOrCreate(segment, "barrier", PARTIES);
            final JvmProcess[] parties = new JvmProcess[PARTIES];
            for (int i = 0; i < PARTIES; i++)
            {
                parties[i] = Example.start(BarrierExample.class, segment.name(), Integer.toString(i));
            }
            for (final JvmProcess party : parties)
            {
                Example.join(party);
            }
        }
        finally
        {
            Example.remove(segment);
        }
    }
}
