package io.shm.sync.tck;

import io.shm.sync.ShmSemaphore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The cases of the JSR-166 TCK's {@code SemaphoreTest} that apply to {@link ShmSemaphore}, ported.
 * Not ported: fairness (a shared-memory semaphore has no queue to be fair with), negative
 * initial permits (refused here), {@code getQueuedThreads} (threads of other processes cannot be
 * listed; {@link ShmSemaphore#waiters()} counts the sleeping ones) and {@code reducePermits}.
 */
@Timeout(120)
class TckSemaphoreTest extends TckCase
{
    private ShmSemaphore semaphore(final int permits)
    {
        return ShmSemaphore.openOrCreate(segment, "semaphore", permits);
    }

    @Test
    void zeroAndPositiveInitialPermitsAreAllowed()
    {
        assertEquals(0, ShmSemaphore.openOrCreate(segment, "zero", 0).availablePermits());
        assertEquals(42, ShmSemaphore.openOrCreate(segment, "many", 42).availablePermits());
        assertThrows(IllegalArgumentException.class, () -> ShmSemaphore.openOrCreate(segment, "negative", -1));
    }

    @Test
    void tryAcquireSucceedsWhenPermitsSufficeElseFails()
    {
        final ShmSemaphore s = semaphore(2);
        assertTrue(s.tryAcquire());
        assertTrue(s.tryAcquire());
        assertEquals(0, s.availablePermits());
        assertFalse(s.tryAcquire());
        assertFalse(s.tryAcquire());
        assertEquals(0, s.availablePermits());
    }

    @Test
    void timedTryAcquireTimesOut() throws InterruptedException
    {
        final ShmSemaphore s = semaphore(0);
        final long start = System.nanoTime();
        assertFalse(s.tryAcquire(SHORT_DELAY_MS, TimeUnit.MILLISECONDS));
        assertTrue(millisElapsedSince(start) >= SHORT_DELAY_MS);
    }

    @Test
    void timedTryAcquireOfNTimesOut() throws InterruptedException
    {
        final ShmSemaphore s = semaphore(2);
        final long start = System.nanoTime();
        assertFalse(s.tryAcquire(3, SHORT_DELAY_MS, TimeUnit.MILLISECONDS));
        assertTrue(millisElapsedSince(start) >= SHORT_DELAY_MS);
        assertEquals(2, s.availablePermits(), "a timed-out acquire of several permits takes none");
    }

    @Test
    void acquireIsInterruptibleBeforeAndDuringTheWait() throws Exception
    {
        final ShmSemaphore s = semaphore(0);
        final Thread t = newStartedThread(() ->
        {
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, s::acquire);
            assertFalse(Thread.interrupted());
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () -> s.acquire(3));
            assertFalse(Thread.interrupted());
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () -> s.tryAcquire(LONG_DELAY.toMillis(), TimeUnit.MILLISECONDS));
            assertThrows(InterruptedException.class, () -> s.acquire(3));
            assertFalse(Thread.interrupted());
        });
        awaitCondition(() -> s.waiters() > 0, "the thread to sleep in acquire(3)");
        t.interrupt();
        awaitTermination(t);
        assertEquals(0, s.availablePermits());
    }

    @Test
    void acquireUninterruptiblyIsNotInterruptedAndKeepsTheInterrupt() throws Exception
    {
        final ShmSemaphore s = semaphore(0);
        final Thread t1 = newStartedThread(() ->
        {
            Thread.currentThread().interrupt();
            s.acquireUninterruptibly();
            assertTrue(Thread.interrupted());
        });
        final Thread t2 = newStartedThread(() ->
        {
            s.acquireUninterruptibly();
            assertTrue(Thread.interrupted());
        });
        awaitCondition(() -> s.waiters() == 2, "both threads to sleep");
        t2.interrupt();
        s.release(2);
        awaitTermination(t1);
        awaitTermination(t2);
    }

    @Test
    void releaseMakesPermitsAvailableToAWaiter() throws Exception
    {
        final ShmSemaphore s = semaphore(0);
        final Thread t = newStartedThread(() ->
        {
            s.acquire();
            s.release();
            s.release();
            s.acquire(2);
        });
        awaitCondition(() -> s.waiters() > 0, "the waiter to sleep");
        s.release();
        awaitTermination(t);
        assertEquals(0, s.availablePermits());
    }

    @Test
    void acquireAndReleaseOfNPermitsInOneThread() throws InterruptedException
    {
        final ShmSemaphore s = semaphore(1);
        for (int i = 1; i < 6; i++)
        {
            s.release(i);
            assertEquals(1 + i, s.availablePermits());
            s.acquire(i);
            assertEquals(1, s.availablePermits());
            s.acquireUninterruptibly(1);
            assertEquals(0, s.availablePermits());
            s.release(1);
        }
    }

    @Test
    void drainPermitsTakesAllAvailable()
    {
        final ShmSemaphore s = semaphore(0);
        assertEquals(0, s.drainPermits());
        s.release(10);
        assertEquals(10, s.drainPermits());
        assertEquals(0, s.availablePermits());
        assertFalse(s.tryAcquire());
    }

    @Test
    void negativeCountsAreRefused()
    {
        final ShmSemaphore s = semaphore(1);
        assertThrows(IllegalArgumentException.class, () -> s.acquire(-1));
        assertThrows(IllegalArgumentException.class, () -> s.acquireUninterruptibly(-1));
        assertThrows(IllegalArgumentException.class, () -> s.tryAcquire(-1));
        assertThrows(IllegalArgumentException.class, () -> s.tryAcquire(-1, 1, TimeUnit.MILLISECONDS));
        assertThrows(IllegalArgumentException.class, () -> s.release(-1));
        assertEquals(1, s.availablePermits());
    }
}
