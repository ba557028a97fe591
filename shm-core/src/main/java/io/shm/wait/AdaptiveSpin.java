package io.shm.wait;

/**
 * What one waiter remembers of its last waits, to spin through the gaps of a stream instead of
 * sleeping in each: a stream whose messages come a little further apart than the
 * {@link WaitStrategy} rounds last would otherwise pay a sleep and a wake-up (tens of
 * microseconds here) for every message.
 * <p>
 * After the strategy's spin and yield rounds, the waiter calls {@link #spin}: it spins on for as
 * long as the <i>budget</i>, then lets the waiter park. {@link #satisfied} ends a wait and adjusts
 * the budget, up to the strategy's {@link WaitStrategy#adaptiveSpinNanos() limit}:
 * <ul>
 *     <li>a wait that ended while spinning keeps a budget of twice its length, shrinking by an
 *     eighth at a time when it had more than that;</li>
 *     <li>a wait that parked and still ended within the limit, wake-up included, sets the budget
 *     to the limit; one that took longer (up to four times the limit) doubles it, from a quarter
 *     of the limit, since its own length, wake-up included, does not tell when the awaited
 *     change came;</li>
 *     <li>two waits in a row that parked after spinning the whole limit (the gaps are longer than
 *     it) clear the budget, and the next {@value #COOL_DOWN} waits that park leave it cleared;
 *     one late message alone costs one sleep;</li>
 *     <li>a wait of more than four times the limit (a stream that pauses, or an idle one) clears
 *     the budget: the next wait parks at once, and learns again from there.</li>
 * </ul>
 * So a waiter spins through recurring gaps shorter than the limit, and a waiter whose waits are
 * longer spins rarely: an idle one spins for at most the limit once. Strategies without spin
 * rounds (park-only, or one CPU) have no limit and never spin here either.
 * <p>
 * One per waiting thread; not thread-safe.
 */
public final class AdaptiveSpin
{
    /**
     * Waits that park after the budget is cleared before it may grow again.
     */
    public static final int COOL_DOWN = 8;

    private final long maxNanos;
    private long budgetNanos;
    private long since;
    private boolean timing;
    private boolean parked;
    private int coolDown;
    private boolean missedAtLimit;

    /**
     * @param strategy the waiter's strategy, whose {@link WaitStrategy#adaptiveSpinNanos()} is the longest budget.
     */
    public AdaptiveSpin(final WaitStrategy strategy)
    {
        this.maxNanos = strategy.adaptiveSpinNanos();
    }

    /**
     * Called each time the strategy's rounds are over and the waiter would park.
     *
     * @param deadline the waiter's {@link Deadline}, or {@link Deadline#NONE}: no spinning past it.
     * @return true if it spun once and the waiter should try again; false to park.
     */
    public boolean spin(final long deadline)
    {
        if (maxNanos == 0)
        {
            return false;
        }
        final long now = System.nanoTime();
        if (!timing)
        {
            timing = true;
            since = now;
        }
        if (now - since < budgetNanos && !Deadline.hasPassed(deadline, now))
        {
            Thread.onSpinWait();
            return true;
        }
        parked = true;
        return false;
    }

    /**
     * Called when a wait got what it waited for; costs nothing if the wait ended within the rounds.
     */
    public void satisfied()
    {
        if (!timing)
        {
            return;
        }
        timing = false;
        final long waited = System.nanoTime() - since;
        if (!parked)
        {
            budgetNanos = Math.min(maxNanos, Math.max(budgetNanos - (budgetNanos >> 3), 2 * waited));
            missedAtLimit = false;
            return;
        }
        parked = false;
        if (waited > 4 * maxNanos)
        {
            budgetNanos = 0;
            missedAtLimit = false;
        }
        else if (budgetNanos >= maxNanos)
        {
            if (missedAtLimit)
            {
                budgetNanos = 0;
                coolDown = COOL_DOWN;
            }
            missedAtLimit = !missedAtLimit;
        }
        else if (coolDown > 0)
        {
            coolDown--;
        }
        else if (waited <= maxNanos)
        {
            budgetNanos = maxNanos;
        }
        else
        {
            budgetNanos = Math.min(maxNanos, Math.max(2 * budgetNanos, maxNanos >> 2));
        }
    }

    /**
     * Called when a wait ends without what it waited for (a timeout, an interrupt, an error): the
     * budget stays, the next wait is timed afresh.
     */
    public void abandoned()
    {
        timing = false;
        parked = false;
    }

    /**
     * @return the budget the next wait may spin for past the rounds, in nanoseconds.
     */
    public long budgetNanos()
    {
        return budgetNanos;
    }

}
