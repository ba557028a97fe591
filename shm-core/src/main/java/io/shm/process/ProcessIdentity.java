package io.shm.process;

import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * A process, named so that a reused pid cannot be mistaken for it: its pid and its start time.
 * <p>
 * Every robust feature of the library (recovering a directory entry, taking over a dead owner's
 * lock, skipping a dead producer's record) decides that a process is dead only through
 * {@link #isAlive()}: the pid no longer exists, exists as a zombie, or exists with another start
 * time. A slow, stopped or GC-stalled process is alive; a timeout alone never proves death.
 * <p>
 * On Linux the start time is field 22 of {@code /proc/<pid>/stat} (clock ticks since boot, exact
 * and cheap to read). Elsewhere it is {@link ProcessHandle.Info#startInstant()} in milliseconds.
 * A start time of zero means "unknown" and is never written for a live process.
 * <p>
 * {@link #isAlive(long, long)} is asked once per wait slice by every waiter that watches a peer;
 * on Linux 5.3 and later it holds the processes it is asked about by a pidfd (up to 64 of them),
 * so that a repeated answer costs one {@code poll} instead of reading {@code /proc}.
 */
public final class ProcessIdentity
{
    /**
     * The system property in which {@link JvmProcess} gives a child its name.
     */
    public static final String NAME_PROPERTY = "shm.process.name";

    /**
     * The name of a process that no {@link JvmProcess} started, as Python names it.
     */
    public static final String MAIN_PROCESS_NAME = "MainProcess";

    private static final Path PROC = Path.of("/proc");
    private static final int STAT_BUFFER_LENGTH = 1024;
    private static final boolean HAS_PROC_STAT = Files.isReadable(PROC.resolve("self").resolve("stat"));
    private static final ProcessIdentity CURRENT = of(ProcessHandle.current().pid())
        .orElseThrow(() -> new IllegalStateException("cannot read the start time of this process"));

    private final long pid;
    private final long startTime;

    private ProcessIdentity(final long pid, final long startTime)
    {
        this.pid = pid;
        this.startTime = startTime;
    }

    /**
     * @return the name of this process if it is the calling one: the name its parent gave it
     *         ({@link JvmProcess.Builder#name}, {@code Process-N} by default), or
     *         {@value #MAIN_PROCESS_NAME}; for another process, {@code "process PID"}.
     */
    public String name()
    {
        return this == CURRENT ? System.getProperty(NAME_PROPERTY, MAIN_PROCESS_NAME) : "process " + pid;
    }

    /**
     * @return the identity of the calling process.
     */
    public static ProcessIdentity current()
    {
        return CURRENT;
    }

    /**
     * An identity recorded earlier, for instance read back from shared memory.
     *
     * @param pid       the process id.
     * @param startTime the start time as {@link #startTime()} reported it.
     * @return the identity.
     */
    public static ProcessIdentity of(final long pid, final long startTime)
    {
        if (pid <= 0)
        {
            throw new IllegalArgumentException("pid must be positive: " + pid);
        }
        return new ProcessIdentity(pid, startTime);
    }

    /**
     * The identity of a running process.
     *
     * @param pid the process id.
     * @return the identity, or empty if no live process has that pid.
     */
    public static Optional<ProcessIdentity> of(final long pid)
    {
        final long startTime = readStartTime(pid);
        return startTime == 0 ? Optional.empty() : Optional.of(new ProcessIdentity(pid, startTime));
    }

    /**
     * Whether a process recorded as {@code (pid, startTime)} still runs.
     *
     * @param pid       the recorded pid.
     * @param startTime the recorded start time; 0 (unknown) makes the answer depend on the pid alone.
     * @return false only when the process is proven gone: no such pid, a zombie, or another start time.
     */
    public static boolean isAlive(final long pid, final long startTime)
    {
        if (pid <= 0)
        {
            return false;
        }
        // Asked once per wait slice about the same few processes: a held pidfd answers without /proc.
        final long now = HAS_PROC_STAT ? LivenessCache.startTime(pid) : readStartTime(pid);
        return now != 0 && (startTime == 0 || now == startTime);
    }

    /**
     * @return whether this process still runs (see {@link #isAlive(long, long)}).
     */
    public boolean isAlive()
    {
        return isAlive(pid, startTime);
    }

    public long pid()
    {
        return pid;
    }

    /**
     * @return clock ticks since boot on Linux, epoch milliseconds elsewhere; comparable only with
     * values read on the same machine.
     */
    public long startTime()
    {
        return startTime;
    }

    /**
     * Reads a process's start time.
     *
     * @param pid the process id.
     * @return its start time, or 0 if there is no such process or it is a zombie (it has exited).
     */
    static long readStartTime(final long pid)
    {
        return HAS_PROC_STAT ? readProcStartTime(pid) : readHandleStartTime(pid);
    }

    private static long readProcStartTime(final long pid)
    {
        final byte[] stat = new byte[STAT_BUFFER_LENGTH];
        int length = 0;
        try (FileInputStream in = new FileInputStream("/proc/" + pid + "/stat"))
        {
            int read;
            while (length < stat.length && (read = in.read(stat, length, stat.length - length)) > 0)
            {
                length += read;
            }
        }
        catch (final FileNotFoundException ex)
        {
            return 0;
        }
        catch (final IOException ex)
        {
            // A process that vanishes while its stat file is read gives ESRCH as an IOException.
            return Files.exists(PROC.resolve(Long.toString(pid))) ? fail(pid, ex) : 0;
        }
        // The command name (field 2) is in parentheses and may hold spaces or ')': fields after it
        // are counted from the last ')'. Field 3 is the state, field 22 the start time.
        int at = length - 1;
        while (at > 0 && stat[at] != ')')
        {
            at--;
        }
        final byte state = stat[at + 2];
        if (state == 'Z' || state == 'X')
        {
            return 0;
        }
        int field = 3;
        at += 2;
        while (field < 22 && at < length)
        {
            if (stat[at++] == ' ')
            {
                field++;
            }
        }
        long startTime = 0;
        while (at < length && stat[at] >= '0' && stat[at] <= '9')
        {
            startTime = startTime * 10 + (stat[at++] - '0');
        }
        return startTime;
    }

    private static long fail(final long pid, final IOException ex)
    {
        throw new IllegalStateException("cannot read /proc/" + pid + "/stat", ex);
    }

    private static long readHandleStartTime(final long pid)
    {
        return ProcessHandle.of(pid)
            .filter(ProcessHandle::isAlive)
            .flatMap(handle -> handle.info().startInstant())
            .map(Instant::toEpochMilli)
            .orElse(0L);
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof ProcessIdentity that && pid == that.pid && startTime == that.startTime;
    }

    @Override
    public int hashCode()
    {
        return Long.hashCode(pid) * 31 + Long.hashCode(startTime);
    }

    @Override
    public String toString()
    {
        return "process " + pid + " (started at " + startTime + ")";
    }
}
