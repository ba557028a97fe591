package io.shm.wait;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * How a waiter learns its spin budget. The waits here last milliseconds and the limit is 100 ms,
 * far above a busy machine's scheduling hiccups, so each wait falls on the side of the limit it
 * is meant to.
 */
@Timeout(60)
class AdaptiveSpinTest
{
    private static final long LIMIT = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long SHORT = TimeUnit.MILLISECONDS.toNanos(10);

    @Test
    void parkOnlyAndDisabledStrategiesNeverSpin()
    {
        for (final WaitStrategy strategy : new WaitStrategy[] {
            WaitStrategy.portable().withCounts(0, 0, WaitStrategy.DEFAULT_SLICE_NANOS).withAdaptiveSpin(LIMIT),
            WaitStrategy.portable().withAdaptiveSpin(0)})
        {
            final AdaptiveSpin spin = new AdaptiveSpin(strategy);
            assertEquals(0, strategy.adaptiveSpinNanos(), strategy.toString());
            assertFalse(spin.spin(Deadline.NONE), strategy.toString());
            busy(TimeUnit.MICROSECONDS.toNanos(200));
            spin.satisfied();
            assertEquals(0, spin.budgetNanos(), strategy.toString());
            assertFalse(spin.spin(Deadline.NONE), strategy.toString());
        }
        assertThrows(IllegalArgumentException.class, () -> WaitStrategy.portable().withAdaptiveSpin(-1));
        assertEquals(WaitStrategy.DEFAULT_ADAPTIVE_SPIN_NANOS, WaitStrategy.portable().adaptiveSpinNanos());
    }

    @Test
    void parkedWaitsGrowTheBudgetSpunOnesKeepItAndOnesPastTheLimitClearIt()
    {
        final AdaptiveSpin spin = spinWithLimit(LIMIT);
        // No budget yet: the first wait parks at once; it ended within the limit, wake-up and all,
        // so the next one may spin the whole limit.
        assertFalse(spin.spin(Deadline.NONE));
        busy(SHORT);
        spin.satisfied();
        assertEquals(LIMIT, spin.budgetNanos());

        // Satisfied while spinning, well within the budget: it shrinks by an eighth, no more.
        assertTrue(spin.spin(Deadline.NONE));
        busy(SHORT);
        spin.satisfied();
        final long shrunk = LIMIT - (LIMIT >> 3);
        assertEquals(shrunk, spin.budgetNanos());

        // Spun the whole budget, parked, and came in past the limit: the budget doubles, up to the limit.
        final long start = System.nanoTime();
        int spun = 0;
        while (spin.spin(Deadline.NONE))
        {
            spun++;
        }
        final long spunFor = System.nanoTime() - start;
        assertTrue(spun > 0 && spunFor >= shrunk, "spun " + spun + " times for " + spunFor + " ns");
        busy(LIMIT - shrunk + SHORT);
        spin.satisfied();
        assertEquals(LIMIT, spin.budgetNanos());

        // Spun the whole limit and still parked, once: one late message; the budget stays.
        assertTrue(spin.spin(Deadline.NONE));
        busy(LIMIT + SHORT);
        assertFalse(spin.spin(Deadline.NONE));
        spin.satisfied();
        assertEquals(LIMIT, spin.budgetNanos());
        // Twice in a row: the gaps are longer than it is worth; cleared.
        assertTrue(spin.spin(Deadline.NONE));
        busy(LIMIT + SHORT);
        assertFalse(spin.spin(Deadline.NONE));
        spin.satisfied();
        assertEquals(0, spin.budgetNanos());
        // ... and it stays cleared for the next waits that park, then learns again.
        for (int wait = 0; wait < AdaptiveSpin.COOL_DOWN; wait++)
        {
            assertFalse(spin.spin(Deadline.NONE));
            spin.satisfied();
            assertEquals(0, spin.budgetNanos(), "wait " + wait + " of the cool-down");
        }
        assertFalse(spin.spin(Deadline.NONE));
        spin.satisfied();
        assertEquals(LIMIT, spin.budgetNanos());
    }

    @Test
    void aWaitOfFourTimesTheLimitClearsTheBudgetAndTheNextShortOneRestoresIt()
    {
        final long limit = TimeUnit.MILLISECONDS.toNanos(50);
        final AdaptiveSpin spin = spinWithLimit(limit);
        assertFalse(spin.spin(Deadline.NONE));
        spin.satisfied();
        assertEquals(limit, spin.budgetNanos());
        assertTrue(spin.spin(Deadline.NONE));
        busy(4 * limit + SHORT);
        assertFalse(spin.spin(Deadline.NONE));
        spin.satisfied();
        assertEquals(0, spin.budgetNanos(), "an idle stretch: the next wait parks at once");
        assertFalse(spin.spin(Deadline.NONE));
        spin.satisfied();
        assertEquals(limit, spin.budgetNanos(), "a short wait again, parked: no cool-down after a pause");
    }

    @Test
    void aParkedWaitPastTheLimitGrowsTheBudgetFromAQuarter()
    {
        final long limit = TimeUnit.MILLISECONDS.toNanos(50);
        final AdaptiveSpin spin = spinWithLimit(limit);
        assertFalse(spin.spin(Deadline.NONE));
        busy(limit + SHORT);
        spin.satisfied();
        assertEquals(limit / 4, spin.budgetNanos());
        assertTrue(spin.spin(Deadline.NONE));
        busy(limit + SHORT);
        assertFalse(spin.spin(Deadline.NONE));
        spin.satisfied();
        assertEquals(limit / 2, spin.budgetNanos());
    }

    @Test
    void noSpinningPastTheDeadlineAndAnAbandonedWaitIsNotLearned()
    {
        final AdaptiveSpin spin = spinWithLimit(LIMIT);
        assertFalse(spin.spin(Deadline.NONE));
        spin.satisfied();
        assertEquals(LIMIT, spin.budgetNanos());
        assertFalse(spin.spin(System.nanoTime() - 1), "the deadline has passed");
        spin.abandoned();
        assertEquals(LIMIT, spin.budgetNanos(), "a timed-out wait leaves the budget");
        // Timed afresh: a wait begun long after an abandoned one is not taken for a long wait.
        busy(LIMIT + SHORT);
        assertTrue(spin.spin(Deadline.NONE));
        spin.satisfied();
        assertEquals(LIMIT - (LIMIT >> 3), spin.budgetNanos());
    }

    private static AdaptiveSpin spinWithLimit(final long limit)
    {
        final WaitStrategy strategy = WaitStrategy.portable().withAdaptiveSpin(limit);
        assumeTrue(strategy.spins() > 0, "one CPU: no spinning at all");
        return new AdaptiveSpin(strategy);
    }

    private static void busy(final long nanos)
    {
        final long end = System.nanoTime() + nanos;
        while (System.nanoTime() - end < 0)
        {
            Thread.onSpinWait();
        }
    }
}
