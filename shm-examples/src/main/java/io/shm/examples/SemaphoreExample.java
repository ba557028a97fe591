package io.shm.examples;

import io.shm.process.JvmProcess;
import io.shm.segment.Segment;
import io.shm.sync.ShmSemaphore;
import io.shm.value.IntValue;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The tutorial's semaphore producer/consumer: the producer publishes a random item through a
 * shared value and releases; the consumer acquires and prints it; 5 rounds. A second semaphore
 * tells the producer the slot is free again.
 */
public final class SemaphoreExample
{
    static final int ROUNDS = 5;

    private SemaphoreExample()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length > 0)
        {
            try (Segment segment = Example.openSegment(args[0]))
            {
                final ShmSemaphore full = ShmSemaphore.openOrCreate(segment, "full", 0);
                final ShmSemaphore empty = ShmSemaphore.openOrCreate(segment, "empty", 1);
                final IntValue item = IntValue.openOrCreate(segment, "item");
                for (int i = 0; i < ROUNDS; i++)
                {
                    full.acquire();
                    System.out.println("consumer got " + item.get());
                    empty.release();
                }
            }
            return;
        }
        final Segment segment = Example.newSegment("semaphore");
        try
        {
            final ShmSemaphore full = ShmSemaphore.openOrCreate(segment, "full", 0);
            final ShmSemaphore empty = ShmSemaphore.openOrCreate(segment, "empty", 1);
            final IntValue item = IntValue.openOrCreate(segment, "item");
            final JvmProcess consumer = Example.start(SemaphoreExample.class, segment.name());
            for (int i = 0; i < ROUNDS; i++)
            {
                empty.acquire();
                final int value = ThreadLocalRandom.current().nextInt(1000);
                item.set(value);
                System.out.println("producer made " + value);
                full.release();
            }
            Example.join(consumer);
        }
        finally
        {
            Example.remove(segment);
        }
    }
}
