package io.shm.sync;

import java.util.concurrent.TimeUnit;

/**
 * Timeout arguments, read as {@code java.util.concurrent} reads them.
 */
final class Timeouts
{
    private Timeouts()
    {
    }

    /**
     * @param time a timeout; zero or negative means "do not wait", as in {@code Lock.tryLock(long, TimeUnit)}.
     * @param unit its unit.
     * @return the timeout in nanoseconds, at least 0.
     */
    static long nanos(final long time, final TimeUnit unit)
    {
        return Math.max(0, unit.toNanos(time));
    }
}
