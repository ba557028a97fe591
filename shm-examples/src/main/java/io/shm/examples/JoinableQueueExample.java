package io.shm.examples;

import io.shm.codec.Codecs;
import io.shm.process.JvmProcess;
import io.shm.queue.ShmJoinableQueue;
import io.shm.segment.Segment;

/**
 * The tutorial's JoinableQueue: a consumer process takes items until a sentinel and marks each
 * done; the producer puts the items and joins, returning once every item has been processed.
 */
public final class JoinableQueueExample
{
    static final String SENTINEL = "STOP";

    private JoinableQueueExample()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length > 0)
        {
            try (Segment segment = Example.openSegment(args[0]))
            {
                final ShmJoinableQueue<String> queue = ShmJoinableQueue.openOrCreate(segment, "tasks", 8, 64, Codecs.STRING);
                for (String item = queue.take(); !item.equals(SENTINEL); item = queue.take())
                {
                    System.out.println("consumer processed " + item);
                    queue.taskDone();
                }
                queue.taskDone();
            }
            return;
        }
        final Segment segment = Example.newSegment("joinable-queue");
        try
        {
            final ShmJoinableQueue<String> queue = ShmJoinableQueue.openOrCreate(segment, "tasks", 8, 64, Codecs.STRING);
            final JvmProcess consumer = Example.start(JoinableQueueExample.class, segment.name());
            for (final String item : new String[] {"spam", "ham", "eggs"})
            {
                queue.put(item);
            }
            queue.put(SENTINEL);
            queue.join();
            System.out.println("producer joined: every item is done");
            Example.join(consumer);
        }
        finally
        {
            Example.remove(segment);
        }
    }
}
