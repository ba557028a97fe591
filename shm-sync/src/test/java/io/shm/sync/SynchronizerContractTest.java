package io.shm.sync;

import io.shm.exceptions.LockNotRecoverableException;
import io.shm.segment.Segment;
import io.shm.segment.SharedObject;
import io.shm.test.Await;
import io.shm.test.TestSegments;
import io.shm.wait.WaitStrategy;
import io.shm.wait.linux.Futex;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The contracts of the synchronizers within one JVM (threads), each run under both waiting
 * strategies (futex and portable); the cross-process tests check the same objects between JVMs.
 */
@Timeout(120)
@ParameterizedClass
@ValueSource(strings = {"futex", "portable"})
class SynchronizerContractTest
{
    @Parameter
    String strategyName;

    private final TestSegments segments = new TestSegments();
    private WaitStrategy strategy;
    private Segment segment;

    @BeforeEach
    void createSegment()
    {
        strategy = CrossProcessLockTest.strategy(strategyName);
        segment = Segment.create(segments.name("contract"), segments.options());
    }

    @AfterEach
    void removeSegment()
    {
        segment.close();
        segments.close();
    }

    @Test
    void uncontendedPathsMakeNoSystemCall() throws Exception
    {
        final ShmLock lock = ShmLock.openOrCreate(segment, "lock", WaitStrategy.futex());
        final ShmReentrantLock rlock = ShmReentrantLock.openOrCreate(segment, "rlock", WaitStrategy.futex());
        final ShmSemaphore semaphore = ShmSemaphore.openOrCreate(segment, "semaphore", 1, WaitStrategy.futex());
        final ShmEvent event = ShmEvent.openOrCreate(segment, "event", WaitStrategy.futex());
        final ShmCondition condition = ShmCondition.openOrCreate(segment, "condition", lock);
        final long waits = Futex.waitCalls();
        final long wakes = Futex.wakeCalls();
        for (int i = 0; i < 10_000; i++)
        {
            lock.lock();
            condition.signal();
            lock.unlock();
            assertTrue(lock.tryLock());
            lock.unlock();
            rlock.lock();
            rlock.lock();
            rlock.unlock();
            rlock.unlock();
            semaphore.acquire();
            semaphore.release();
            event.set();
            assertTrue(event.isSet());
            event.await();
            event.clear();
        }
        assertEquals(waits, Futex.waitCalls(), "futex waits");
        assertEquals(wakes, Futex.wakeCalls(), "futex wakes");
    }

    @Test
    void lockExcludesThreadsAndWakesParkedOnes() throws Exception
    {
        final ShmLock lock = ShmLock.openOrCreate(segment, "lock", strategy);
        final long[] counter = new long[1];
        final Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++)
        {
            threads[t] = new Thread(() ->
            {
                for (int i = 0; i < 20_000; i++)
                {
                    lock.lock();
                    try
                    {
                        counter[0]++;
                    }
                    finally
                    {
                        lock.unlock();
                    }
                }
            });
            threads[t].start();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        assertEquals(80_000, counter[0]);
    }

    @Test
    void unlockByAnotherThreadIsRefusedAndTheLockStaysHeld() throws Exception
    {
        final ShmLock lock = ShmLock.openOrCreate(segment, "lock", strategy);
        assertThrows(IllegalMonitorStateException.class, lock::unlock, "unlock of a free lock");
        lock.lock();
        final CompletableFuture<Void> other = CompletableFuture.runAsync(lock::unlock);
        final ExecutionException ex = assertThrows(ExecutionException.class, other::get);
        assertInstanceOf(IllegalMonitorStateException.class, ex.getCause());
        assertTrue(lock.isHeldByCurrentThread());
        assertThrows(IllegalMonitorStateException.class, lock::lock, "a plain lock is not reentrant");
        lock.unlock();
        assertFalse(lock.isLocked());
    }

    @Test
    void reentrantLockCountsHolds() throws Exception
    {
        final ShmReentrantLock lock = ShmReentrantLock.openOrCreate(segment, "rlock", strategy);
        lock.lock();
        assertTrue(lock.tryLock());
        assertTrue(lock.tryLock(1, TimeUnit.SECONDS));
        lock.lockInterruptibly();
        assertEquals(4, lock.getHoldCount());
        assertFalse(CompletableFuture.supplyAsync(lock::tryLock).get(), "another thread cannot enter");
        for (int i = 0; i < 3; i++)
        {
            lock.unlock();
        }
        assertTrue(lock.isLocked());
        lock.unlock();
        assertFalse(lock.isLocked());
        assertEquals(0, lock.getHoldCount());
        assertThrows(IllegalMonitorStateException.class, lock::unlock);
    }

