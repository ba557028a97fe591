package io.shm.sync;

import io.shm.process.JvmProcess;
import io.shm.segment.Segment;
import io.shm.test.Await;
import io.shm.test.TestSegments;
import io.shm.value.IntValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
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
        try (JvmProcess consumer = child("consume", strategy, Integer.toString(items));
            JvmProcess producer = child("produce", strategy, Integer.toString(items)))
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
                waiters.add(child("await-event", strategy));
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
        try (JvmProcess taker = child("buffer-take", strategy, Integer.toString(items));
            JvmProcess putter = child("buffer-put", strategy, Integer.toString(items)))
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
                parties.add(child("barrier", strategy, "50"));
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
        try (JvmProcess victim = child("barrier", strategy, "1"); JvmProcess survivor = child("barrier", strategy, "1"))
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
        try (JvmProcess patient = child("barrier-timed", strategy, "60000"))
        {
            Await.await(() -> barrier.getNumberWaiting() == 1, Await.PROMPT, "the patient party waiting");
            try (JvmProcess hasty = child("barrier-timed", strategy, "200"))
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
        try (JvmProcess waiter = child("park-forever", "futex", what))
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

    private JvmProcess child(final String command, final String strategy, final String... args)
    {
        final List<String> all = new ArrayList<>(List.of(command, segments.directory().toString(), name, strategy));
        all.addAll(List.of(args));
        return JvmProcess.builder(SyncChild.class).jvmArgs("-XX:TieredStopAtLevel=1")
            .args(all.toArray(String[]::new)).captureOutput().start();
    }
}
