package io.shm.queue;

import io.shm.segment.Segment;
import io.shm.segment.SegmentOptions;
import io.shm.value.LongValue;

import java.nio.file.Path;

/**
 * The child JVM of the queue tests: {@code main(command, directory, segment, args...)}.
 */
public final class QueueChild
{
    static final long SENTINEL = -1;

    private QueueChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final SegmentOptions options = SegmentOptions.defaults().withDirectory(Path.of(args[1]));
        try (Segment segment = Segment.open(args[2], options))
        {
            switch (args[0])
            {
                case "produce" ->
                {
                    final ShmQueue<Long> queue = ShmQueue.openOrCreate(segment, "q", 16, 8, Codecs.LONG);
                    final long producer = Long.parseLong(args[3]);
                    final long count = Long.parseLong(args[4]);
                    for (long i = 0; i < count; i++)
                    {
                        queue.put(producer * 1_000_000_000L + i);
                    }
                    System.out.println("produced " + count);
                }
                case "consume" ->
                {
                    final ShmQueue<Long> queue = ShmQueue.openOrCreate(segment, "q", 16, 8, Codecs.LONG);
                    long count = 0;
                    long sum = 0;
                    for (long item = queue.take(); item != SENTINEL; item = queue.take())
                    {
                        count++;
                        sum += item;
                    }
                    System.out.println("consumed " + count + " sum " + sum);
                }
                case "work" ->
                {
                    final ShmJoinableQueue<String> queue = ShmJoinableQueue.openOrCreate(segment, "jq", 16, 64, Codecs.STRING);
                    for (String task = queue.take(); !task.equals("stop"); task = queue.take())
                    {
                        if (task.equals("hang"))
                        {
                            System.out.println("hanging on a task");
                            Thread.sleep(Long.MAX_VALUE);
                        }
                        LongValue.openOrCreate(segment, "done").incrementAndGet();
                        queue.taskDone();
                    }
                    queue.taskDone();
                    System.out.println("worker stops");
                }
                case "stop-in" -> stopIn(ShmJoinableQueue.openOrCreate(segment, "jq", 16, 64, Codecs.STRING), args[3]);
                default -> throw new IllegalArgumentException(args[0]);
            }
        }
    }

    /**
     * Puts, takes, or takes and marks done one item, and stops at {@code point} inside that step
     * (holding the queue's lock) until killed.
     */
    private static void stopIn(final ShmJoinableQueue<String> queue, final String point) throws InterruptedException
    {
        queue.steps = at ->
        {
            if (at.equals(point))
            {
                System.out.println("stopped at " + at);
                try
                {
                    Thread.sleep(Long.MAX_VALUE);
                }
                catch (final InterruptedException ex)
                {
                    throw new IllegalStateException("interrupted at " + at, ex);
                }
            }
        };
        switch (point.substring(0, point.indexOf(':')))
        {
            case "put" -> queue.put("a");
            case "take" -> queue.take();
            default ->
            {
                queue.take();
                queue.taskDone();
            }
        }
        throw new IllegalStateException("never reached " + point);
    }
}
