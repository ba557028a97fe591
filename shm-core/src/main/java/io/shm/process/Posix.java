package io.shm.process;

import com.sun.jna.Native;
import com.sun.jna.Platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The few POSIX calls the process launcher makes directly (through JNA): sending a signal,
 * asking to die with the parent, reading the parent's pid, and counting the machine's CPUs.
 */
final class Posix
{
    /**
     * Linux's {@code PR_SET_PDEATHSIG}.
     */
    static final int PR_SET_PDEATHSIG = 1;

    static final int SIGKILL = 9;

    private static final Path ONLINE_CPUS = Path.of("/sys/devices/system/cpu/online");

    /**
     * Signal numbers by name, as Linux numbers them on x86-64 and AArch64.
     */
    private static final Map<String, Integer> SIGNALS = Map.ofEntries(
        Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("KILL", SIGKILL),
        Map.entry("USR1", 10), Map.entry("USR2", 12), Map.entry("TERM", 15), Map.entry("CONT", 18),
        Map.entry("STOP", 19), Map.entry("TSTP", 20));

    private static final boolean AVAILABLE;

    static
    {
        boolean available = false;
        if (Platform.isLinux())
        {
            try
            {
                Native.register(Posix.class, Platform.C_LIBRARY_NAME);
                available = true;
            }
            catch (final UnsatisfiedLinkError | RuntimeException ex)
            {
                available = false;
            }
        }
        AVAILABLE = available;
    }

    private Posix()
    {
    }

    private static native int kill(int pid, int signal);

    private static native int prctl(int option, long arg2, long arg3, long arg4, long arg5);

    private static native int getppid();

    /**
     * @return whether the calls below go to the C library (Linux), rather than failing.
     */
    static boolean isAvailable()
    {
        return AVAILABLE;
    }

    /**
     * @param name a signal name, with or without {@code SIG}, in any case.
     * @return its number.
     * @throws IllegalArgumentException if the name is not one this class knows.
     */
    static int signalNumber(final String name)
    {
        final String upper = name.toUpperCase(Locale.ROOT);
        final Integer number = SIGNALS.get(upper.startsWith("SIG") ? upper.substring(3) : upper);
        if (number == null)
        {
            throw new IllegalArgumentException("unknown signal '" + name + "'; known: " + SIGNALS.keySet());
        }
        return number;
    }

    /**
     * Sends {@code signal} to {@code pid} with {@code kill(2)}.
     *
     * @throws IllegalStateException if the call fails (the process is gone, or not ours).
     */
    static void sendSignal(final long pid, final int signal)
    {
        requireAvailable("kill");
        if (kill((int)pid, signal) != 0)
        {
            throw new IllegalStateException("kill(" + pid + ", " + signal + ") failed: errno " + Native.getLastError());
        }
    }

    /**
     * Asks the kernel to send this process SIGKILL when the thread that started it ends (with the
     * parent process, when the parent started it from a thread that lives as long as it does).
     */
    static void dieWithParent()
    {
        requireAvailable("prctl");
        if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0)
        {
            throw new IllegalStateException("prctl(PR_SET_PDEATHSIG) failed: errno " + Native.getLastError());
        }
    }

    static long parentPid()
    {
        return AVAILABLE ? getppid() : ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    }

    /**
     * The CPUs of the machine that are online, not those this process may run on: a process
     * pinned to one CPU (which {@link Runtime#availableProcessors()} reports as 1) still has
     * peers on the others.
     */
    static int onlineCpus()
    {
        try
        {
            int count = 0;
            for (final String range : Files.readString(ONLINE_CPUS).trim().split(","))
            {
                final int dash = range.indexOf('-');
                count += dash < 0 ? 1 :
                    Integer.parseInt(range.substring(dash + 1)) - Integer.parseInt(range.substring(0, dash)) + 1;
            }
            return count;
        }
        catch (final IOException | RuntimeException ex)
        {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    private static void requireAvailable(final String call)
    {
        if (!AVAILABLE)
        {
            throw new UnsupportedOperationException(call + " is only called on Linux");
        }
    }
}
