package io.shm.sync.value;

import io.shm.launch.ProcessTarget;
import io.shm.launch.TargetArgs;
import io.shm.process.JvmProcess;
import io.shm.sync.ShmLock;
import io.shm.test.SegmentTestCase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Locked values have the atomic API ({@code compareAndSet}, {@code getAndUpdate},
 * {@code incrementAndGet}, ...) and take any of our locks (Python's {@code Value(lock=...)}).
 */
@Timeout(120)
class LockedAtomicApiTest extends SegmentTestCase
{
    private static final int INCREMENTS = 20_000;

    @Test
    void theAtomicApiWorksUnderTheLock()
    {
        final LockedLongValue value = LockedLongValue.openOrCreate(segment, "long", 5);
        assertTrue(value.compareAndSet(5, 6));
        assertFalse(value.compareAndSet(5, 7));
        assertEquals(6, value.getAndSet(10));
        assertEquals(11, value.incrementAndGet());
        assertEquals(11, value.getAndIncrement());
        assertEquals(11, value.decrementAndGet());
        assertEquals(11, value.getAndDecrement());
        assertEquals(15, value.addAndGet(5));
        assertEquals(15, value.getAndAdd(-5));
        assertEquals(10, value.getAndUpdate(x -> x * 3));
        assertEquals(60, value.updateAndGet(x -> x * 2));
        assertEquals(64, value.accumulateAndGet(4, Long::sum));
        assertEquals(64, value.getAndAccumulate(2, Math::max));
        value.lazySet(1);
        assertEquals(1, value.get());
        final LockedDoubleValue half = LockedDoubleValue.openOrCreate(segment, "double", 0.5);
        assertEquals(1.0, half.addAndGet(0.5));
        assertTrue(half.compareAndSet(1.0, 2.0));
        assertFalse(half.getLock().isLocked());
    }

    @Test
    void valuesGuardedByOneGivenLockStayExactAcrossProcesses() throws Exception
    {
        final ShmLock shared = ShmLock.openOrCreate(segment, "shared");
        final LockedIntValue a = LockedIntValue.openOrCreate(segment, "a", 0, shared);
        final LockedLongValue b = LockedLongValue.openOrCreate(segment, "b", 0, shared);
        assertSame(shared, a.getLock());
        final List<JvmProcess> children = new ArrayList<>();
        try
        {
            for (int i = 0; i < 2; i++)
            {
                children.add(ProcessTarget.builder(Incrementer.class, a.locked().raw(), b.locked().raw(), shared)
                    .captureOutput().start());
            }
            for (final JvmProcess child : children)
            {
                assertEquals(0, child.join(), child.output());
            }
        }
        finally
        {
            children.forEach(JvmProcess::close);
        }
        assertEquals(2 * INCREMENTS, a.get());
        assertEquals(2 * INCREMENTS, b.get());
    }

    /**
     * Increments two values guarded by one lock, each under it.
     */
    public static final class Incrementer implements ProcessTarget
    {
        @Override
        public void run(final TargetArgs args)
        {
            final ShmLock lock = args.open(2, ShmLock.class);
            final LockedIntValue a = LockedIntValue.openOrCreate(args.segment(0), args.handle(0).name(), 0, lock);
            final LockedLongValue b = LockedLongValue.openOrCreate(args.segment(1), args.handle(1).name(), 0, lock);
            for (int i = 0; i < INCREMENTS; i++)
            {
                a.incrementAndGet();
                b.getAndIncrement();
            }
        }
    }
}
