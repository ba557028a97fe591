package io.shm.sync.tck;

import io.shm.test.Await;
import io.shm.test.SegmentTestCase;
import org.junit.jupiter.api.AfterEach;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What the cases ported from the JSR-166 TCK share (the TCK is public domain, CC0; its authors
 * are Doug Lea and members of the JSR-166 expert group, with Andrew Wright, Jeffrey Hayes, Pat
 * Fisher and Mike Judd): a segment for the objects under test, threads whose failures fail the
 * test, and the TCK's delays. Where the TCK waits for a thread to show as parked
 * ({@code Thread.State.WAITING}), these cases wait for the object's own count of sleeping
 * waiters: a thread asleep on a futex shows as RUNNABLE.
 */
abstract class TckCase extends SegmentTestCase
{
    /**
     * The TCK's short delay: what a timed wait that must time out waits.
     */
    static final long SHORT_DELAY_MS = 50;

    /**
     * How long a wait that must succeed may take.
     */
    static final Duration LONG_DELAY = Await.scaled(Duration.ofSeconds(10));

    private final List<Thread> threads = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    @AfterEach
    void checkThreads() throws Exception
    {
        for (final Thread thread : threads)
        {
            thread.interrupt();
            thread.join(LONG_DELAY.toMillis());
            assertFalse(thread.isAlive(), thread + " still runs");
        }
        if (failure.get() != null)
        {
            fail("a test thread failed", failure.get());
        }
    }

    /**
     * Something a test thread runs, which may throw.
     */
    @FunctionalInterface
    interface Body
    {
        void run() throws Exception;
    }

    Thread newStartedThread(final Body body)
    {
        final Thread thread = new Thread(() ->
        {
            try
            {
                body.run();
            }
            catch (final Throwable ex)
            {
                failure.compareAndSet(null, ex);
            }
        });
        threads.add(thread);
        thread.start();
        return thread;
    }

    void awaitTermination(final Thread thread) throws InterruptedException
    {
        thread.join(LONG_DELAY.toMillis());
        assertFalse(thread.isAlive(), thread + " did not end");
        if (failure.get() != null)
        {
            fail("a test thread failed", failure.get());
        }
    }

    static void awaitCondition(final BooleanSupplier condition, final String what) throws InterruptedException
    {
        Await.await(condition, LONG_DELAY, what);
    }

    static long millisElapsedSince(final long startNanos)
    {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
