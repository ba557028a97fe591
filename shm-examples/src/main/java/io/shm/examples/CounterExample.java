package io.shm.examples;

import io.shm.process.JvmProcess;
import io.shm.segment.Segment;
import io.shm.sync.ShmEvent;
import io.shm.sync.ShmLock;
import io.shm.sync.ShmSemaphore;
import io.shm.value.LongValue;

/**
 * The tutorial's counter: one process adds 1 and another subtracts 1, 1,000,000 times each, both
 * released at once by an event once both are ready, so that they run at the same time. Without a
 * lock the read-modify-write steps interleave and updates are lost, so the result drifts from 0;
 * with a cross-process lock it is exactly 0.
 */
public final class CounterExample
{
    static final int TIMES = 1_000_000;

    private CounterExample()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length > 0)
        {
            work(args[0], args[1], Integer.parseInt(args[2]));
            return;
        }
        final Segment segment = Example.newSegment("counter");
        try
        {
            for (final String mode : new String[] {"without-lock", "with-lock"})
            {
                final LongValue counter = LongValue.openOrCreate(segment, mode);
                final ShmSemaphore ready = ShmSemaphore.openOrCreate(segment, mode + ".ready", 0);
                final ShmEvent go = ShmEvent.openOrCreate(segment, mode + ".go");
                final JvmProcess up = Example.start(CounterExample.class, segment.name(), mode, "1");
                final JvmProcess down = Example.start(CounterExample.class, segment.name(), mode, "-1");
                ready.acquire(2);
                go.set();
                Example.join(up);
                Example.join(down);
                System.out.println("counter " + mode.replace('-', ' ') + ": " + counter.get() +
                    (counter.get() == 0 ? " (exact)" : " (drifted: updates were lost)"));
            }
        }
        finally
        {
            Example.remove(segment);
        }
    }

    private static void work(final String segmentName, final String mode, final int delta) throws InterruptedException
    {
        try (Segment segment = Example.openSegment(segmentName))
        {
            final LongValue counter = LongValue.openOrCreate(segment, mode);
            final ShmLock lock = ShmLock.openOrCreate(segment, "lock");
            // Both processes start counting together: a race needs them running at once.
            ShmSemaphore.openOrCreate(segment, mode + ".ready", 0).release();
            ShmEvent.openOrCreate(segment, mode + ".go").await();
            for (int i = 0; i < TIMES; i++)
            {
                if (mode.equals("with-lock"))
                {
                    lock.lock();
                    try
                    {
                        counter.setPlain(counter.getPlain() + delta);
                    }
                    finally
                    {
                        lock.unlock();
                    }
                }
                else
                {
                    // Read, add, write: another process can write in between, and its update is lost.
                    counter.set(counter.get() + delta);
                }
            }
        }
    }
}
