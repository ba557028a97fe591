package io.shm.wait;

import org.agrona.concurrent.AtomicBuffer;

/**
 * The one waiting protocol of the library: every synchronizer, the channel and the queue wait
 * through a subclass of this, which says only what its wait means.
 *
 * <h2>Protocol</h2>
 * A waiter waits for something that another process or thread will do in shared memory: release
 * a lock, add permits, set an event, commit a record, free ring space. What it waits for is
 * {@link #tryAcquire()}: one attempt, which either gets it (takes the lock, the permit, sees the
 * record) or changes nothing. Alongside that state there is a 32-bit <b>futex word</b> that every
 * waker changes when it makes the attempt worth repeating (the lock word itself, the permit
 * count, a sequence the waker bumps).
 * <p>
 * {@link #await} tries, and while it fails:
 * <ol>
 *     <li><b>Spin</b>, then <b>yield</b>, for the strategy's rounds ({@link WaitStrategy#idle});
 *     a subclass may look less often while it spins ({@link #idle(int)}). A peer that answers
 *     within microseconds is seen without a system call.</li>
 *     <li>When the rounds are over, {@link #roundsOver()} (a channel receiver publishes what it
 *     has consumed, so that a sender waiting for room gets it), then, for a waiter built with an
 *     adaptive spin, spin on for what it has learned of recent waits ({@link AdaptiveSpin}).</li>
 *     <li>Once per pass from then on, {@link #beforeSleep(boolean)}: cheap checks every time, and
 *     once per {@link WaitStrategy#sliceNanos() slice} (or at once when {@link #lookNow()} asked)
 *     the expensive ones, above all whether the peer it waits for is dead. Death is proven only by
 *     pid and start time ({@link io.shm.process.ProcessIdentity}); what to do about it (take over
 *     the lock, skip the dead sender's hole, break the barrier, throw) is the subclass's.</li>
 *     <li>An interrupt, for an interruptible wait, goes to {@link #onInterrupt()} (by default,
 *     {@link InterruptedException}); an uninterruptible wait remembers it and sets the flag again
 *     when it ends. A deadline passed ends the wait: {@code await} returns false.</li>
 *     <li><b>Park</b>: {@link #announce()} (a waiter count, a flag, a bit in the lock word), read
 *     the futex word ({@link #sleepValue()}), <i>re-check</i> with {@link #tryAcquire()}, and only
 *     then sleep in the kernel while the word still holds the value read, for at most a slice and
 *     at most until the deadline; then {@link #withdraw()}. A waker changes its state and the word
 *     first and wakes only if it sees an announcement. Either the waker's change comes before the
 *     waiter reads the word (the re-check sees it, or the kernel finds the word changed and does
 *     not sleep), or the announcement comes before the waker looks (it wakes the waiter): a wake
 *     is never lost, and a waker with nobody announced makes no system call.</li>
 * </ol>
 * Fairness: none; a waiter that wakes competes with newcomers, as in {@code ReentrantLock}'s
 * default mode. A strategy that cannot sleep (the portable one) sleeps a growing interval and
 * polls; a wait that may not sleep at all ({@link #canSleep()} false: a channel whose senders do
 * not wake) yields instead.
 * <p>
 * A subclass instance holds the state of one wait at a time: a per-call object on a cold path,
 * or a field reused by a single-threaded owner (a channel's sender or receiver) on a hot one.
 */
public abstract class Waiter
{
    final WaitStrategy strategy;
    final AtomicBuffer buffer;
    final int word;
    final WaitScope scope;
    private final AdaptiveSpin spin;
    private final int waiterCount;
    private int parks;
    private boolean lookNow;

    /**
     * @param scope        what the wait is on: checked before every attempt, told of every sleep.
     * @param strategy     how to spin, yield and sleep.
     * @param buffer       the shared memory holding the futex word.
     * @param word         the futex word's index (4-byte aligned).
     * @param adaptiveSpin whether to learn a spin past the rounds ({@link AdaptiveSpin}), for
     *                     waits that a stream ends within tens of microseconds.
     */
    protected Waiter(
        final WaitScope scope, final WaitStrategy strategy, final AtomicBuffer buffer, final int word,
        final boolean adaptiveSpin)
    {
        this(scope, strategy, buffer, word, adaptiveSpin, -1);
    }

