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
     * The system property that sets {@link #FACTOR}: {@code mvn -B verify -Dshm.test.timeFactor=3}.
     */
    public static final String FACTOR_PROPERTY = "shm.test.timeFactor";

    /**
     * Multiplies every test delay; raise it on a slow machine with {@link #FACTOR_PROPERTY}.
     */
    public static final double FACTOR = factor(System.getProperty(FACTOR_PROPERTY, "1"));

    /**
     * How long a test waits for another process to do something quick.
     */
    public static final Duration PROMPT = scaled(Duration.ofSeconds(30));

    private Await()
    {
    }

    static double factor(final String value)
    {
        final double factor;
        try
        {
            factor = Double.parseDouble(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(FACTOR_PROPERTY + " must be a number: " + value, ex);
        }
        if (!(factor > 0) || Double.isInfinite(factor))
        {
            throw new IllegalArgumentException(FACTOR_PROPERTY + " must be a positive number: " + value);
        }
        return factor;
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
