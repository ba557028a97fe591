package io.shm.wait;

import io.shm.segment.Segment;
import io.shm.segment.SharedObject;
import io.shm.test.Await;
import io.shm.test.TestSegments;
import io.shm.wait.linux.Futex;
import io.shm.value.LongValue;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(60)
class FutexTest
{
    private static final int WORD = SharedObject.DATA_OFFSET;

    private final TestSegments segments = new TestSegments();
    private Segment segment;
    private AtomicBuffer buffer;

    @BeforeEach
    void createSegment()
    {
        segment = Segment.create(segments.name("futex"), segments.options());
        buffer = LongValue.openOrCreate(segment, "word").object().buffer();
    }

    @AfterEach
    void removeSegment()
    {
        segment.close();
        segments.close();
    }

    @Test
    void waitOnAChangedWordReturnsAtOnce()
    {
        buffer.putIntVolatile(WORD, 5);
        assertEquals(Futex.VALUE_CHANGED, Futex.await(buffer, WORD, 4, TimeUnit.SECONDS.toNanos(10)));
    }

    @Test
    void waitTimesOut()
    {
        final long start = System.nanoTime();
        assertEquals(Futex.TIMED_OUT, Futex.await(buffer, WORD, 0, TimeUnit.MILLISECONDS.toNanos(20)));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(15));
        assertEquals(Futex.TIMED_OUT, Futex.await(buffer, WORD, 0, 0));
    }

    @Test
    void wakeEndsAWaitWithoutWaitingForItsTimeout() throws Exception
    {
        final long start = System.nanoTime();
        final CompletableFuture<Integer> waiter = CompletableFuture.supplyAsync(
            () -> Futex.await(buffer, WORD, 0, TimeUnit.SECONDS.toNanos(30)));
        final long wakes = Futex.wakeCalls();
        int woken = 0;
        while (woken == 0 && !waiter.isDone())
        {
            woken = Futex.wake(buffer, WORD, 1);
            Thread.sleep(1);
        }
        assertEquals(Futex.WOKEN, waiter.get(30, TimeUnit.SECONDS));
        assertTrue(Futex.wakeCalls() > wakes, "wakes are counted");
        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 25, "not the timeout");
    }

    @Test
    void wakeWithNobodyWaitingWakesNobody()
    {
        assertEquals(0, Futex.wake(buffer, WORD, Integer.MAX_VALUE));
    }

    @Test
    void misalignedAndHeapWordsAreRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> Futex.wake(buffer, WORD + 1, 1));
        assertThrows(IllegalArgumentException.class, () -> Futex.await(buffer, WORD + 2, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Futex.wake(new UnsafeBuffer(new byte[64]), 0, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> Futex.wake(buffer, buffer.capacity() - 2, 1));
    }

    @Test
    void strategiesParkAndWake() throws Exception
    {
        for (final WaitStrategy strategy : new WaitStrategy[] {WaitStrategy.futex(), WaitStrategy.portable()})
        {
            buffer.putIntVolatile(WORD, 0);
            final long sleepsBefore = Futex.waitCalls();
            final CompletableFuture<Void> waiter = CompletableFuture.runAsync(() ->
            {
                int parks = 0;
                while (buffer.getIntVolatile(WORD) == 0)
                {
                    strategy.park(buffer, WORD, 0, TimeUnit.SECONDS.toNanos(30), parks++);
                }
            });
            if (strategy.usesFutex())
            {
                Await.await(() -> Futex.waitCalls() > sleepsBefore || waiter.isDone(), Await.PROMPT, "the waiter asleep");
            }
            buffer.putIntVolatile(WORD, 1);
            strategy.wake(buffer, WORD, 1);
            waiter.get(Await.PROMPT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(strategy.idle(0), strategy + " spins or yields first");
        }
        assertThrows(IllegalArgumentException.class, () -> WaitStrategy.futex().withCounts(-1, 0, 1));
        assertFalse(WaitStrategy.futex().withCounts(0, 0, 1).idle(0), "park at once");
    }
}