    @Test
    void negativeAndZeroTimeoutsDoNotWait() throws Exception
    {
        final ShmLock lock = ShmLock.openOrCreate(segment, "lock", strategy);
        final ShmSemaphore semaphore = ShmSemaphore.openOrCreate(segment, "semaphore", 0, strategy);
        final ShmEvent event = ShmEvent.openOrCreate(segment, "event", strategy);
        final ShmBarrier barrier = ShmBarrier.openOrCreate(segment, "barrier", 2, strategy);
        final Condition condition = lock.newCondition("c");
        CompletableFuture.runAsync(lock::lock).get();
        final long start = System.nanoTime();
        assertFalse(lock.tryLock(-5, TimeUnit.SECONDS));
        assertFalse(lock.tryLock(0, TimeUnit.SECONDS));
        assertFalse(semaphore.tryAcquire(-1, TimeUnit.DAYS));
        assertFalse(event.await(-1, TimeUnit.SECONDS));
        assertThrows(TimeoutException.class, () -> barrier.await(-1, TimeUnit.SECONDS));
        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 5, "nothing waited");
        assertEquals(0, semaphore.availablePermits());
        assertTrue(barrier.isBroken(), "a timed-out party breaks the barrier, as in CyclicBarrier");
        final ShmLock other = ShmLock.openOrCreate(segment, "other", strategy);
        other.lock();
        final Condition otherCondition = other.newCondition("c");
        assertFalse(otherCondition.await(-1, TimeUnit.SECONDS));
        assertTrue(otherCondition.awaitNanos(-1) <= 0);
        assertTrue(other.isHeldByCurrentThread(), "the lock is held again after the wait");
        other.unlock();
        assertThrows(IllegalMonitorStateException.class, condition::signal, "signal without the lock");
        assertThrows(IllegalArgumentException.class, () -> semaphore.release(-1));
        assertThrows(IllegalArgumentException.class, () -> ShmSemaphore.openOrCreate(segment, "bad", -1));
        assertThrows(IllegalArgumentException.class, () -> ShmBarrier.openOrCreate(segment, "bad", 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"lock", "semaphore", "event", "condition", "barrier"})
    void interruptEndsEachWaitAndLeavesTheStateIntact(final String what) throws Exception
    {
        final ShmLock lock = ShmLock.openOrCreate(segment, "lock", strategy);
        final ShmSemaphore semaphore = ShmSemaphore.openOrCreate(segment, "semaphore", 0, strategy);
        final ShmEvent event = ShmEvent.openOrCreate(segment, "event", strategy);
        final ShmCondition condition = ShmCondition.openOrCreate(segment, "condition", lock);
        final ShmBarrier barrier = ShmBarrier.openOrCreate(segment, "barrier", 2, strategy);
        if (what.equals("lock"))
        {
            lock.lock();
        }
        final AtomicReference<Throwable> thrown = new AtomicReference<>();
        final Thread waiter = new Thread(() ->
        {
            try
            {
                switch (what)
                {
                    case "lock" -> lock.lockInterruptibly();
                    case "semaphore" -> semaphore.acquire();
                    case "event" -> event.await();
                    case "condition" ->
                    {
                        lock.lock();
                        try
                        {
                            condition.await();
                        }
                        finally
                        {
                            assertTrue(lock.isHeldByCurrentThread(), "the condition gives the lock back");
                            lock.unlock();
                        }
                    }
                    default -> barrier.await();
                }
            }
            catch (final Throwable ex)
            {
                thrown.set(ex);
            }
        });
        waiter.start();
        Await.await(() -> waiter.getState() == Thread.State.TIMED_WAITING || waiter.getState() == Thread.State.WAITING ||
            (waiter.getState() == Thread.State.RUNNABLE && parked(what, lock, semaphore, event, condition, barrier)),
            Await.PROMPT, "waiter parked");
        Thread.sleep(50);
        waiter.interrupt();
        waiter.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(waiter.isAlive());
        assertInstanceOf(InterruptedException.class, thrown.get());
        switch (what)
        {
            case "lock" ->
            {
                assertTrue(lock.isHeldByCurrentThread());
                lock.unlock();
                assertTrue(lock.tryLock());
                lock.unlock();
            }
            case "semaphore" ->
            {
                assertEquals(0, semaphore.availablePermits());
                assertEquals(0, semaphore.waiters());
            }
            case "event" ->
            {
                assertFalse(event.isSet());
                assertEquals(0, event.waiters());
            }
            case "condition" ->
            {
                assertFalse(lock.isLocked());
                assertEquals(0, condition.waiters());
            }
            default -> assertTrue(barrier.isBroken(), "an interrupted party breaks the barrier");
        }
    }

    private static boolean parked(
        final String what, final ShmLock lock, final ShmSemaphore semaphore, final ShmEvent event, final ShmCondition condition, final ShmBarrier barrier)
    {
        return switch (what)
        {
            case "lock" -> lock.hasQueuedThreads();
            case "semaphore" -> semaphore.waiters() > 0;
            case "event" -> event.waiters() > 0;
            case "condition" -> condition.waiters() > 0;
            case "barrier" -> barrier.getNumberWaiting() > 0;
            default -> false;
        };
    }

