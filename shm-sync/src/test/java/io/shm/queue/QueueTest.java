package io.shm.queue;

import io.shm.codec.Codecs;
import io.shm.exceptions.MessageTooLargeException;
import io.shm.exceptions.PeerDiedException;
import io.shm.process.JvmProcess;
import io.shm.segment.Segment;
import io.shm.test.ChildArgs;
import io.shm.test.TestSegments;
import io.shm.value.LongValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(180)
class QueueTest
{
    private final TestSegments segments = new TestSegments();
    private String name;
    private Segment segment;

    @BeforeEach
    void createSegment()
    {
        name = segments.name("queue");
        segment = Segment.create(name, segments.options());
    }

    @AfterEach
    void removeSegment()
    {
        segment.close();
        segments.close();
    }

    @Test
    void itemsComeOutInOrderAndTheBoundHolds() throws Exception
    {
        final ShmQueue<String> queue = ShmQueue.openOrCreate(segment, "q", 3, 16, Codecs.STRING);
        assertTrue(queue.isEmpty());
        assertNull(queue.poll());
        assertNull(queue.poll(10, TimeUnit.MILLISECONDS));
        queue.put("a");
        assertTrue(queue.offer("b"));
        assertTrue(queue.offer("c", 1, TimeUnit.SECONDS));
        assertTrue(queue.isFull());
        assertFalse(queue.offer("d"));
        assertFalse(queue.offer("d", 10, TimeUnit.MILLISECONDS));
        assertEquals(3, queue.size());
        assertEquals("a", queue.take());
        assertEquals("b", queue.poll());
        assertEquals("c", queue.poll(1, TimeUnit.SECONDS));
        final MessageTooLargeException ex = assertThrows(MessageTooLargeException.class, () -> queue.put("x".repeat(17)));
        assertTrue(ex.getMessage().contains("17") && ex.getMessage().contains("16"), ex.getMessage());
        assertTrue(queue.isEmpty(), "nothing was put");
        queue.close();
        assertThrows(IllegalStateException.class, () -> queue.put("after close"));
    }

    @Test
    void codecsRoundTrip()
    {
        assertEquals(-5L, Codecs.LONG.decode(Codecs.LONG.encode(-5L)));
        assertEquals(7, Codecs.INT.decode(Codecs.INT.encode(7)));
        assertEquals(2.5, Codecs.DOUBLE.decode(Codecs.DOUBLE.encode(2.5)));
        assertEquals("\u00e9t\u00e9", Codecs.STRING.decode(Codecs.STRING.encode("\u00e9t\u00e9")));
        assertArrayEquals(new byte[] {1, 0}, Codecs.BYTES.decode(Codecs.BYTES.encode(new byte[] {1, 0})));
        assertThrows(IllegalArgumentException.class, () -> Codecs.LONG.decode(new byte[3]));
    }

    @Test
    void twoProducerAndTwoConsumerProcessesPassEveryItemOnce() throws Exception
    {
        final ShmQueue<Long> queue = ShmQueue.openOrCreate(segment, "q", 16, 8, Codecs.LONG);
        final int count = 20_000;
        final List<JvmProcess> children = new ArrayList<>();
        try
        {
            for (int c = 0; c < 2; c++)
            {
                children.add(child(Consume.class));
            }
            final List<JvmProcess> producers = List.of(child(Produce.class, "1", Integer.toString(count)),
                child(Produce.class, "2", Integer.toString(count)));
            children.addAll(producers);
            for (final JvmProcess producer : producers)
            {
                assertEquals(0, producer.join(120, TimeUnit.SECONDS), producer.output());
            }
            queue.put(SENTINEL);
            queue.put(SENTINEL);
            long consumed = 0;
            long sum = 0;
            for (int c = 0; c < 2; c++)
            {
                final JvmProcess consumer = children.get(c);
                assertEquals(0, consumer.join(120, TimeUnit.SECONDS), consumer.output());
                final String[] words = consumer.awaitOutput(l -> l.startsWith("consumed"), 1, TimeUnit.SECONDS).split(" ");
                consumed += Long.parseLong(words[1]);
                sum += Long.parseLong(words[3]);
            }
            final long expected = (1_000_000_000L + 2_000_000_000L) * count + 2L * count * (count - 1) / 2;
            assertEquals(2L * count, consumed);
            assertEquals(expected, sum, "every item exactly once");
            assertTrue(queue.isEmpty());
        }
        finally
        {
            children.forEach(JvmProcess::close);
        }
    }

    @Test
    void joinReturnsWhenAWorkerProcessHasDoneEveryTask() throws Exception
    {
        final ShmJoinableQueue<String> queue = ShmJoinableQueue.openOrCreate(segment, "jq", 16, 64, Codecs.STRING);
        try (JvmProcess worker = child(Work.class))
        {
            for (int i = 0; i < 100; i++)
            {
                queue.put("task " + i);
            }
            assertTrue(queue.join(60, TimeUnit.SECONDS));
            assertEquals(100, LongValue.openOrCreate(segment, "done").get());
            assertEquals(0, queue.unfinishedTasks());
            queue.put("stop");
            queue.join();
            assertEquals(0, worker.join(60, TimeUnit.SECONDS), worker.output());
        }
    }

