package io.shm.wait;

import io.shm.process.JvmProcess;
import io.shm.wait.linux.Futex;
import org.agrona.concurrent.AtomicBuffer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How a thread waits for a word of shared memory to change: <b>spin, then yield, then park</b>.
 * <p>
 * <b>Protocol</b> (every synchronizer follows it, each with its own words):
 * <ol>
 *     <li><b>Spin.</b> For {@link #spins()} rounds the waiter re-tries its operation, calling
 *     {@link Thread#onSpinWait()} between tries. A peer that answers promptly is seen within
 *     nanoseconds and no system call is made. On a single CPU there is no spinning: the peer cannot
 *     run while we spin.</li>
 *     <li><b>Yield.</b> For {@link #yields()} more rounds it yields the CPU between tries, which
 *     lets a peer on the same CPU run.</li>
 *     <li><b>Park.</b> It announces itself as a waiter in shared memory (each synchronizer has
 *     its own way: a waiter count, a bit in the lock word), <i>re-checks</i> its condition, and only
 *     then sleeps with {@link #park} on a word, passing the value it last saw: the kernel sleeps
 *     only if the word still holds that value, so a change between the re-check and the sleep is
 *     never lost. A waker changes the word first and calls {@link #wake} only if a waiter has
 *     announced itself: <b>the uncontended path makes no system call</b>.</li>
 * </ol>
 * Sleeps last at most one {@link #sliceNanos() slice}: a thread sleeping in the kernel cannot see
 * {@link Thread#interrupt()}, a deadline, or the death of the process it waits for, so it wakes
 * each slice to check them. A {@link #wake} never waits for a slice to end; it wakes the sleeper
 * at once.
 * <p>
 * Two kinds: {@link #futex()} sleeps in the kernel on a Linux futex and is woken directly;
 * {@link #portable()} has no futex, so it parks for growing intervals (up to
 * {@link #PORTABLE_MAX_PARK_NANOS}) and polls; its {@link #wake} does nothing.
 * {@link #defaultStrategy()} picks the futex where there is one. Strategies are immutable.
 * <p>
 * A channel's sender and receiver also learn, each in its {@link AdaptiveSpin}, to spin on past
 * the rounds through the gaps of a stream, up to {@link #adaptiveSpinNanos()}; the synchronizers
 * keep to the rounds (a longer spin only steals a contended lock more often).
 */
public final class WaitStrategy
{
    /**
     * Spin rounds before yielding: a few microseconds, several handoff round trips; longer spins
     * only steal a contended lock more often (measured with the W5 lock counter).
     */
    public static final int DEFAULT_SPINS = 200;

    /**
     * Yield rounds before parking.
     */
    public static final int DEFAULT_YIELDS = 20;

    /**
     * Longest kernel sleep between checks for interruption, deadlines and dead peers: a dead peer
     * is noticed within 100 ms, and an idle waiting process stays under 0.5% of a core (each
     * wake-up costs 75-150 us of CPU on a small VM; measured by the perf module's IdleWaiterCpu).
     */
    public static final long DEFAULT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /**
     * Longest wait past the rounds that a channel's sender or receiver learns to spin through
     * ({@link AdaptiveSpin}): a few times the cost of a sleep and a wake-up.
     */
    public static final long DEFAULT_ADAPTIVE_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    /**
     * Longest park of the portable strategy.
     */
    public static final long PORTABLE_MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private static final boolean SINGLE_CPU = JvmProcess.cpuCount() == 1;
    private static final WaitStrategy FUTEX = Futex.isAvailable() ?
        new WaitStrategy(true, DEFAULT_SPINS, DEFAULT_YIELDS, DEFAULT_SLICE_NANOS, DEFAULT_ADAPTIVE_SPIN_NANOS) : null;
    private static final WaitStrategy PORTABLE =
        new WaitStrategy(false, DEFAULT_SPINS, DEFAULT_YIELDS, DEFAULT_SLICE_NANOS, DEFAULT_ADAPTIVE_SPIN_NANOS);

    private final boolean futex;
    private final int spins;
    private final int yields;
    private final long sliceNanos;
    private final long adaptiveSpinNanos;

    private WaitStrategy(
        final boolean futex, final int spins, final int yields, final long sliceNanos, final long adaptiveSpinNanos)
    {
        if (spins < 0 || yields < 0 || sliceNanos <= 0 || adaptiveSpinNanos < 0)
        {
            throw new IllegalArgumentException("spins " + spins + ", yields " + yields + " and adaptive spin " +
                adaptiveSpinNanos + " ns must not be negative, slice " + sliceNanos + " ns must be positive");
        }
        this.futex = futex;
        this.spins = SINGLE_CPU ? 0 : spins;
        this.yields = yields;
        this.sliceNanos = sliceNanos;
        // Without spin rounds there is no spinning at all: park-only stays park-only.
        this.adaptiveSpinNanos = this.spins == 0 ? 0 : adaptiveSpinNanos;
    }

    /**
     * @return the futex strategy where futexes exist, the portable one elsewhere.
     */
    public static WaitStrategy defaultStrategy()
    {
        return FUTEX != null ? FUTEX : PORTABLE;
    }

    /**
     * @return spin, yield, then sleep on a Linux futex, with the default counts.
     * @throws UnsupportedOperationException where there are no futexes.
     */
    public static WaitStrategy futex()
    {
        if (FUTEX == null)
        {
            throw new UnsupportedOperationException("futexes are not available: " + Futex.unavailableReason());
        }
        return FUTEX;
    }

    /**
     * @return spin, yield, then park with back-off and poll; no futex.
     */
    public static WaitStrategy portable()
    {
        return PORTABLE;
    }

    /**
     * @param spins      spin rounds before yielding (0 on a single CPU whatever is asked).
     * @param yields     yield rounds before parking.
     * @param sliceNanos longest sleep between checks.
     * @return a strategy of the same kind with those counts; {@code withCounts(0, 0, slice)} parks at once.
     */
    public WaitStrategy withCounts(final int spins, final int yields, final long sliceNanos)
    {
        return new WaitStrategy(futex, spins, yields, sliceNanos, adaptiveSpinNanos);
    }

    /**
     * @param nanos the longest wait past the rounds that a channel's waiter learns to spin through
     *              ({@link AdaptiveSpin}); 0 to always park once the rounds are over.
     * @return a strategy like this one with that limit (0 whatever is asked if it has no spin rounds).
     */
    public WaitStrategy withAdaptiveSpin(final long nanos)
    {
        return new WaitStrategy(futex, spins, yields, sliceNanos, nanos);
    }

    /**
     * @return the longest wait past the rounds that a channel's waiter learns to spin through, 0 for none.
     */
    public long adaptiveSpinNanos()
    {
        return adaptiveSpinNanos;
    }

    /**
     * @return whether this strategy sleeps on futexes (and {@link #wake} does something).
     */
    public boolean usesFutex()
    {
        return futex;
    }

    public int spins()
    {
        return spins;
    }

    public int yields()
    {
        return yields;
    }

    public long sliceNanos()
    {
        return sliceNanos;
    }

    /**
     * One round of the active phases.
     *
     * @param round the number of rounds already idled in this wait, from 0.
     * @return true if the round spun or yielded and the caller should try again; false once the
     * active phases are over and the caller should announce itself and {@link #park}.
     */
    public boolean idle(final int round)
    {
        if (round < spins)
        {
            Thread.onSpinWait();
            return true;
        }
        if (round < spins + yields)
        {
            Thread.yield();
            return true;
        }
        return false;
    }

    /**
     * Sleeps while the word at {@code index} holds {@code expected}, for at most
     * {@code min(maxNanos, sliceNanos())}; may return early, spuriously or on a {@link #wake}.
     *
     * @param buffer    the buffer holding the word (shared memory).
     * @param index     the word's index, 4-byte aligned.
     * @param expected  the value last seen.
     * @param maxNanos  the time left before the caller's deadline.
     * @param parkRound how many times this wait has parked before (grows the portable back-off).
     */
    public void park(final AtomicBuffer buffer, final int index, final int expected, final long maxNanos, final int parkRound)
    {
        final long nanos = Math.min(maxNanos, sliceNanos);
        if (nanos <= 0)
        {
            return;
        }
        if (futex)
        {
            Futex.await(buffer, index, expected, nanos);
        }
        else if (buffer.getIntVolatile(index) == expected)
        {
            final long backOff = Math.min(PORTABLE_MAX_PARK_NANOS, 1_000L << Math.min(parkRound, 20));
            LockSupport.parkNanos(Math.min(nanos, backOff));
        }
    }

    /**
     * Sleeps while each of {@code count} words holds its value, for at most
     * {@code min(maxNanos, sliceNanos())}: a wake of any of them ends it. Through
     * {@code futex_waitv} where the kernel has it; elsewhere it sleeps on the first word for at
     * most {@link #PORTABLE_MAX_PARK_NANOS} at a time, so that the others are looked at that often.
     *
     * @param buffers   the buffers holding the words.
     * @param indexes   each word's index, 4-byte aligned.
     * @param expected  the value each was last seen to hold.
     * @param count     how many words.
     * @param maxNanos  the time left before the caller's deadline.
     * @param parkRound how many times this wait has parked before.
     */
    public void parkAny(final AtomicBuffer[] buffers, final int[] indexes, final int[] expected, final int count,
        final long maxNanos, final int parkRound)
    {
        final long nanos = Math.min(maxNanos, sliceNanos);
        if (nanos <= 0)
        {
            return;
        }
        if (futex && Futex.awaitAny(buffers, indexes, expected, count, nanos) != Futex.UNSUPPORTED)
        {
            return;
        }
        for (int i = 0; i < count; i++)
        {
            if (buffers[i].getIntVolatile(indexes[i]) != expected[i])
            {
                return;
            }
        }
        park(buffers[0], indexes[0], expected[0], Math.min(nanos, PORTABLE_MAX_PARK_NANOS), parkRound);
    }

    /**
     * Wakes up to {@code count} threads sleeping on the word; callers call it only when a waiter
     * has announced itself.
     *
     * @param buffer the buffer holding the word.
     * @param index  the word's index.
     * @param count  the most threads to wake.
     */
    public void wake(final AtomicBuffer buffer, final int index, final int count)
    {
        if (futex)
        {
            Futex.wake(buffer, index, count);
        }
    }

    @Override
    public String toString()
    {
        return (futex ? "futex" : "portable") + "(spins=" + spins + ", yields=" + yields + ", slice=" + sliceNanos +
            "ns, adaptive spin=" + adaptiveSpinNanos + "ns)";
    }
}
