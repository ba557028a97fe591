package io.shm.sync.tck;

import io.shm.sync.ShmBarrier;
import io.shm.wait.WaitStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The cases of the JSR-166 TCK's {@code CyclicBarrierTest} that apply to {@link ShmBarrier},
 * ported. Differences: the barrier action is given per process when it is opened (an action
 * cannot cross processes), and the parties are fixed when the object is created.
 */
@Timeout(120)
class TckCyclicBarrierTest extends TckCase
{
    @Test
    void partiesMustBePositive()
    {
        assertThrows(IllegalArgumentException.class, () -> ShmBarrier.openOrCreate(segment, "zero", 0));
        assertThrows(IllegalArgumentException.class, () -> ShmBarrier.openOrCreate(segment, "negative", -1));
        assertEquals(2, ShmBarrier.openOrCreate(segment, "two", 2).getParties());
    }

    @Test
    void aSinglePartyBarrierTripsAtOnceAndRunsItsActionEachTime() throws Exception
    {
        final AtomicInteger count = new AtomicInteger();
        final ShmBarrier b = ShmBarrier.openOrCreate(segment, "one", 1, WaitStrategy.defaultStrategy(),
            count::incrementAndGet);
        assertEquals(0, b.await());
        assertEquals(0, b.await());
        assertEquals(2, count.get());
        assertEquals(0, b.getNumberWaiting());
    }

    @Test
    void twoPartiesTripTogetherAndTheWaitingCountShowsTheFirst() throws Exception
    {
        final ShmBarrier b = ShmBarrier.openOrCreate(segment, "two", 2);
        final Thread t = newStartedThread(() ->
        {
            b.await();
            b.await();
        });
        awaitCondition(() -> b.getNumberWaiting() == 1, "the thread to wait");
        b.await();
        b.await();
        awaitTermination(t);
        assertFalse(b.isBroken());
        assertEquals(0, b.getNumberWaiting());
    }

    @Test
    void anInterruptedWaiterBreaksTheBarrierForTheOthers() throws Exception
    {
        final ShmBarrier b = ShmBarrier.openOrCreate(segment, "three", 3);
        final Thread t1 = newStartedThread(() -> assertThrows(InterruptedException.class, b::await));
        final Thread t2 = newStartedThread(() -> assertThrows(BrokenBarrierException.class, b::await));
        awaitCondition(() -> b.getNumberWaiting() == 2, "both threads to wait");
        t1.interrupt();
        awaitTermination(t1);
        awaitTermination(t2);
        assertTrue(b.isBroken());
    }

    @Test
    void aTimedOutWaiterBreaksTheBarrierForTheOthers() throws Exception
    {
        final ShmBarrier b = ShmBarrier.openOrCreate(segment, "three", 3);
        final Thread t1 = newStartedThread(() ->
            assertThrows(TimeoutException.class, () -> b.await(SHORT_DELAY_MS, TimeUnit.MILLISECONDS)));
        final Thread t2 = newStartedThread(() -> assertThrows(BrokenBarrierException.class,
            () -> b.await(LONG_DELAY.toMillis(), TimeUnit.MILLISECONDS)));
        awaitTermination(t1);
        awaitTermination(t2);
        assertTrue(b.isBroken());
    }

    @Test
    void resetBreaksTheWaitersAndMakesTheBarrierUsableAgain() throws Exception
    {
        final ShmBarrier b = ShmBarrier.openOrCreate(segment, "three", 3);
        final Thread t1 = newStartedThread(() -> assertThrows(BrokenBarrierException.class, b::await));
        final Thread t2 = newStartedThread(() -> assertThrows(BrokenBarrierException.class, b::await));
        awaitCondition(() -> b.getNumberWaiting() == 2, "both threads to wait");
        b.reset();
        awaitTermination(t1);
        awaitTermination(t2);
        assertFalse(b.isBroken());
        final Thread t3 = newStartedThread(b::await);
        final Thread t4 = newStartedThread(b::await);
        b.await();
        awaitTermination(t3);
        awaitTermination(t4);
        assertFalse(b.isBroken());
    }

    @Test
    void aBrokenBarrierFailsEveryNewAwaitUntilReset() throws Exception
    {
        final ShmBarrier b = ShmBarrier.openOrCreate(segment, "two", 2);
        assertThrows(TimeoutException.class, () -> b.await(SHORT_DELAY_MS, TimeUnit.MILLISECONDS));
        assertTrue(b.isBroken());
        assertThrows(BrokenBarrierException.class, b::await);
        assertThrows(BrokenBarrierException.class, () -> b.await(SHORT_DELAY_MS, TimeUnit.MILLISECONDS));
        b.reset();
        assertFalse(b.isBroken());
        assertEquals(0, b.getNumberWaiting());
    }

    @Test
    void anActionThatThrowsBreaksTheBarrierAndReachesTheLastParty() throws Exception
    {
        final ShmBarrier b = ShmBarrier.openOrCreate(segment, "two", 2, WaitStrategy.defaultStrategy(), () ->
        {
            throw new NullPointerException("from the action");
        });
        final Thread t = newStartedThread(() -> assertThrows(BrokenBarrierException.class, b::await));
        awaitCondition(() -> b.getNumberWaiting() == 1, "the thread to wait");
        assertThrows(NullPointerException.class, b::await);
        awaitTermination(t);
        assertTrue(b.isBroken());
    }

    @Test
    void awaitIndexesCountDownToZeroForTheLastArrival() throws Exception
    {
        final ShmBarrier b = ShmBarrier.openOrCreate(segment, "three", 3);
        final AtomicInteger indexes = new AtomicInteger();
        final Thread t1 = newStartedThread(() -> indexes.addAndGet(1 << (4 * b.await())));
        awaitCondition(() -> b.getNumberWaiting() == 1, "the first thread to wait");
        final Thread t2 = newStartedThread(() -> indexes.addAndGet(1 << (4 * b.await())));
        awaitCondition(() -> b.getNumberWaiting() == 2, "the second thread to wait");
        assertEquals(0, b.await(), "the last to arrive gets index 0");
        awaitTermination(t1);
        awaitTermination(t2);
        assertEquals((1 << 4) + (1 << 8), indexes.get(), "the first gets parties - 1, the second parties - 2");
    }
}