    @Test
    void taskDoneCalledMoreTimesThanItemsTakenThrows() throws Exception
    {
        final ShmJoinableQueue<String> queue = ShmJoinableQueue.openOrCreate(segment, "jq", 4, 8, Codecs.STRING);
        assertThrows(IllegalStateException.class, queue::taskDone, "nothing taken");
        queue.put("a");
        assertThrows(IllegalStateException.class, queue::taskDone, "put but not taken");
        assertEquals("a", queue.take());
        queue.taskDone();
        final IllegalStateException ex = assertThrows(IllegalStateException.class, queue::taskDone);
        assertTrue(ex.getMessage().contains("more times than items taken"), ex.getMessage());
        assertTrue(queue.join(1, TimeUnit.SECONDS));
    }

    @Test
    void consumerKilledWithAnUnfinishedTaskMakesJoinFail() throws Exception
    {
        final ShmJoinableQueue<String> queue = ShmJoinableQueue.openOrCreate(segment, "jq", 16, 64, Codecs.STRING);
        try (JvmProcess worker = child(Work.class))
        {
            queue.put("hang");
            worker.awaitOutput(line -> line.equals("hanging on a task"), 60, TimeUnit.SECONDS);
            assertFalse(queue.join(100, TimeUnit.MILLISECONDS), "a live worker is waited for");
            worker.killAndWait();
            final PeerDiedException ex = assertThrows(PeerDiedException.class, queue::join);
            assertTrue(ex.getMessage().contains(Long.toString(worker.pid())) && ex.getMessage().contains("1 item"),
                ex.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"put:recorded", "put:tail-moved", "put:counted"})
    void producerKilledInsideAPutLeavesTheItemQueuedAndCounted(final String point) throws Exception
    {
        final ShmJoinableQueue<String> queue = ShmJoinableQueue.openOrCreate(segment, "jq", 16, 64, Codecs.STRING);
        killInside(point);
        assertEquals(1, queue.unfinishedTasks(), "the put is finished");
        assertEquals(1, queue.size());
        assertEquals("a", queue.poll());
        assertFalse(queue.join(0, TimeUnit.SECONDS), "taken, not yet done");
        queue.taskDone();
        assertTrue(queue.join(10, TimeUnit.SECONDS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"take:recorded", "take:head-moved", "take:counted"})
    void consumerKilledInsideATakeLeavesTheItemForTheNextConsumer(final String point) throws Exception
    {
        final ShmJoinableQueue<String> queue = ShmJoinableQueue.openOrCreate(segment, "jq", 16, 64, Codecs.STRING);
        queue.put("a");
        killInside(point);
        assertEquals(1, queue.size(), "the take is undone");
        assertEquals(1, queue.unfinishedTasks());
        assertFalse(queue.join(0, TimeUnit.SECONDS), "waits for the item, and blames no dead consumer for it");
        assertEquals("a", queue.poll());
        queue.taskDone();
        assertTrue(queue.join(10, TimeUnit.SECONDS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"done:recorded", "done:taken-counted", "done:unfinished-counted"})
    void consumerKilledInsideTaskDoneHasFinishedTheTask(final String point) throws Exception
    {
        final ShmJoinableQueue<String> queue = ShmJoinableQueue.openOrCreate(segment, "jq", 16, 64, Codecs.STRING);
        queue.put("a");
        killInside(point);
        assertEquals(0, queue.unfinishedTasks(), "taskDone is finished");
        assertEquals(0, queue.size());
        assertTrue(queue.join(10, TimeUnit.SECONDS), "no dead consumer holds an unfinished item");
        queue.put("b");
        assertEquals("b", queue.take());
        queue.taskDone();
        assertTrue(queue.join(10, TimeUnit.SECONDS));
    }

    private void killInside(final String point) throws Exception
    {
        try (JvmProcess victim = child(StopIn.class, point))
        {
            victim.awaitOutput(line -> line.equals("stopped at " + point), 60, TimeUnit.SECONDS);
            victim.killAndWait();
        }
    }

    private JvmProcess child(final Class<?> scenario, final String... args)
    {
        return ChildArgs.child(scenario, segments, name, args).jvmArgs("-XX:TieredStopAtLevel=1").start();
    }

    static final long SENTINEL = -1;

    /**
     * Child: puts {@code count} numbers tagged with its producer id: {@code (producer, count)}.
     */
    public static final class Produce
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.open(args))
            {
                final Segment segment = child.segment();
                final ShmQueue<Long> queue = ShmQueue.openOrCreate(segment, "q", 16, 8, Codecs.LONG);
                final long producer = child.getLong(0);
                final long count = child.getLong(1);
                for (long i = 0; i < count; i++)
                {
                    queue.put(producer * 1_000_000_000L + i);
                }
                System.out.println("produced " + count);
            }
        }
    }

    /**
     * Child: takes numbers until the sentinel, then prints their count and sum.
     */
    public static final class Consume
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.open(args))
            {
                final Segment segment = child.segment();
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
        }
    }

    /**
     * Child: takes tasks from the joinable queue and marks each done, until "stop"; hangs on "hang".
     */
    public static final class Work
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.open(args))
            {
                final Segment segment = child.segment();
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
        }
    }

    /**
     * Child: stops inside a step of the joinable queue until killed: {@code (point)}.
     */
    public static final class StopIn
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.open(args))
            {
                final Segment segment = child.segment();
                stopIn(ShmJoinableQueue.openOrCreate(segment, "jq", 16, 64, Codecs.STRING), child.get(0));
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