    @Test
    void conditionsAreSharedByNameAndAnUnnamedOneIsRefused()
    {
        final ShmLock lock = ShmLock.openOrCreate(segment, "named.lock", strategy);
        final ShmReentrantLock reentrant = ShmReentrantLock.openOrCreate(segment, "named.rlock", strategy);
        final UnsupportedOperationException ex = assertThrows(UnsupportedOperationException.class, lock::newCondition);
        assertTrue(ex.getMessage().contains("newCondition(String)"), ex.getMessage());
        assertThrows(UnsupportedOperationException.class, reentrant::newCondition);
        final ShmCondition notFull = lock.newCondition("notFull");
        assertEquals("named.lock#notFull", notFull.name());
        assertEquals("named.rlock#notEmpty", reentrant.newCondition("notEmpty").name());
        lock.lock();
        try
        {
            // Made in the other order, or by another handle: the same objects by name.
            assertEquals(0, lock.newCondition("notEmpty").waiters());
            assertEquals(notFull.name(), lock.newCondition("notFull").name());
        }
        finally
        {
            lock.unlock();
        }
    }

    @Test
    void boundedSemaphoreRefusesToBeReleasedAboveItsInitialCount() throws Exception
    {
        final ShmBoundedSemaphore semaphore = ShmBoundedSemaphore.openOrCreate(segment, "bounded", 2, strategy);
        assertEquals(2, semaphore.bound());
        final IllegalStateException ex = assertThrows(IllegalStateException.class, semaphore::release);
        assertTrue(ex.getMessage().contains("bound 2"), ex.getMessage());
        assertEquals(2, semaphore.availablePermits(), "nothing was added");
        semaphore.acquire(2);
        semaphore.release();
        assertThrows(IllegalStateException.class, () -> semaphore.release(2));
        semaphore.release();
        assertEquals(2, semaphore.availablePermits());
        assertEquals(2, semaphore.drainPermits());
    }

    @Test
    void deadOwnerIsReportedToTheNextOwnerAndUnrepairedLockBecomesNotRecoverable() throws Exception
    {
        final ShmLock lock = ShmLock.openOrCreate(segment, "lock", strategy);
        // Process 1 exists, but not with this start time: a reused pid is a dead owner.
        plantOwner(lock.object(), 1, 12345);
        assertTrue(lock.tryLock(30, TimeUnit.SECONDS));
        assertTrue(lock.ownerDied(), "the new owner is told");
        lock.unlock();
        assertFalse(lock.isRecoverable());
        assertThrows(LockNotRecoverableException.class, lock::lock);
        assertThrows(LockNotRecoverableException.class, lock::tryLock);
        assertFalse(lock.isLocked(), "a refused acquire leaves the lock free");
    }

    @Test
    void repairedLockCarriesOnAsUsual() throws Exception
    {
        final ShmReentrantLock lock = ShmReentrantLock.openOrCreate(segment, "rlock", strategy);
        plantOwner(lock.object(), 1, 12345);
        lock.lock();
        assertTrue(lock.ownerDied());
        assertEquals(1, lock.getHoldCount());
        lock.markConsistent();
        assertFalse(lock.ownerDied());
        lock.unlock();
        assertTrue(lock.isRecoverable());
        assertTrue(lock.tryLock());
        lock.unlock();
    }

    @Test
    void eventSetThenClearedStillReleasesThoseWaiting() throws Exception
    {
        final ShmEvent event = ShmEvent.openOrCreate(segment, "event", strategy);
        final CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return event.await(30, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        Await.await(() -> event.waiters() > 0, Await.PROMPT, "waiter parked");
        event.set();
        event.clear();
        assertTrue(waiter.get(30, TimeUnit.SECONDS));
        assertFalse(event.isSet());
        assertFalse(event.await(10, TimeUnit.MILLISECONDS));
    }

    @Test
    void barrierResetBreaksWaitersAndStartsAFreshRound() throws Exception
    {
        final ShmBarrier barrier = ShmBarrier.openOrCreate(segment, "barrier", 2, strategy);
        final CompletableFuture<Throwable> waiter = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                barrier.await();
                return null;
            }
            catch (final Exception ex)
            {
                return ex;
            }
        });
        Await.await(() -> barrier.getNumberWaiting() == 1, Await.PROMPT, "one party waiting");
        barrier.reset();
        assertInstanceOf(BrokenBarrierException.class, waiter.get(30, TimeUnit.SECONDS));
        assertFalse(barrier.isBroken());
        final CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return barrier.await(30, TimeUnit.SECONDS);
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        Await.await(() -> barrier.getNumberWaiting() == 1, Await.PROMPT, "one party waiting");
        assertEquals(0, barrier.await(30, TimeUnit.SECONDS), "the last to arrive gets 0");
        assertEquals(1, first.get(30, TimeUnit.SECONDS));
    }

    private static void plantOwner(final SharedObject object, final int pid, final long startTime)
    {
        final AtomicBuffer buffer = object.buffer();
        final int base = SharedObject.DATA_OFFSET;
        buffer.putLongVolatile(base + LockDescriptor.OWNER_START_TIME_OFFSET, startTime);
        assertTrue(buffer.compareAndSetInt(base + LockDescriptor.LOCK_WORD_OFFSET, 0, pid));
    }
}
