package io.shm.wait.linux;

import com.sun.jna.Native;
import com.sun.jna.Platform;

import java.nio.ByteOrder;

/**
 * Linux process file descriptors ({@code pidfd_open(2)}, Linux 5.3 and later): a descriptor that
 * names one process, not a pid that may be reused, and becomes readable when that process exits
 * (a zombie counts as exited). Asking whether it has exited is one {@code poll} with no timeout,
 * about a microsecond, where reading {@code /proc/<pid>/stat} opens, reads and parses a file.
 * <p>
 * Unavailable (older kernels, seccomp filters, other systems): {@link #open} returns -1 and callers
 * fall back to {@code /proc}.
 */
public final class PidFd
{
    private static final long SYS_PIDFD_OPEN = 434;
    private static final short POLLIN = 1;
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final boolean AVAILABLE;

    static
    {
        boolean available = false;
        if (Platform.isLinux() && (Platform.ARCH.equals("x86-64") || Platform.ARCH.equals("aarch64")))
        {
            try
            {
                Native.register(PidFd.class, Platform.C_LIBRARY_NAME);
                final int fd = (int)syscall(SYS_PIDFD_OPEN, ProcessHandle.current().pid(), 0);
                available = fd >= 0 && pollIn(fd) == 0;
                if (fd >= 0)
                {
                    close(fd);
                }
            }
            catch (final UnsatisfiedLinkError | NoClassDefFoundError ex)
            {
                available = false;
            }
        }
        AVAILABLE = available;
    }

    private PidFd()
    {
    }

    private static native long syscall(long number, long pid, int flags);

    private static native int poll(int[] pollfd, long count, int timeoutMillis);

    private static native int close(int fd);

    private static native int eventfd(int initialValue, int flags);

    private static native long write(int fd, long[] value, long count);

    private static native long read(int fd, long[] value, long count);

    private static final int EFD_CLOEXEC = 0x80000;
    private static final int EFD_NONBLOCK = 0x800;
    private static final int EINTR = 4;

    /**
     * @return whether pidfds work here.
     */
    public static boolean isAvailable()
    {
        return AVAILABLE;
    }

    /**
     * No process has the pid: what {@link #open} returns, negated, for a process that is gone.
     */
    public static final int ESRCH = 3;

    /**
     * @param pid a process id.
     * @return a descriptor for the process that has that pid now, or minus the error number if
     *         none could be opened ({@code -ESRCH}: no such process; {@code -ENOSYS} where pidfds
     *         are unavailable).
     */
    public static int open(final long pid)
    {
        if (!AVAILABLE)
        {
            return -38;
        }
        final int fd = (int)syscall(SYS_PIDFD_OPEN, pid, 0);
        return fd >= 0 ? fd : -Native.getLastError();
    }

    /**
     * @param fd a descriptor from {@link #open}.
     * @return whether its process has exited (or is a zombie).
     */
    public static boolean hasExited(final int fd)
    {
        final int ready = pollIn(fd);
        if (ready < 0)
        {
            throw new IllegalStateException("poll of pidfd " + fd + " failed, errno " + Native.getLastError());
        }
        return ready > 0;
    }

    /**
     * Closes a descriptor from {@link #open}.
     *
     * @param fd the descriptor.
     */
    public static void release(final int fd)
    {
        close(fd);
    }

    /**
     * @return a new event descriptor (a counter that {@link #signal} makes readable), to interrupt
     *         a {@link #awaitReadable} from another thread; -1 if it cannot be made.
     */
    public static int newEvent()
    {
        return AVAILABLE ? eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK) : -1;
    }

    /**
     * Makes an event descriptor readable.
     *
     * @param eventFd a descriptor from {@link #newEvent}.
     */
    public static void signal(final int eventFd)
    {
        if (write(eventFd, new long[] {1}, Long.BYTES) != Long.BYTES)
        {
            throw new IllegalStateException("write to eventfd " + eventFd + " failed, errno " + Native.getLastError());
        }
    }

    /**
     * Makes an event descriptor unreadable again (non-blocking: nothing to read is fine).
     *
     * @param eventFd a descriptor from {@link #newEvent}.
     */
    public static void drain(final int eventFd)
    {
        read(eventFd, new long[1], Long.BYTES);
    }

    /**
     * Sleeps until at least one of the descriptors is readable (a pidfd: its process exited).
     *
     * @param fds the descriptors.
     * @return for each descriptor, whether it is readable.
     */
    public static boolean[] awaitReadable(final int[] fds)
    {
        final int[] pollfds = new int[2 * fds.length];
        for (int i = 0; i < fds.length; i++)
        {
            pollfds[2 * i] = fds[i];
            pollfds[2 * i + 1] = LITTLE_ENDIAN ? POLLIN : POLLIN << 16;
        }
        while (poll(pollfds, fds.length, -1) < 0)
        {
            final int errno = Native.getLastError();
            if (errno != EINTR)
            {
                throw new IllegalStateException("poll of " + fds.length + " descriptors failed, errno " + errno);
            }
        }
        final boolean[] readable = new boolean[fds.length];
        for (int i = 0; i < fds.length; i++)
        {
            readable[i] = (LITTLE_ENDIAN ? pollfds[2 * i + 1] >>> 16 : pollfds[2 * i + 1] & 0xFFFF) != 0;
        }
        return readable;
    }

    /**
     * @return 1 if readable, 0 if not, -1 on error.
     */
    private static int pollIn(final int fd)
    {
        // struct pollfd { int fd; short events; short revents; } as two ints.
        final int[] pollfd = {fd, LITTLE_ENDIAN ? POLLIN : POLLIN << 16};
        final int result = poll(pollfd, 1, 0);
        if (result <= 0)
        {
            return result;
        }
        final int revents = LITTLE_ENDIAN ? pollfd[1] >>> 16 : pollfd[1] & 0xFFFF;
        return revents != 0 ? 1 : 0;
    }
}