    /**
     * A waiter that announces itself in a count of waiters, the usual way: {@link #announce()}
     * adds one to the 4-byte count at {@code waiterCount} (a full fence, so the word is read after
     * it), {@link #withdraw()} takes it back, and wakers wake only when the count is above 0.
     *
     * @param scope        what the wait is on: checked before every attempt, told of every sleep.
     * @param strategy     how to spin, yield and sleep.
     * @param buffer       the shared memory holding the futex word and the count.
     * @param word         the futex word's index (4-byte aligned).
     * @param adaptiveSpin whether to learn a spin past the rounds.
     * @param waiterCount  the count's index, or -1 for none (the subclass announces its own way).
     */
    protected Waiter(
        final WaitScope scope, final WaitStrategy strategy, final AtomicBuffer buffer, final int word,
        final boolean adaptiveSpin, final int waiterCount)
    {
        this.scope = scope;
        this.strategy = strategy;
        this.buffer = buffer;
        this.word = word;
        this.spin = adaptiveSpin ? new AdaptiveSpin(strategy) : null;
        this.waiterCount = waiterCount;
    }

    /**
     * Waits until {@link #tryAcquire()} succeeds.
     *
     * @param deadline      a {@link Deadline}, or {@link Deadline#NONE}.
     * @param interruptible whether an interrupt ends the wait ({@link #onInterrupt()}).
     * @return true once acquired; false if the deadline passed or {@link #onInterrupt()} ended it.
     * @throws InterruptedException if interrupted, for an interruptible wait (by default).
     */
    public final boolean await(final long deadline, final boolean interruptible) throws InterruptedException
    {
        if (spin != null)
        {
            spin.abandoned();
        }
        parks = 0;
        lookNow = false;
        boolean interrupted = false;
        int round = 0;
        long nextLook = 0;
        try
        {
            while (true)
            {
                checkOpen();
                if (tryAcquire())
                {
                    return satisfied();
                }
                // A deadline already passed on the first pass (a try, a zero timeout) skips the spin
                // and yield rounds: the answer is "not now", after the checks below.
                final boolean expired = round == 0 && deadline != Deadline.NONE &&
                    Deadline.hasPassed(deadline, System.nanoTime());
                final int idled = expired ? 0 : idle(round);
                if (idled > 0)
                {
                    round += idled;
                    continue;
                }
                roundsOver();
                if (!expired && spin != null && spin.spin(deadline))
                {
                    continue;
                }
                final long now = System.nanoTime();
                // The clock is read only once the rounds are over: the first look comes a slice later.
                if (nextLook == 0)
                {
                    nextLook = now + strategy.sliceNanos();
                }
                final boolean lookDue = lookNow || now - nextLook >= 0;
                if (lookDue)
                {
                    lookNow = false;
                    nextLook = now + strategy.sliceNanos();
                }
                if (beforeSleep(lookDue))
                {
                    continue;
                }
                if (Thread.interrupted())
                {
                    if (!interruptible)
                    {
                        interrupted = true;
                    }
                    else if (onInterrupt())
                    {
                        return false;
                    }
                }
                final long remaining = Deadline.remaining(deadline, now);
                if (remaining <= 0)
                {
                    return false;
                }
                if (!canSleep())
                {
                    Thread.yield();
                    continue;
                }
                if (!sleep(remaining))
                {
                    continue;
                }
                return satisfied();
            }
        }
        finally
        {
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Announces the sleep, looks once more, sleeps on the word and withdraws; counted among the
     * scope's sleepers from before the announcement to after the withdrawal, so that a close of
     * the scope wakes it and waits for it to leave before the memory goes.
     *
     * @return true if the last look acquired (nothing slept); false to go round again.
     */
    private boolean sleep(final long remaining)
    {
        scope.sleeping(this);
        try
        {
            if (!announce())
            {
                return false;
            }
            try
            {
                final int seen = sleepValue();
                if (tryAcquire())
                {
                    return true;
                }
                park(seen, sleepLimit(remaining), parks++);
                return false;
            }
            finally
            {
                withdraw();
            }
        }
        finally
        {
            scope.awake(this);
        }
    }

    private boolean satisfied()
    {
        if (spin != null)
        {
            spin.satisfied();
        }
        return true;
    }

    /**
     * One attempt at what the wait is for; true ends the wait.
     *
     * @return whether it was got.
     */
    protected abstract boolean tryAcquire();

    /**
     * Wakes every thread asleep on this waiter's word, so that it looks again (its scope is
     * closing).
     */
    public void wakeAll()
    {
        strategy.wake(buffer, word, Integer.MAX_VALUE);
    }

    /**
     * Sleeps while the word holds {@code seen}, for at most {@code limit}: by default, through the
     * strategy on this waiter's word ({@link WaitMany} sleeps on several).
     */
    void park(final int seen, final long limit, final int round)
    {
        strategy.park(buffer, word, seen, limit, round);
    }

    /**
     * @return the futex word's value to sleep on, read after {@link #announce()}: the kernel
     *         sleeps only while the word still holds it.
     */
    protected abstract int sleepValue();

    /**
     * Throws if the object waited on is closed; called before every attempt. By default, asks
     * the scope.
     */
    protected void checkOpen()
    {
        scope.checkOpen();
    }

    /**
     * One round of the active phases.
     *
     * @param round the rounds idled so far in this wait.
     * @return how many rounds this call idled (a waiter that backs off may idle several between
     *         attempts), or 0 once the active phases are over.
     */
    protected int idle(final int round)
    {
        return strategy.idle(round) ? 1 : 0;
    }

    /**
     * Called on every pass once the rounds are over, before any adaptive spin.
     */
    protected void roundsOver()
    {
    }

    /**
     * Called on every pass before the waiter would sleep.
     *
     * @param lookDue true once per slice, or after {@link #lookNow()}: the time for checks too
     *                costly for every pass (whether the peer is dead).
     * @return true to try again at once instead of sleeping.
     */
    protected boolean beforeSleep(final boolean lookDue)
    {
        return false;
    }

    /**
     * Called when an interruptible wait finds the thread interrupted (the flag already cleared).
     *
     * @return true to end the wait ({@code await} returns false); false to go on.
     * @throws InterruptedException by default.
     */
    protected boolean onInterrupt() throws InterruptedException
    {
        throw new InterruptedException();
    }

    /**
     * @return whether this wait may sleep on the futex word; false makes it yield between passes.
     */
    protected boolean canSleep()
    {
        return true;
    }

    /**
     * Tells wakers this thread is about to sleep; by default, adds one to the waiter count given
     * to the constructor, if any.
     *
     * @return false if the state moved meanwhile and the waiter should try again instead.
     */
    protected boolean announce()
    {
        if (waiterCount >= 0)
        {
            buffer.getAndAddInt(waiterCount, 1);
        }
        return true;
    }

    /**
     * @param remaining the nanoseconds left before the deadline.
     * @return the longest this sleep may last (the strategy also keeps it within a slice).
     */
    protected long sleepLimit(final long remaining)
    {
        return remaining;
    }

    /**
     * Takes back what {@link #announce()} did, after the sleep.
     */
    protected void withdraw()
    {
        if (waiterCount >= 0)
        {
            buffer.getAndAddInt(waiterCount, -1);
        }
    }

    /**
     * Asks for {@link #beforeSleep(boolean)}'s costly checks on the next pass, instead of at the
     * end of the slice: for a waiter told that its peer has died.
     */
    protected final void lookNow()
    {
        lookNow = true;
    }

    /**
     * @return how many times the current wait has slept.
     */
    protected final int parks()
    {
        return parks;
    }
}
