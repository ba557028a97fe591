package io.shm.wait;

import java.util.concurrent.TimeUnit;

/**
 * Deadlines of waits, as {@link System#nanoTime()} values held in a {@code long} (a wait on a hot
 * path allocates nothing), with {@link #NONE} for a wait without one. Timeouts are read as
 * {@code java.util.concurrent} reads them: zero or negative means "do not wait".
 */
public final class Deadline
{
    /**
     * No deadline: wait as long as it takes.
     */
    public static final long NONE = Long.MIN_VALUE;

    private Deadline()
    {
    }

    /**
     * @param time a timeout; zero or negative means "do not wait".
     * @param unit its unit.
     * @return the timeout in nanoseconds, at least 0.
     */
    public static long nanos(final long time, final TimeUnit unit)
    {
        return Math.max(0, unit.toNanos(time));
    }

    /**
     * @param timeoutNanos a timeout, 0 or more; negative for none.
     * @return the deadline that far from now, or {@link #NONE} (also for a timeout too long to
     *         express, about 292 years).
     */
    public static long after(final long timeoutNanos)
    {
        if (timeoutNanos < 0)
        {
            return NONE;
        }
        final long now = System.nanoTime();
        final long deadline = now + timeoutNanos;
        return deadline - now < 0 || deadline == NONE ? NONE : deadline;
    }

    /**
     * @param time a timeout; zero or negative means "do not wait".
     * @param unit its unit.
     * @return the deadline that far from now.
     */
    public static long after(final long time, final TimeUnit unit)
    {
        return after(nanos(time, unit));
    }

    /**
     * @param deadline a deadline, or {@link #NONE}.
     * @param now      {@link System#nanoTime()} now.
     * @return the nanoseconds left, 0 or less once passed; {@link Long#MAX_VALUE} for none.
     */
    public static long remaining(final long deadline, final long now)
    {
        return deadline == NONE ? Long.MAX_VALUE : deadline - now;
    }

    /**
     * @param deadline a deadline, or {@link #NONE}.
     * @param now      {@link System#nanoTime()} now.
     * @return whether it has passed.
     */
    public static boolean hasPassed(final long deadline, final long now)
    {
        return deadline != NONE && now - deadline >= 0;
    }
}
