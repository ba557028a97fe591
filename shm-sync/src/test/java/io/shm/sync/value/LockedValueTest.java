package io.shm.sync.value;

import io.shm.segment.Segment;
import io.shm.sync.ShmReentrantLock;
import io.shm.test.TestSegments;
import io.shm.value.DoubleArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(60)
class LockedValueTest
{
    private final TestSegments segments = new TestSegments();

    @AfterEach
    void removeSegments()
    {
        segments.close();
    }

    @Test
    void everyOperationTakesTheLockAndCompoundUpdatesAreExact() throws Exception
    {
        try (Segment segment = Segment.create(segments.name("locked"), segments.options()))
        {
            final LockedLongValue total = LockedLongValue.openOrCreate(segment, "total", 5);
            final Locked<DoubleArray> array = Locked.of(segment, DoubleArray.openOrCreate(segment, "array", 4));
            final Thread[] threads = new Thread[4];
            for (int t = 0; t < threads.length; t++)
            {
                threads[t] = new Thread(() ->
                {
                    for (int i = 0; i < 5_000; i++)
                    {
                        total.updateAndGet(x -> x + 1);
                        array.update(a -> a.setPlain(0, a.getPlain(0) + 0.5));
                    }
                });
                threads[t].start();
            }
            for (final Thread thread : threads)
            {
                thread.join();
            }
            assertEquals(20_005, total.get());
            assertEquals(10_000.0, array.apply(a -> a.get(0)));
            assertEquals("array.lock", array.getLock().object().name());
            assertFalse(total.getLock().isLocked());
            total.set(3);
            assertEquals(3, total.locked().raw().get());
            final LockedDoubleValue price = LockedDoubleValue.openOrCreate(segment, "price", 1.5);
            assertEquals(3.0, price.updateAndGet(x -> x * 2));
            final LockedIntValue count = LockedIntValue.openOrCreate(segment, "count", 1);
            count.getLock().lock();
            try
            {
                count.updateAndGet(x ->
                {
                    assertEquals(2, ((ShmReentrantLock)count.getLock()).getHoldCount(), "reentrant, as Python's RLock");
                    return x + 1;
                });
            }
            finally
            {
                count.getLock().unlock();
            }
            assertEquals(2, count.get());
        }
    }
}
