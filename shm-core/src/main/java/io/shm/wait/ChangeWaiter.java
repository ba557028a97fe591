package io.shm.wait;

import org.agrona.concurrent.AtomicBuffer;

/**
 * A {@link Waiter} for the futex word to differ from a value seen earlier: an event's state, a
 * condition's sequence, a barrier's phase. The attempt is a look at the word, and the sleep is on
 * the value seen, so a change at any moment after it was read is never missed.
 */
public abstract class ChangeWaiter extends Waiter
{
    private final AtomicBuffer buffer;
    private final int word;
    private final int seen;

    /**
     * @param scope       what the wait is on.
     * @param strategy    how to spin, yield and sleep.
     * @param buffer      the shared memory holding the word.
     * @param word        the futex word's index.
     * @param seen        the value the wait is for the word to leave.
     * @param waiterCount the index of the count of waiters to announce in, or -1.
     */
    protected ChangeWaiter(
        final WaitScope scope, final WaitStrategy strategy, final AtomicBuffer buffer, final int word, final int seen,
        final int waiterCount)
    {
        super(scope, strategy, buffer, word, false, waiterCount);
        this.buffer = buffer;
        this.word = word;
        this.seen = seen;
    }

    @Override
    protected final boolean tryAcquire()
    {
        return buffer.getIntVolatile(word) != seen;
    }

    @Override
    protected final int sleepValue()
    {
        return seen;
    }
}
