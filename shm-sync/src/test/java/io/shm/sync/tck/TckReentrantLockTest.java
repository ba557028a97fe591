package io.shm.sync.tck;

import io.shm.sync.ShmCondition;
import io.shm.sync.ShmLock;
import io.shm.sync.ShmReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The cases of the JSR-166 TCK's {@code ReentrantLockTest} that apply to {@link ShmReentrantLock}
 * and {@link ShmLock} and their {@link ShmCondition}s, ported. Not ported: fairness, the queued
 * thread lists and {@code hasWaiters(Condition)} (threads of other processes cannot be listed;
 * {@link ShmLock#hasQueuedThreads()} and {@link ShmCondition#waiters()} count sleepers),
 * serialization, and the unnamed {@code newCondition()}, which is refused (conditions are named
 * across processes).
 */
@Timeout(120)
class TckReentrantLockTest extends TckCase
{
    private ShmReentrantLock lock()
    {
        return ShmReentrantLock.openOrCreate(segment, "lock");
    }

    @Test
    void lockedAfterLockAndNotAfterUnlock()
    {
        final ShmReentrantLock lock = lock();
        lock.lock();
        assertTrue(lock.isLocked());
        assertTrue(lock.isHeldByCurrentThread());
        lock.unlock();
        assertFalse(lock.isLocked());
        assertFalse(lock.isHeldByCurrentThread());
    }

    @Test
    void unlockByANonOwnerThrowsIllegalMonitorState() throws Exception
    {
        final ShmReentrantLock lock = lock();
        assertThrows(IllegalMonitorStateException.class, lock::unlock);
        lock.lock();
        final Thread t = newStartedThread(() -> assertThrows(IllegalMonitorStateException.class, lock::unlock));
        awaitTermination(t);
        assertTrue(lock.isHeldByCurrentThread());
        lock.unlock();
        final ShmLock plain = ShmLock.openOrCreate(segment, "plain");
        assertThrows(IllegalMonitorStateException.class, plain::unlock);
    }

    @Test
    void tryLockOnAFreeLockSucceedsAndOnAHeldOneFails() throws Exception
    {
        final ShmReentrantLock lock = lock();
        assertTrue(lock.tryLock());
        final Thread t = newStartedThread(() -> assertFalse(lock.tryLock()));
        awaitTermination(t);
        lock.unlock();
    }

    @Test
    void timedTryLockTimesOutOnAHeldLock() throws Exception
    {
        final ShmReentrantLock lock = lock();
        lock.lock();
        final Thread t = newStartedThread(() ->
        {
            final long start = System.nanoTime();
            assertFalse(lock.tryLock(SHORT_DELAY_MS, TimeUnit.MILLISECONDS));
            assertTrue(millisElapsedSince(start) >= SHORT_DELAY_MS);
        });
        awaitTermination(t);
        lock.unlock();
    }

    @Test
    void holdCountCountsNestedLocks()
    {
        final ShmReentrantLock lock = lock();
        for (int i = 1; i <= 10; i++)
        {
            lock.lock();
            assertEquals(i, lock.getHoldCount());
        }
        for (int i = 10; i > 0; i--)
        {
            lock.unlock();
            assertEquals(i - 1, lock.getHoldCount());
        }
    }

    @Test
    void lockInterruptiblyIsInterruptibleWhileWaiting() throws Exception
    {
        final ShmReentrantLock lock = lock();
        lock.lock();
        final Thread t = newStartedThread(() -> assertThrows(InterruptedException.class, lock::lockInterruptibly));
        awaitCondition(lock::hasQueuedThreads, "the thread to sleep for the lock");
        t.interrupt();
        awaitTermination(t);
        lock.unlock();
    }

    @Test
    void lockInterruptiblyOfAFreeLockWithTheInterruptSetThrows()
    {
        final ShmReentrantLock lock = lock();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, lock::lockInterruptibly);
        assertFalse(lock.isLocked());
    }

    @Test
    void anInterruptSetOnEntryFailsEveryInterruptibleAcquireEvenOfAHeldLock()
    {
        final ShmReentrantLock lock = lock();
        lock.lock();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, lock::lockInterruptibly);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> lock.tryLock(1, TimeUnit.MILLISECONDS));
        assertEquals(1, lock.getHoldCount());
        lock.unlock();
    }

    @Test
    void timedTryLockIsInterruptible() throws Exception
    {
        final ShmReentrantLock lock = lock();
        lock.lock();
        final Thread t = newStartedThread(() ->
            assertThrows(InterruptedException.class, () -> lock.tryLock(LONG_DELAY.toMillis(), TimeUnit.MILLISECONDS)));
        awaitCondition(lock::hasQueuedThreads, "the thread to sleep for the lock");
        t.interrupt();
        awaitTermination(t);
        lock.unlock();
    }

    @Test
    void lockOfAHeldLockWaitsUntilItIsUnlocked() throws Exception
    {
        final ShmReentrantLock lock = lock();
        lock.lock();
        final Thread t = newStartedThread(() ->
        {
            lock.lock();
            lock.unlock();
        });
        awaitCondition(lock::hasQueuedThreads, "the thread to sleep for the lock");
        assertTrue(t.isAlive());
        lock.unlock();
        awaitTermination(t);
    }

    @Test
    void awaitWithoutTheLockThrowsIllegalMonitorState()
    {
        final ShmReentrantLock lock = lock();
        final ShmCondition c = lock.newCondition("c");
        assertThrows(IllegalMonitorStateException.class, c::await);
        assertThrows(IllegalMonitorStateException.class, c::signal);
        assertThrows(IllegalMonitorStateException.class, c::signalAll);
        assertThrows(IllegalMonitorStateException.class, () -> c.awaitNanos(1));
    }

    @Test
    void timedAwaitsTimeOut() throws InterruptedException
    {
        final ShmReentrantLock lock = lock();
        final ShmCondition c = lock.newCondition("c");
        lock.lock();
        try
        {
            long start = System.nanoTime();
            assertTrue(c.awaitNanos(TimeUnit.MILLISECONDS.toNanos(SHORT_DELAY_MS)) <= 0);
            assertTrue(millisElapsedSince(start) >= SHORT_DELAY_MS);
            start = System.nanoTime();
            assertFalse(c.await(SHORT_DELAY_MS, TimeUnit.MILLISECONDS));
            assertTrue(millisElapsedSince(start) >= SHORT_DELAY_MS);
            start = System.nanoTime();
            assertFalse(c.awaitUntil(new Date(System.currentTimeMillis() + SHORT_DELAY_MS)));
            assertTrue(millisElapsedSince(start) >= SHORT_DELAY_MS - 10, "awaitUntil works in wall-clock milliseconds");
            assertTrue(lock.isHeldByCurrentThread(), "a timed-out await holds the lock again");
            assertEquals(1, lock.getHoldCount());
        }
        finally
        {
            lock.unlock();
        }
    }

    @Test
    void signalWakesAnAwaitingThread() throws Exception
    {
        final ShmReentrantLock lock = lock();
        final ShmCondition c = lock.newCondition("c");
        final Thread t = newStartedThread(() ->
        {
            lock.lock();
            try
            {
                c.await();
                assertTrue(lock.isHeldByCurrentThread());
            }
            finally
            {
                lock.unlock();
            }
        });
        awaitCondition(() -> c.waiters() == 1, "the thread to await");
        lock.lock();
        c.signal();
        lock.unlock();
        awaitTermination(t);
    }

    @Test
    void signalAllWakesEveryAwaitingThread() throws Exception
    {
        final ShmReentrantLock lock = lock();
        final ShmCondition c = lock.newCondition("c");
        final Thread[] threads = new Thread[3];
        for (int i = 0; i < threads.length; i++)
        {
            threads[i] = newStartedThread(() ->
            {
                lock.lock();
                try
                {
                    c.await();
                }
                finally
                {
                    lock.unlock();
                }
            });
        }
        awaitCondition(() -> c.waiters() == threads.length, "every thread to await");
        lock.lock();
        c.signalAll();
        lock.unlock();
        for (final Thread t : threads)
        {
            awaitTermination(t);
        }
    }

    @Test
    void awaitIsInterruptibleAndReacquiresTheLockAtItsHoldCount() throws Exception
    {
        final ShmReentrantLock lock = lock();
        final ShmCondition c = lock.newCondition("c");
        final Thread t = newStartedThread(() ->
        {
            lock.lock();
            lock.lock();
            try
            {
                assertThrows(InterruptedException.class, c::await);
                assertEquals(2, lock.getHoldCount());
            }
            finally
            {
                lock.unlock();
                lock.unlock();
            }
        });
        awaitCondition(() -> c.waiters() == 1, "the thread to await");
        t.interrupt();
        awaitTermination(t);
        assertFalse(lock.isLocked());
    }

    @Test
    void awaitUninterruptiblyKeepsTheInterrupt() throws Exception
    {
        final Lock lock = lock();
        final ShmCondition c = ((ShmReentrantLock)lock).newCondition("c");
        final Thread t = newStartedThread(() ->
        {
            lock.lock();
            try
            {
                c.awaitUninterruptibly();
                assertTrue(Thread.interrupted());
            }
            finally
            {
                lock.unlock();
            }
        });
        awaitCondition(() -> c.waiters() == 1, "the thread to await");
        t.interrupt();
        lock.lock();
        c.signal();
        lock.unlock();
        awaitTermination(t);
    }

    @Test
    void unnamedConditionsAreRefused()
    {
        assertThrows(UnsupportedOperationException.class, () -> lock().newCondition());
    }
}
