package io.shm.perf.xproc;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The CPU time of this whole process, every thread included (the JVM's own as well as ours), in
 * nanoseconds: {@code clock_gettime(CLOCK_PROCESS_CPUTIME_ID)}. The JDK's
 * {@code OperatingSystemMXBean.getProcessCpuTime} counts in scheduler ticks (10 ms here), too
 * coarse for an idle process measured over seconds.
 */
final class ProcessCpuClock
{
    private static final int CLOCK_PROCESS_CPUTIME_ID = 2;

    static
    {
        Native.register(ProcessCpuClock.class, Platform.C_LIBRARY_NAME);
    }

    private ProcessCpuClock()
    {
    }

    private static native int clock_gettime(int clock, long[] timespec);

    /**
     * @return the process's CPU time so far, in nanoseconds.
     */
    static long nanos()
    {
        final long[] timespec = new long[2];
        if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, timespec) != 0)
        {
            throw new IllegalStateException("clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed, errno " + Native.getLastError());
        }
        return timespec[0] * 1_000_000_000L + timespec[1];
    }
}
