package io.shm.sync;

import io.shm.segment.SharedObject;
import io.shm.wait.WaitStrategy;
import org.agrona.concurrent.AtomicBuffer;

import static io.shm.sync.BarrierDescriptor.*;

/**
 * A barrier's state word (generation, broken flag and arrivals, changed only by CAS), the history
 * of generations ended by a reset, and the wake of the parties asleep on the phase word. The
 * steps of {@link ShmBarrier} that change the generation are here; the arrival and the wait are
 * there.
 */
final class BarrierState
{
    private final AtomicBuffer buffer;
    private final WaitStrategy strategy;
    private final int state;
    private final int phaseWord;
    private final int sleepers;
    private final int resetHistory;

    BarrierState(final SharedObject object, final WaitStrategy strategy)
    {
        this.buffer = object.buffer();
        this.strategy = strategy;
        final int base = SharedObject.DATA_OFFSET;
        this.state = base + STATE_OFFSET;
        this.phaseWord = base + PHASE_OFFSET;
        this.sleepers = base + SLEEPERS_OFFSET;
        this.resetHistory = base + RESET_HISTORY_OFFSET;
    }

    /**
     * @return the state word now.
     */
    long current()
    {
        return buffer.getLongVolatile(state);
    }

    boolean compareAndSet(final long expected, final long next)
    {
        return buffer.compareAndSetLong(state, expected, next);
    }

    /**
     * Trips the generation of {@code phase} from {@code expected}: the next one starts with no
     * arrivals, and the sleepers wake.
     *
     * @return false if the state was no longer {@code expected}.
     */
    boolean trip(final long expected, final int phase)
    {
        if (buffer.compareAndSetLong(state, expected, BarrierDescriptor.state(phase + GENERATION_INCREMENT, 0)))
        {
            wakeSleepers();
            return true;
        }
        return false;
    }

    /**
     * Breaks the current generation.
     *
     * @return the state that was broken (its phase names the generation).
     */
    long breakBarrier()
    {
        while (true)
        {
            final long current = buffer.getLongVolatile(state);
            final int phase = phase(current);
            if ((phase & BROKEN) != 0 ||
                buffer.compareAndSetLong(state, current, BarrierDescriptor.state(phase | BROKEN, arrived(current))))
            {
                wakeSleepers();
                return current;
            }
        }
    }

    /**
     * @return whether the barrier is now broken in {@code phase}'s generation (false if it moved on).
     */
    boolean breakIfPhase(final int phase)
    {
        while (true)
        {
            final long current = buffer.getLongVolatile(state);
            final int now = phase(current);
            if ((now >>> 1) != (phase >>> 1))
            {
                return false;
            }
            if ((now & BROKEN) != 0 ||
                buffer.compareAndSetLong(state, current, BarrierDescriptor.state(now | BROKEN, arrived(current))))
            {
                wakeSleepers();
                return true;
            }
        }
    }

    /**
     * Takes one arrival back from {@code phase}'s generation if it is broken and still current.
     * A reset or the next generation has already set the count afresh.
     */
    void leaveBrokenGeneration(final int phase)
    {
        while (true)
        {
            final long current = buffer.getLongVolatile(state);
            final int now = phase(current);
            final int arrived = arrived(current);
            if ((now >>> 1) != (phase >>> 1) || (now & BROKEN) == 0 || arrived == 0 ||
                buffer.compareAndSetLong(state, current, BarrierDescriptor.state(now, arrived - 1)))
            {
                return;
            }
        }
    }

    /**
     * Breaks the generation for its waiters, records that a reset ended it, and starts the next.
     */
    void reset()
    {
        final int generation = phase(breakBarrier()) >>> 1;
        // Waiters of this generation that wake after the reset learn from the history that it broke.
        setHistoryBit(generation, true);
        setHistoryBit(generation + 1, false);
        buffer.putLongVolatile(state, BarrierDescriptor.state((generation + 1) * GENERATION_INCREMENT, 0));
    }

    /**
     * @return whether a reset ended {@code generation}.
     */
    boolean wasReset(final int generation)
    {
        return (buffer.getLongVolatile(resetHistory) & (1L << (generation & 63))) != 0;
    }

    /**
     * Clears the history bit of {@code generation}, before it starts: the bit is reused every 64
     * generations.
     */
    void clearReset(final int generation)
    {
        setHistoryBit(generation, false);
    }

    void wakeSleepers()
    {
        if (buffer.getIntVolatile(sleepers) > 0)
        {
            strategy.wake(buffer, phaseWord, Integer.MAX_VALUE);
        }
    }

    /**
     * @return the offset of the word the parties sleep on (the phase: the high half of the state).
     */
    int phaseWord()
    {
        return phaseWord;
    }

    /**
     * @return the offset of the count of parties asleep.
     */
    int sleepers()
    {
        return sleepers;
    }

    private void setHistoryBit(final int generation, final boolean value)
    {
        final long bit = 1L << (generation & 63);
        while (true)
        {
            final long current = buffer.getLongVolatile(resetHistory);
            final long next = value ? current | bit : current & ~bit;
            if (current == next || buffer.compareAndSetLong(resetHistory, current, next))
            {
                return;
            }
        }
    }
}
