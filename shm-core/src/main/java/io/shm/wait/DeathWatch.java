package io.shm.wait;

import io.shm.process.ProcessIdentity;
import io.shm.wait.linux.Futex;
import io.shm.wait.linux.PidFd;
import org.agrona.concurrent.AtomicBuffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Wakes a waiter the moment the process it waits for dies, instead of at the end of its slice.
 * <p>
 * <b>Protocol.</b> A waiter that is about to sleep on a futex word until a peer process acts (a
 * lock's owner releases) registers a watch on that peer, naming the word. One daemon thread per
 * process, started with the first watch, sleeps in {@code poll} on a pidfd of every watched peer
 * (and on an eventfd that tells it the set changed); it uses no CPU until something happens. When
 * a peer exits, its pidfd becomes readable and the thread wakes every word watched on it with
 * {@code FUTEX_WAKE}; each waiter then sees {@link #fired()} and checks the peer at once
 * ({@link ProcessIdentity#isAlive(long, long)} remains the only proof of death; the watch only
 * says when to look). The waiter closes its watch when its wait ends.
 * <p>
 * A peer is watched only once its pidfd is proven to name the recorded process (opened, then its
 * start time read and found equal while it still ran). Where pidfds are missing (Linux before 5.3,
 * no futex, a seccomp filter) or the start time is not known yet, {@link #watch} returns null and
 * the waiter keeps its slice: dead peers are then noticed within a slice. A peer that is already
 * gone, or whose pid now names another process, gets a watch that has already fired.
 * <p>
 * Costs: nothing on a path that does not sleep; registering takes a lock of this process, and
 * the first watch of a peer also opens its pidfd and signals the thread; a wake may be spurious
 * for other sleepers of the word, who re-check it as every futex sleeper does.
 */
public final class DeathWatch implements AutoCloseable
{
    private static final Object LOCK = new Object();
    private static final Map<Long, Peer> PEERS = new HashMap<>();
    private static final DeathWatch GONE = new DeathWatch(null, null, 0);
    private static int eventFd = -1;
    private static boolean broken;

    private final Peer peer;
    private final AtomicBuffer buffer;
    private final int index;

    private DeathWatch(final Peer peer, final AtomicBuffer buffer, final int index)
    {
        this.peer = peer;
        this.buffer = buffer;
        this.index = index;
    }

    /**
     * Keeps {@code current} if it watches {@code pid} for the same word, else closes it and
     * watches {@code pid}: for a waiter whose peer may change between sleeps.
     *
     * @param current   the watch held so far, or null.
     * @param pid       the peer's pid.
     * @param startTime its recorded start time; 0 (not written yet) watches nothing.
     * @param buffer    the buffer of the word the waiter sleeps on.
     * @param index     the word's index.
     * @return the watch to hold now, or null if the peer cannot be watched (keep the slice).
     */
    public static DeathWatch follow(
        final DeathWatch current, final long pid, final long startTime, final AtomicBuffer buffer, final int index)
    {
        if (current != null)
        {
            if (current.peer != null && current.peer.pid == pid && current.peer.startTime == startTime &&
                current.buffer == buffer && current.index == index)
            {
                return current;
            }
            current.close();
        }
        return watch(pid, startTime, buffer, index);
    }

    /**
     * Asks to have the word woken when the process {@code (pid, startTime)} dies.
     *
     * @param pid       the peer's pid.
     * @param startTime its recorded start time; 0 (not written yet) watches nothing.
     * @param buffer    the buffer of the word the waiter sleeps on.
     * @param index     the word's index.
     * @return the watch (close it when the wait ends), or null if the peer cannot be watched.
     */
    public static DeathWatch watch(final long pid, final long startTime, final AtomicBuffer buffer, final int index)
    {
        if (pid <= 0 || startTime == 0 || !PidFd.isAvailable() || !Futex.isAvailable())
        {
            return null;
        }
        synchronized (LOCK)
        {
            if (!startThread())
            {
                return null;
            }
            Peer peer = PEERS.get(pid);
            if (peer != null && peer.startTime != startTime)
            {
                // The pid names a live process started at another time: the one recorded is gone.
                return GONE;
            }
            if (peer == null)
            {
                final int fd = PidFd.open(pid);
                if (fd < 0)
                {
                    // No such process: gone. Any other failure (out of descriptors): not watched.
                    return fd == -PidFd.ESRCH ? GONE : null;
                }
                final long now = ProcessIdentity.of(pid).map(ProcessIdentity::startTime).orElse(0L);
                if (now != startTime || PidFd.hasExited(fd))
                {
                    PidFd.release(fd);
                    return GONE;
                }
                peer = new Peer(pid, startTime, fd);
                PEERS.put(pid, peer);
                PidFd.signal(eventFd);
            }
            final DeathWatch watch = new DeathWatch(peer, buffer, index);
            peer.watches.add(watch);
            return watch;
        }
    }

    /**
     * @return whether the watched process has exited (check it now); a watch of a process found
     *         gone when it was asked for has fired from the start.
     */
    public boolean fired()
    {
        return peer == null || peer.exited;
    }

    /**
     * Ends the watch; the peer's pidfd is closed once nobody watches it. Idempotent.
     */
    @Override
    public void close()
    {
        if (peer == null)
        {
            return;
        }
        synchronized (LOCK)
        {
            peer.watches.remove(this);
        }
    }

    /**
     * @return how many processes are watched now (for tests).
     */
    static int watchedProcesses()
    {
        synchronized (LOCK)
        {
            return PEERS.size();
        }
    }

    private static boolean startThread()
    {
        if (eventFd >= 0 || broken)
        {
            return !broken;
        }
        eventFd = PidFd.newEvent();
        if (eventFd < 0)
        {
            broken = true;
            return false;
        }
        final Thread thread = new Thread(DeathWatch::run, "shm-death-watch");
        thread.setDaemon(true);
        thread.start();
        return true;
    }

    private static void run()
    {
        while (true)
        {
            final Peer[] peers;
            final int[] fds;
            synchronized (LOCK)
            {
                closeUnwatched();
                peers = PEERS.values().toArray(new Peer[0]);
                fds = new int[peers.length + 1];
                fds[0] = eventFd;
                for (int i = 0; i < peers.length; i++)
                {
                    fds[i + 1] = peers[i].fd;
                }
            }
            final boolean[] readable = PidFd.awaitReadable(fds);
            if (readable[0])
            {
                PidFd.drain(eventFd);
            }
            for (int i = 0; i < peers.length; i++)
            {
                if (readable[i + 1])
                {
                    exited(peers[i]);
                }
            }
        }
    }

    private static void exited(final Peer peer)
    {
        synchronized (LOCK)
        {
            peer.exited = true;
            PEERS.remove(peer.pid, peer);
            PidFd.release(peer.fd);
            for (final DeathWatch watch : peer.watches)
            {
                // A word unmapped since (its segment closed under a sleeping waiter) has nobody to wake.
                Futex.wakeAllIfMapped(watch.buffer, watch.index);
            }
        }
    }

    /**
     * Closes the pidfds of peers nobody watches any more; only this thread closes them, between
     * polls, so no descriptor it polls is ever closed under it.
     */
    private static void closeUnwatched()
    {
        final List<Peer> idle = new ArrayList<>();
        for (final Iterator<Peer> it = PEERS.values().iterator(); it.hasNext(); )
        {
            final Peer peer = it.next();
            if (peer.watches.isEmpty())
            {
                idle.add(peer);
                it.remove();
            }
        }
        idle.forEach(peer -> PidFd.release(peer.fd));
    }

    private static final class Peer
    {
        private final long pid;
        private final long startTime;
        private final int fd;
        private final List<DeathWatch> watches = new ArrayList<>(2);
        private volatile boolean exited;

        Peer(final long pid, final long startTime, final int fd)
        {
            this.pid = pid;
            this.startTime = startTime;
            this.fd = fd;
        }
    }
}
