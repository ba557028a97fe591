package io.shm.process;

import io.shm.wait.linux.PidFd;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The processes that this one asks about again and again (a lock's owner, a channel's peer, once
 * per wait slice), each held by a pidfd ({@link PidFd}), so that asking costs one {@code poll}
 * instead of reading {@code /proc/<pid>/stat}.
 * <p>
 * A descriptor is cached only once it is proven to name the process whose start time was read:
 * it is opened, the start time is read again, and the process has not exited after that read
 * (so the pid was not reused in between). A process that exits is dropped at the next question
 * and the answer falls back to {@code /proc}, which alone decides about a reused pid. At most
 * {@link #MAX_WATCHED} processes are held; beyond that, questions go to {@code /proc}.
 */
final class LivenessCache
{
    static final int MAX_WATCHED = 64;

    private static final ConcurrentHashMap<Long, Watched> WATCHED = new ConcurrentHashMap<>();

    private LivenessCache()
    {
    }

    /**
     * @param pid a process id.
     * @return the start time of the live process with that pid, or 0 if there is none (or a zombie).
     */
    static long startTime(final long pid)
    {
        final Watched watched = WATCHED.get(pid);
        if (watched != null)
        {
            if (watched.isRunning())
            {
                return watched.startTime;
            }
            WATCHED.remove(pid, watched);
        }
        final long startTime = ProcessIdentity.readStartTime(pid);
        if (startTime != 0 && WATCHED.size() < MAX_WATCHED && PidFd.isAvailable())
        {
            watch(pid, startTime);
        }
        return startTime;
    }

    private static void watch(final long pid, final long startTime)
    {
        final int fd = PidFd.open(pid);
        if (fd < 0)
        {
            return;
        }
        // Still running after the second read: the pid was its own throughout, so the start time is its own.
        if (ProcessIdentity.readStartTime(pid) != startTime || PidFd.hasExited(fd) ||
            WATCHED.putIfAbsent(pid, new Watched(startTime, fd)) != null)
        {
            PidFd.release(fd);
        }
    }

    /**
     * @return how many processes are held by a descriptor now.
     */
    static int watched()
    {
        return WATCHED.size();
    }

    private static final class Watched
    {
        private final long startTime;
        private int fd;

        Watched(final long startTime, final int fd)
        {
            this.startTime = startTime;
            this.fd = fd;
        }

        /**
         * Closes the descriptor once its process has exited; synchronized so that no thread polls
         * a descriptor another has closed (its number may be reused).
         */
        synchronized boolean isRunning()
        {
            if (fd < 0)
            {
                return false;
            }
            if (PidFd.hasExited(fd))
            {
                PidFd.release(fd);
                fd = -1;
                return false;
            }
            return true;
        }
    }
}
