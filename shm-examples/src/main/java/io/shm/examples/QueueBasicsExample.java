package io.shm.examples;

import io.shm.codec.Codec;
import io.shm.codec.Codecs;
import io.shm.launch.ProcessTarget;
import io.shm.launch.TargetArgs;
import io.shm.process.JvmProcess;
import io.shm.queue.ShmQueue;
import io.shm.segment.Segment;

/**
 * The tutorial's process queue: the parent hands a queue to a child, which puts the mixed list
 * {@code [11, 'hello', True]} (here a record of an int, a string and a boolean) and prints the
 * queue's size; the parent takes the item.
 */
public final class QueueBasicsExample
{
    /**
     * The tutorial's {@code [11, 'hello', True]}.
     *
     * @param number the number.
     * @param word   the word.
     * @param flag   the flag.
     */
    public record Item(int number, String word, boolean flag)
    {
    }

    static final Codec<Item> ITEMS = Codecs.record(Item.class);

    private QueueBasicsExample()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Segment segment = Example.newSegment("queue-basics");
        try
        {
            final ShmQueue<Item> queue = ShmQueue.openOrCreate(segment, "q", 8, 64, ITEMS);
            try (JvmProcess child = ProcessTarget.start(Foo.class, queue))
            {
                final Item item = queue.take();
                System.out.println("parent got " + item);
                Example.join(child);
            }
        }
        finally
        {
            Example.remove(segment);
        }
    }

    /**
     * Puts the item and prints the queue's size.
     */
    public static final class Foo implements ProcessTarget
    {
        @Override
        public void run(final TargetArgs args) throws Exception
        {
            @SuppressWarnings("unchecked")
            final ShmQueue<Item> queue = args.open(0, ShmQueue.class, ITEMS);
            queue.put(new Item(11, "hello", true));
            System.out.println("child put an item; qsize " + queue.size());
        }
    }
}
