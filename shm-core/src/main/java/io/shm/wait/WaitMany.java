package io.shm.wait;

import io.shm.exceptions.ChannelClosedException;
import io.shm.exceptions.PeerDiedException;
import io.shm.wait.linux.Futex;
import org.agrona.concurrent.AtomicBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Waits for the first of several sources to have something: Python's
 * {@code multiprocessing.connection.wait(object_list, timeout)}, over channels' receivers, pipes'
 * connections, broadcast receivers and queues, in any segments.
 * <p>
 * The wait is one {@link Waiter}: it spins and yields looking at every source, then announces
 * itself in each source as that source's own receive would (the sender of each then wakes it
 * on its next message, and a source nobody waits on pays nothing), reads each source's futex word,
 * looks once more, and sleeps on all the words at once with {@code futex_waitv} (Linux 5.16 and
 * later; on older kernels it sleeps on the first word a millisecond at a time and looks at the
 * others between). A send to any of them wakes it; there is no polling loop. A source whose
 * stream ends, or whose sender dies, while waited on counts as ready: its receive then fails at
 * once with what happened.
 * <p>
 * All sources must be received from by the calling thread (their receives are single-threaded); a
 * queue with other takers may lose its item to one of them between the answer and the take.
 */
public final class WaitMany<T extends Waitable>
{
    private final List<T> sources;
    private final Any any;

    private WaitMany(final List<T> sources)
    {
        this.sources = sources;
        this.any = new Any(sources);
    }

    /**
     * A wait on {@code sources} to make again and again (a selector): the sources are checked
     * once, and each wait allocates only its answer.
     *
     * @throws IllegalArgumentException if there are none, more than {@link Futex#MAX_WAITV}, or
     *                                  one is given twice.
     */
    public static <T extends Waitable> WaitMany<T> of(final Collection<T> sources)
    {
        final List<T> list = List.copyOf(sources);
        if (list.isEmpty() || list.size() > Futex.MAX_WAITV)
        {
            throw new IllegalArgumentException("a wait on many sources takes 1 to " + Futex.MAX_WAITV + ": " + list.size());
        }
        final Map<Waitable, Boolean> distinct = new IdentityHashMap<>();
        for (final T source : list)
        {
            if (distinct.put(source, Boolean.TRUE) != null)
            {
                throw new IllegalArgumentException("a source is given twice: " + source);
            }
        }
        return new WaitMany<>(list);
    }

    /**
     * Waits as long as it takes for one of {@code sources} to be ready.
     *
     * @return the ready sources, in the order given; never empty.
     */
    public static <T extends Waitable> List<T> await(final Collection<T> sources) throws InterruptedException
    {
        return of(sources).await();
    }

    /**
     * Waits at most {@code timeout} for one of {@code sources} to be ready.
     *
     * @return the ready sources, in the order given; empty if the time ran out first.
     */
    public static <T extends Waitable> List<T> await(final Collection<T> sources, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        return of(sources).await(timeout, unit);
    }

    /**
     * Waits as long as it takes for a source to be ready.
     *
     * @return the ready sources, in the order given; never empty.
     */
    public List<T> await() throws InterruptedException
    {
        return await(Deadline.NONE);
    }

    /**
     * Waits at most {@code timeout} for a source to be ready.
     *
     * @return the ready sources, in the order given; empty if the time ran out first.
     */
    public List<T> await(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return await(Deadline.after(timeout, unit));
    }

    /**
     * @return the sources, in the order given.
     */
    public List<T> sources()
    {
        return sources;
    }

    private List<T> await(final long deadline) throws InterruptedException
    {
        any.clearEnded();
        // A look first: on a busy stream something is there, and the wait's loop is not entered.
        any.tryAcquire();
        List<T> ready = answer();
        while (ready.isEmpty())
        {
            // The wait ends when a source's attempt succeeds; a channel's that saw only padding
            // is not ready (the look passed over the padding), and the wait goes on.
            if (!any.await(deadline, true))
            {
                return ready;
            }
            ready = answer();
        }
        return ready;
    }

    /**
     * @return the sources whose attempt succeeded in the last look, which looked at every one of
     *         them, each confirmed by {@code isReady} (a channel's attempt also sees padding).
     */
    private List<T> answer()
    {
        T first = null;
        List<T> more = null;
        for (int i = 0; i < any.hits.length; i++)
        {
            if (any.hits[i] && (any.ended[i] || sources.get(i).isReady()))
            {
                if (first == null)
                {
                    first = sources.get(i);
                }
                else
                {
                    if (more == null)
                    {
                        more = new ArrayList<>(sources.size());
                        more.add(first);
                    }
                    more.add(sources.get(i));
                }
            }
        }
        // The usual answer, one source, is one small immutable list.
        return more != null ? more : first != null ? List.of(first) : List.of();
    }

    /**
     * The scopes of all the sources as one: a sleep counts in each, and the close of any wakes it.
     */
    private static final class Scopes implements WaitScope
    {
        private final WaitScope[] scopes;

