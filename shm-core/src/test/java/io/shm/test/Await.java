package io.shm.test;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Bounded waiting for tests: a condition is polled until it holds or a deadline passes, and the
 * failure says what was waited for. Tests never sleep to wait for something.
 */
public final class Await
{
    /**
     * Multiplies every test delay; raise it on a slow machine.
     */
    public static final double FACTOR = 1.0;

    /**
     * How long a test waits for another process to do something quick.
     */
    public static final Duration PROMPT = scaled(Duration.ofSeconds(30));

    private Await()
    {
    }

    /**
     * @param delay a nominal delay.
     * @return the delay times {@link #FACTOR}.
     */
    public static Duration scaled(final Duration delay)
    {
        return Duration.ofNanos((long)(delay.toNanos() * FACTOR));
    }

    /**
     * Waits until {@code condition} holds.
     *
     * @param condition what must become true.
     * @param timeout   how long to wait.
     * @param what      what we waited for, for the failure message.
     * @throws InterruptedException if interrupted.
     */
    public static void await(final BooleanSupplier condition, final Duration timeout, final String what)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            Thread.sleep(1);
        }
    }
}
