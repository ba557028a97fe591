package io.shm.sync;

import io.shm.process.JvmProcess;
import io.shm.segment.Segment;
import io.shm.test.Await;
import io.shm.test.ChildArgs;
import io.shm.test.TestSegments;
import io.shm.value.IntArray;
import io.shm.value.IntValue;
import io.shm.value.LongValue;
import io.shm.wait.WaitStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Semaphores, events, conditions and barriers across real, separate JVMs, under both waiting strategies.
 */
@Timeout(300)
class CrossProcessSynchronizersTest
{
    private final TestSegments segments = new TestSegments();
    private String name;
    private Segment segment;

    @BeforeEach
    void createSegment()
    {
        name = segments.name("sync");
        segment = Segment.create(name, segments.options());
    }

    @AfterEach
    void removeSegment()
    {
        segment.close();
        segments.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"futex", "portable"})
    void semaphoresHandItemsFromAProducerToAConsumerProcess(final String strategy) throws Exception
    {
        final int items = 20_000;
        try (JvmProcess consumer = child(Consume.class, strategy, Integer.toString(items));
            JvmProcess producer = child(Produce.class, strategy, Integer.toString(items)))
        {
            assertEquals(0, producer.join(240, TimeUnit.SECONDS), producer.output());
            assertEquals(0, consumer.join(240, TimeUnit.SECONDS), consumer.output());
            final long sum = 7L * items * (items + 1) / 2;
            assertTrue(consumer.output().contains("consumed " + items + " sum " + sum), consumer.output());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"futex", "portable"})
    void eventWakesThreeWaitingProcesses(final String strategy) throws Exception
    {
        final ShmEvent event = ShmEvent.openOrCreate(segment, "event", CrossProcessLockTest.strategy(strategy));
        final List<JvmProcess> waiters = new ArrayList<>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                waiters.add(child(AwaitEvent.class, strategy));
            }
            for (final JvmProcess waiter : waiters)
            {
                waiter.awaitOutput(line -> line.equals("waiting"), 60, TimeUnit.SECONDS);
            }
            IntValue.openOrCreate(segment, "payload").set(42);
            event.set();
            for (final JvmProcess waiter : waiters)
            {
                assertEquals(0, waiter.join(60, TimeUnit.SECONDS), waiter.output());
                assertTrue(waiter.output().contains("event true payload 42"), waiter.output());
            }
        }
        finally
        {
            waiters.forEach(JvmProcess::close);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"futex", "portable"})
    void conditionBoundedBufferOfTenCarriesItemsInOrderBetweenProcesses(final String strategy) throws Exception
    {
        final int items = 2_000;
        try (JvmProcess taker = child(BufferTake.class, strategy, Integer.toString(items));
            JvmProcess putter = child(BufferPut.class, strategy, Integer.toString(items)))
        {
            assertEquals(0, putter.join(240, TimeUnit.SECONDS), putter.output());
            assertEquals(0, taker.join(240, TimeUnit.SECONDS), taker.output());
            assertTrue(taker.output().contains("took " + items), taker.output());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"futex", "portable"})
    void threeProcessesMeetAtABarrierRoundAfterRound(final String strategy) throws Exception
    {
        final List<JvmProcess> parties = new ArrayList<>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                parties.add(child(Barrier.class, strategy, "50"));
            }
            for (final JvmProcess party : parties)
            {
                assertEquals(0, party.join(240, TimeUnit.SECONDS), party.output());
                assertTrue(party.output().contains("passed 50"), party.output());
            }
        }
        finally
        {
            parties.forEach(JvmProcess::close);
        }
        assertFalse(ShmBarrier.openOrCreate(segment, "barrier", 3).isBroken());
    }

    @ParameterizedTest
    @ValueSource(strings = {"futex", "portable"})
    void killedPartyBreaksTheBarrierForTheOthers(final String strategy) throws Exception
    {
        final ShmBarrier barrier = ShmBarrier.openOrCreate(segment, "barrier", 3);
        try (JvmProcess victim = child(Barrier.class, strategy, "1"); JvmProcess survivor = child(Barrier.class, strategy, "1"))
        {
            victim.awaitOutput(line -> line.equals("ready"), 60, TimeUnit.SECONDS);
            survivor.awaitOutput(line -> line.equals("ready"), 60, TimeUnit.SECONDS);
            Await.await(() -> barrier.getNumberWaiting() == 2, Await.PROMPT, "two parties waiting");
            victim.killAndWait();
            assertEquals(0, survivor.join(60, TimeUnit.SECONDS), survivor.output());
            assertTrue(survivor.output().contains("broken"), survivor.output());
            assertTrue(barrier.isBroken());
            assertEquals(0, barrier.getNumberWaiting(), "the survivor left and the victim is dead");
            barrier.reset();
            assertFalse(barrier.isBroken());
            assertEquals(0, barrier.getNumberWaiting());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"futex", "portable"})
    void partiesThatLeftABrokenBarrierAreNoLongerCountedAsWaiting(final String strategy) throws Exception
    {
        final ShmBarrier barrier = ShmBarrier.openOrCreate(segment, "barrier", 3);
        try (JvmProcess patient = child(BarrierTimed.class, strategy, "60000"))
        {
            Await.await(() -> barrier.getNumberWaiting() == 1, Await.PROMPT, "the patient party waiting");
            try (JvmProcess hasty = child(BarrierTimed.class, strategy, "200"))
            {
                assertEquals(0, hasty.join(60, TimeUnit.SECONDS), hasty.output());
                assertTrue(hasty.output().contains("timed out"), hasty.output());
            }
            assertEquals(0, patient.join(60, TimeUnit.SECONDS), patient.output());
            assertTrue(patient.output().contains("broken"), patient.output());
        }
        assertTrue(barrier.isBroken());
        assertEquals(0, barrier.getNumberWaiting(), "both parties left the broken barrier");
        barrier.reset();
        assertEquals(0, barrier.getNumberWaiting());
        assertFalse(barrier.isBroken());
    }

    @ParameterizedTest
    @ValueSource(strings = {"semaphore", "event", "condition"})
    void killedWaiterNeverBlocksTheNotifier(final String what) throws Exception
    {
        final ShmLock lock = ShmLock.openOrCreate(segment, "lock");
        final ShmCondition condition = ShmCondition.openOrCreate(segment, "condition", lock);
        final ShmSemaphore semaphore = ShmSemaphore.openOrCreate(segment, "semaphore", 0);
        final ShmEvent event = ShmEvent.openOrCreate(segment, "event");
        try (JvmProcess waiter = child(ParkForever.class, "futex", what))
        {
            waiter.awaitOutput(line -> line.equals("parking"), 60, TimeUnit.SECONDS);
            Await.await(() -> switch (what)
            {
                case "semaphore" -> semaphore.waiters() == 1;
                case "event" -> event.waiters() == 1;
                default -> lock.tryLock() && unlockAndCount(lock, condition) == 1;
            }, Await.PROMPT, what + " waiter parked");
            waiter.killAndWait();
        }
        switch (what)
        {
            case "semaphore" ->
            {
                semaphore.release();
                assertEquals(1, semaphore.availablePermits());
                assertTrue(semaphore.tryAcquire(1, TimeUnit.SECONDS));
            }
            case "event" ->
            {
                event.set();
                assertTrue(event.isSet());
            }
            default ->
            {
                assertTrue(lock.tryLock(10, TimeUnit.SECONDS), "the dead waiter released the lock while waiting");
                condition.signalAll();
                condition.signal();
                lock.unlock();
            }
        }
    }

    private static int unlockAndCount(final ShmLock lock, final ShmCondition condition)
    {
        final int waiters = condition.waiters();
        lock.unlock();
        return waiters;
    }

    private JvmProcess child(final Class<?> scenario, final String strategy, final String... args)
    {
        final List<String> all = new ArrayList<>(List.of(strategy));
        all.addAll(List.of(args));
        return ChildArgs.child(scenario, segments, name, all.toArray(String[]::new)).jvmArgs("-XX:TieredStopAtLevel=1").start();
    }

    /**
     * Child: puts items through a one-slot buffer of two semaphores: {@code (strategy, items)}.
     */
    public static final class Produce
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.openOrCreate(args))
            {
                produce(child.segment(), child.strategy(0), child.getInt(1));
            }
        }
    }

    /**
     * Child: takes the items of {@link Produce}, checking each: {@code (strategy, items)}.
     */
    public static final class Consume
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.openOrCreate(args))
            {
                consume(child.segment(), child.strategy(0), child.getInt(1));
            }
        }
    }

    /**
     * Child: waits for the event and prints the payload: {@code (strategy)}.
     */
    public static final class AwaitEvent
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.openOrCreate(args))
            {
                awaitEvent(child.segment(), child.strategy(0));
            }
        }
    }

    /**
     * Child: puts items into the bounded buffer: {@code (strategy, items)}.
     */
    public static final class BufferPut
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.openOrCreate(args))
            {
                bufferPut(child.segment(), child.strategy(0), child.getInt(1));
            }
        }
    }

    /**
     * Child: takes items from the bounded buffer, checking their order: {@code (strategy, items)}.
     */
    public static final class BufferTake
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.openOrCreate(args))
            {
                bufferTake(child.segment(), child.strategy(0), child.getInt(1));
            }
        }
    }

    /**
     * Child: passes the 3-party barrier a number of rounds: {@code (strategy, rounds)}.
     */
    public static final class Barrier
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.openOrCreate(args))
            {
                barrier(child.segment(), child.strategy(0), child.getInt(1));
            }
        }
    }

    /**
     * Child: waits once at the 3-party barrier, timed: {@code (strategy, millis)}.
     */
    public static final class BarrierTimed
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.openOrCreate(args))
            {
                barrierTimed(child.segment(), child.strategy(0), child.getLong(1));
            }
        }
    }

    /**
     * Child: waits forever on a synchronizer: {@code (strategy, what)}.
     */
    public static final class ParkForever
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.openOrCreate(args))
            {
                parkForever(child.segment(), child.strategy(0), child.get(1));
            }
        }
    }

    private static void produce(final Segment segment, final WaitStrategy strategy, final int items) throws Exception
    {
        final ShmSemaphore filled = ShmSemaphore.openOrCreate(segment, "filled", 0, strategy);
        final ShmSemaphore empty = ShmSemaphore.openOrCreate(segment, "empty", 1, strategy);
        final LongValue slot = LongValue.openOrCreate(segment, "slot");
        for (int i = 1; i <= items; i++)
        {
            empty.acquire();
            slot.setPlain(i * 7L);
            filled.release();
        }
        System.out.println("produced " + items);
    }

    private static void consume(final Segment segment, final WaitStrategy strategy, final int items) throws Exception
    {
        final ShmSemaphore filled = ShmSemaphore.openOrCreate(segment, "filled", 0, strategy);
        final ShmSemaphore empty = ShmSemaphore.openOrCreate(segment, "empty", 1, strategy);
        final LongValue slot = LongValue.openOrCreate(segment, "slot");
        long sum = 0;
        for (int i = 1; i <= items; i++)
        {
            filled.acquire();
            final long value = slot.getPlain();
            if (value != i * 7L)
            {
                throw new IllegalStateException("item " + i + " was " + value);
            }
            sum += value;
            empty.release();
        }
        System.out.println("consumed " + items + " sum " + sum);
    }

    private static void awaitEvent(final Segment segment, final WaitStrategy strategy) throws Exception
    {
        final ShmEvent event = ShmEvent.openOrCreate(segment, "event", strategy);
        System.out.println("waiting");
        final boolean set = event.await(60, TimeUnit.SECONDS);
        System.out.println("event " + set + " payload " + IntValue.openOrCreate(segment, "payload").get());
    }

    private static void bufferPut(final Segment segment, final WaitStrategy strategy, final int items) throws Exception
    {
        final BoundedBuffer buffer = new BoundedBuffer(segment, strategy);
        for (int i = 1; i <= items; i++)
        {
            buffer.put(i);
        }
        System.out.println("put " + items);
    }

    private static void bufferTake(final Segment segment, final WaitStrategy strategy, final int items) throws Exception
    {
        final BoundedBuffer buffer = new BoundedBuffer(segment, strategy);
        for (int i = 1; i <= items; i++)
        {
            final int item = buffer.take();
            if (item != i)
            {
                throw new IllegalStateException("took " + item + ", expected " + i);
            }
        }
        System.out.println("took " + items);
    }

    private static void barrier(final Segment segment, final WaitStrategy strategy, final int rounds) throws Exception
    {
        final ShmBarrier barrier = ShmBarrier.openOrCreate(segment, "barrier", 3, strategy);
        final LongValue arrivals = LongValue.openOrCreate(segment, "arrivals");
        System.out.println("ready");
        try
        {
            for (int round = 0; round < rounds; round++)
            {
                arrivals.incrementAndGet();
                barrier.await(60, TimeUnit.SECONDS);
                // Every party of this round arrived before anyone passed.
                if (arrivals.get() < 3L * (round + 1))
                {
                    throw new IllegalStateException("passed round " + round + " with " + arrivals.get() + " arrivals");
                }
            }
            System.out.println("passed " + rounds);
        }
        catch (final BrokenBarrierException ex)
        {
            System.out.println("broken");
        }
    }

    /**
     * Waits once at the 3-party barrier for at most {@code millis}; prints how the wait ended.
     */
    private static void barrierTimed(final Segment segment, final WaitStrategy strategy, final long millis)
        throws InterruptedException
    {
        final ShmBarrier barrier = ShmBarrier.openOrCreate(segment, "barrier", 3, strategy);
        System.out.println("ready");
        try
        {
            barrier.await(millis, TimeUnit.MILLISECONDS);
            System.out.println("passed");
        }
        catch (final java.util.concurrent.TimeoutException ex)
        {
            System.out.println("timed out");
        }
        catch (final BrokenBarrierException ex)
        {
            System.out.println("broken");
        }
    }

    private static void parkForever(final Segment segment, final WaitStrategy strategy, final String what) throws Exception
    {
        System.out.println("parking");
        switch (what)
        {
            case "semaphore" -> ShmSemaphore.openOrCreate(segment, "semaphore", 0, strategy).acquire();
            case "event" -> ShmEvent.openOrCreate(segment, "event", strategy).await();
            case "condition" ->
            {
                final ShmLock lock = ShmLock.openOrCreate(segment, "lock", strategy);
                final ShmCondition condition = ShmCondition.openOrCreate(segment, "condition", lock);
                lock.lock();
                condition.await();
            }
            case "barrier" -> ShmBarrier.openOrCreate(segment, "barrier", 3, strategy).await();
            default -> throw new IllegalArgumentException(what);
        }
    }

    /**
     * The tutorial's bounded buffer: capacity 10, a lock and two conditions.
     */
    static final class BoundedBuffer
    {
        static final int CAPACITY = 10;

        private final ShmLock lock;
        private final ShmCondition notFull;
        private final ShmCondition notEmpty;
        private final IntArray items;
        private final IntValue count;
        private final IntValue head;

        BoundedBuffer(final Segment segment, final WaitStrategy strategy)
        {
            lock = ShmLock.openOrCreate(segment, "buffer.lock", strategy);
            notFull = ShmCondition.openOrCreate(segment, "buffer.notFull", lock);
            notEmpty = ShmCondition.openOrCreate(segment, "buffer.notEmpty", lock);
            items = IntArray.openOrCreate(segment, "buffer.items", CAPACITY);
            count = IntValue.openOrCreate(segment, "buffer.count");
            head = IntValue.openOrCreate(segment, "buffer.head");
        }

        void put(final int item) throws InterruptedException
        {
            lock.lock();
            try
            {
                while (count.getPlain() == CAPACITY)
                {
                    notFull.await();
                }
                items.setPlain((head.getPlain() + count.getPlain()) % CAPACITY, item);
                count.setPlain(count.getPlain() + 1);
                notEmpty.signal();
            }
            finally
            {
                lock.unlock();
            }
        }

        int take() throws InterruptedException
        {
            lock.lock();
            try
            {
                while (count.getPlain() == 0)
                {
                    notEmpty.await();
                }
                final int item = items.getPlain(head.getPlain());
                head.setPlain((head.getPlain() + 1) % CAPACITY);
                count.setPlain(count.getPlain() - 1);
                notFull.signal();
                return item;
            }
            finally
            {
                lock.unlock();
            }
        }
    }
}