        Scopes(final Waiter[] waiters)
        {
            scopes = new WaitScope[waiters.length];
            for (int i = 0; i < waiters.length; i++)
            {
                scopes[i] = waiters[i].scope;
            }
        }

        @Override
        public void sleeping(final Waiter waiter)
        {
            for (int i = 0; i < scopes.length; i++)
            {
                try
                {
                    scopes[i].sleeping(waiter);
                }
                catch (final RuntimeException ex)
                {
                    for (int j = 0; j < i; j++)
                    {
                        scopes[j].awake(waiter);
                    }
                    throw ex;
                }
            }
        }

        @Override
        public void awake(final Waiter waiter)
        {
            for (final WaitScope scope : scopes)
            {
                scope.awake(waiter);
            }
        }

        @Override
        public void checkOpen()
        {
            for (final WaitScope scope : scopes)
            {
                scope.checkOpen();
            }
        }
    }

    /**
     * One wait through every source's waiter: an attempt looks at each source, an announcement
     * announces in each, and the sleep is on all their words.
     */
    private static final class Any extends Waiter
    {
        private final Waiter[] waiters;
        private final AtomicBuffer[] buffers;
        private final int[] words;
        private final int[] values;
        private final boolean[] ended;
        /** Which sources' attempts succeeded in the last look; every look looks at them all. */
        private final boolean[] hits;
        private boolean anyEnded;
        private int announced;

        Any(final List<? extends Waitable> sources)
        {
            this(waiters(sources));
        }

        private Any(final Waiter[] waiters)
        {
            super(new Scopes(waiters), waiters[0].strategy, waiters[0].buffer, waiters[0].word, false);
            this.waiters = waiters;
            this.hits = new boolean[waiters.length];
            this.buffers = new AtomicBuffer[waiters.length];
            this.words = new int[waiters.length];
            this.values = new int[waiters.length];
            this.ended = new boolean[waiters.length];
            for (int i = 0; i < waiters.length; i++)
            {
                buffers[i] = waiters[i].buffer;
                words[i] = waiters[i].word;
            }
        }

        private static Waiter[] waiters(final List<? extends Waitable> sources)
        {
            final Waiter[] waiters = new Waiter[sources.size()];
            for (int i = 0; i < waiters.length; i++)
            {
                waiters[i] = sources.get(i).waiter();
            }
            return waiters;
        }

        void clearEnded()
        {
            if (anyEnded)
            {
                Arrays.fill(ended, false);
                anyEnded = false;
            }
        }

        @Override
        protected boolean tryAcquire()
        {
            boolean acquired = false;
            for (int i = 0; i < waiters.length; i++)
            {
                final boolean hit = ended[i] || waiters[i].tryAcquire();
                hits[i] = hit;
                acquired |= hit;
            }
            return acquired;
        }

        @Override
        protected void checkOpen()
        {
            for (final Waiter waiter : waiters)
            {
                waiter.checkOpen();
            }
        }

        @Override
        protected void roundsOver()
        {
            for (final Waiter waiter : waiters)
            {
                waiter.roundsOver();
            }
        }

        /**
         * Lets each source do its checks (the end of its stream, and once a slice its sender's
         * death); a source that reports its end is ready.
         */
        @Override
        protected boolean beforeSleep(final boolean lookDue)
        {
            boolean again = false;
            for (int i = 0; i < waiters.length; i++)
            {
                try
                {
                    again |= waiters[i].beforeSleep(lookDue);
                }
                catch (final ChannelClosedException | PeerDiedException ex)
                {
                    ended[i] = true;
                    anyEnded = true;
                    again = true;
                }
            }
            return again;
        }

        @Override
        protected boolean canSleep()
        {
            for (final Waiter waiter : waiters)
            {
                if (!waiter.canSleep())
                {
                    return false;
                }
            }
            return true;
        }

        @Override
        protected boolean announce()
        {
            for (announced = 0; announced < waiters.length; announced++)
            {
                if (!waiters[announced].announce())
                {
                    withdraw();
                    return false;
                }
            }
            return true;
        }

        @Override
        protected int sleepValue()
        {
            for (int i = 0; i < waiters.length; i++)
            {
                values[i] = waiters[i].sleepValue();
            }
            return values[0];
        }

        @Override
        void park(final int seen, final long limit, final int round)
        {
            strategy.parkAny(buffers, words, values, waiters.length, limit, round);
        }

        @Override
        protected long sleepLimit(final long remaining)
        {
            long limit = remaining;
            for (final Waiter waiter : waiters)
            {
                limit = Math.min(limit, waiter.sleepLimit(remaining));
            }
            return limit;
        }

        @Override
        protected void withdraw()
        {
            for (int i = 0; i < announced; i++)
            {
                waiters[i].withdraw();
            }
            announced = 0;
        }

        @Override
        public void wakeAll()
        {
            for (final Waiter waiter : waiters)
            {
                waiter.wakeAll();
            }
        }
    }
}
