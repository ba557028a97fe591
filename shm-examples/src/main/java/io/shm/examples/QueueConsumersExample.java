package io.shm.examples;

import io.shm.codec.Codecs;
import io.shm.launch.ProcessTarget;
import io.shm.launch.TargetArgs;
import io.shm.process.JvmProcess;
import io.shm.process.ProcessIdentity;
import io.shm.queue.ShmJoinableQueue;
import io.shm.segment.Segment;
import io.shm.sync.ShmSemaphore;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The tutorial's queue with three consumers: a producer puts ten random numbers; three consumer
 * processes take them and mark each done with {@code taskDone}; the producer's {@code join}
 * returns once every item is processed, and the consumers (daemons, as they loop forever) end
 * with it.
 */
public final class QueueConsumersExample
{
    static final int ITEMS = 10;

    private QueueConsumersExample()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Segment segment = Example.newSegment("queue-consumers");
        final List<JvmProcess> consumers = new ArrayList<>();
        try
        {
            final ShmJoinableQueue<Integer> queue = ShmJoinableQueue.openOrCreate(segment, "queue", 16, 4, Codecs.INT);
            final ShmSemaphore ready = ShmSemaphore.openOrCreate(segment, "ready", 0);
            for (int i = 1; i <= 3; i++)
            {
                consumers.add(ProcessTarget.builder(Consumer.class, queue, ready).name("Consumer-" + i).daemon().start());
            }
            ready.acquire(3);
            for (int i = 0; i < ITEMS; i++)
            {
                // The tutorial's producer pauses between items, so that each finds a consumer waiting.
                Thread.sleep(50);
                final int item = ThreadLocalRandom.current().nextInt(0, 257);
                queue.put(item);
                System.out.println("Producer notify: item " + item + " appended to queue by " +
                    ProcessIdentity.current().name());
            }
            queue.join();
            System.out.println("Producer: all " + ITEMS + " items processed");
        }
        finally
        {
            consumers.forEach(JvmProcess::close);
            Example.remove(segment);
        }
    }

    /**
     * Takes items and marks each done, forever.
     */
    public static final class Consumer implements ProcessTarget
    {
        @Override
        public void run(final TargetArgs args) throws Exception
        {
            @SuppressWarnings("unchecked")
            final ShmJoinableQueue<Integer> queue = args.open(0, ShmJoinableQueue.class, Codecs.INT);
            args.open(1, ShmSemaphore.class).release();
            while (true)
            {
                final int item = queue.take();
                System.out.println("Consumer notify: " + item + " popped from queue by " + ProcessIdentity.current().name());
                queue.taskDone();
            }
        }
    }
}
