package io.shm.sync;

import io.shm.launch.ProcessTarget;
import io.shm.launch.TargetArgs;
import io.shm.process.JvmProcess;
import io.shm.test.Await;
import io.shm.test.SegmentTestCase;
import io.shm.value.LongValue;
import io.shm.wait.WaitStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Python's conveniences in Java form: {@code with lock:} as try-with-resources, a condition's
 * {@code wait_for} and {@code notify(n)}, a barrier's action and {@code abort()}, zero permits.
 */
@Timeout(120)
class ErgonomicsTest extends SegmentTestCase
{
    private static final int ROUNDS = 20;

    @Test
    void aHoldUnlocksOnceWhenClosed() throws Exception
    {
        final ShmLock lock = ShmLock.openOrCreate(segment, "lock");
        try (Held held = lock.hold())
        {
            assertTrue(lock.isHeldByCurrentThread());
            held.close();
            assertFalse(lock.isLocked());
        }
        final ShmReentrantLock reentrant = ShmReentrantLock.openOrCreate(segment, "reentrant");
        try (Held outer = reentrant.hold(); Held inner = reentrant.holdInterruptibly())
        {
            assertEquals(2, reentrant.getHoldCount());
        }
        assertFalse(reentrant.isLocked());
        final ShmSemaphore semaphore = ShmSemaphore.openOrCreate(segment, "semaphore", 3);
        try (Held two = semaphore.hold(2))
        {
            assertEquals(1, semaphore.availablePermits());
        }
        assertEquals(3, semaphore.availablePermits());
    }

    @Test
    void zeroPermitsAreAcceptedAndNegativeOnesRefused() throws Exception
    {
        final ShmSemaphore semaphore = ShmSemaphore.openOrCreate(segment, "semaphore", 0);
        semaphore.acquire(0);
        assertTrue(semaphore.tryAcquire(0));
        assertTrue(semaphore.tryAcquire(0, 1, TimeUnit.MILLISECONDS));
        semaphore.release(0);
        assertEquals(0, semaphore.availablePermits());
        assertThrows(IllegalArgumentException.class, () -> semaphore.release(-1));
        assertThrows(IllegalArgumentException.class, () -> semaphore.tryAcquire(-1));
    }

    @Test
    void waitForReturnsThePredicatesValueAndSignalWakesAtMostN() throws Exception
    {
        final ShmLock lock = ShmLock.openOrCreate(segment, "lock");
        final ShmCondition ready = lock.newCondition("ready");
        final LongValue value = LongValue.openOrCreate(segment, "value");
        lock.lock();
        try
        {
            assertFalse(ready.waitFor(() -> value.getPlain() == 1, 20, TimeUnit.MILLISECONDS));
            value.setPlain(1);
            assertTrue(ready.waitFor(() -> value.getPlain() == 1, 0, TimeUnit.MILLISECONDS));
            ready.waitFor(() -> value.getPlain() == 1);
            ready.signal(0);
            assertThrows(IllegalArgumentException.class, () -> ready.signal(-1));
        }
        finally
        {
            lock.unlock();
        }
        final int waiters = 3;
        final AtomicInteger woken = new AtomicInteger();
        final List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < waiters; i++)
        {
            final Thread thread = new Thread(() ->
            {
                try (Held held = lock.holdInterruptibly())
                {
                    ready.waitFor(() -> value.getPlain() >= 2);
                    woken.incrementAndGet();
                    value.setPlain(value.getPlain() - 1);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            });
            thread.start();
            threads.add(thread);
        }
        Await.await(() -> ready.waiters() == waiters, Await.PROMPT, "three waiters");
        try (Held held = lock.hold())
        {
            value.setPlain(3);
            ready.signal(waiters);
        }
        Await.await(() -> woken.get() == 2, Await.PROMPT, "two waiters to pass");
        try (Held held = lock.hold())
        {
            assertEquals(2, woken.get(), "two waiters found the predicate true; the third waits on");
        }
        threads.forEach(Thread::interrupt);
        for (final Thread thread : threads)
        {
            thread.join();
        }
    }

    @Test
    void theLastPartyRunsItsActionBeforeAnyPartyIsReleasedAcrossProcesses() throws Exception
    {
        final LongValue actions = LongValue.openOrCreate(segment, "actions");
        final LongValue early = LongValue.openOrCreate(segment, "early");
        final ShmBarrier barrier = ShmBarrier.openOrCreate(segment, "barrier", 3, WaitStrategy.defaultStrategy(),
            actions::incrementAndGet);
        final List<JvmProcess> children = new ArrayList<>();
        try
        {
            for (int i = 0; i < 2; i++)
            {
                children.add(ProcessTarget.builder(Party.class, barrier, actions, early).captureOutput().start());
            }
            Party.rounds(barrier, actions, early);
            for (final JvmProcess child : children)
            {
                assertEquals(0, child.join(), child.output());
            }
        }
        finally
        {
            children.forEach(JvmProcess::close);
        }
        assertEquals(ROUNDS, actions.get(), "one action per generation, by whichever party arrived last");
        assertEquals(0, early.get(), "no party passed a generation before its action had run");
    }

    @Test
    void anActionThatThrowsBreaksTheBarrierAndAbortBreaksItUntilReset() throws Exception
    {
        final ShmBarrier failing = ShmBarrier.openOrCreate(segment, "failing", 1, WaitStrategy.defaultStrategy(), () ->
        {
            throw new IllegalStateException("action failed");
        });
        assertEquals("action failed", assertThrows(IllegalStateException.class, failing::await).getMessage());
        assertTrue(failing.isBroken());
        final ShmBarrier barrier = ShmBarrier.openOrCreate(segment, "barrier", 2);
        barrier.abort();
        assertTrue(barrier.isBroken());
        assertThrows(BrokenBarrierException.class, barrier::await);
        barrier.reset();
        assertFalse(barrier.isBroken());
    }

    /**
     * Passes the barrier {@link #ROUNDS} times, counting a pass that saw fewer actions than
     * generations completed.
     */
    public static final class Party implements ProcessTarget
    {
        @Override
        public void run(final TargetArgs args) throws Exception
        {
            final LongValue actions = args.open(1, LongValue.class);
            final Runnable action = actions::incrementAndGet;
            rounds(args.open(0, ShmBarrier.class, action), actions, args.open(2, LongValue.class));
        }

        static void rounds(final ShmBarrier barrier, final LongValue actions, final LongValue early) throws Exception
        {
            for (int round = 1; round <= ROUNDS; round++)
            {
                barrier.await(60, TimeUnit.SECONDS);
                if (actions.get() < round)
                {
                    early.incrementAndGet();
                }
            }
        }
    }
}
