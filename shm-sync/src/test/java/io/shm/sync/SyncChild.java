package io.shm.sync;

import io.shm.process.ProcessIdentity;
import io.shm.segment.Segment;
import io.shm.segment.SegmentOptions;
import io.shm.segment.SharedObject;
import io.shm.value.IntArray;
import io.shm.value.IntValue;
import io.shm.value.LongValue;
import io.shm.wait.WaitStrategy;
import org.agrona.concurrent.AtomicBuffer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;

/**
 * The child JVM of the synchronizer tests: {@code main(command, directory, segment, strategy, args...)}.
 */
public final class SyncChild
{
    private SyncChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final String command = args[0];
        final SegmentOptions options = SegmentOptions.defaults().withDirectory(Path.of(args[1]));
        final WaitStrategy strategy = args[3].equals("portable") ? WaitStrategy.portable() : WaitStrategy.futex();
        try (Segment segment = Segment.openOrCreate(args[2], options))
        {
            switch (command)
            {
                case "count" -> count(segment, strategy, Integer.parseInt(args[4]), Integer.parseInt(args[5]));
                case "hold" -> hold(segment, args[4]);
                case "lock-once" -> lockOnce(segment, strategy);
                case "hold-until" -> holdUntil(segment, strategy, Path.of(args[4]));
                case "try-lock" -> System.out.println("tryLock " +
                    ShmLock.openOrCreate(segment, "lock", strategy).tryLock(Long.parseLong(args[4]), TimeUnit.MILLISECONDS));
                case "unlock" -> unlockForeign(segment);
                case "produce" -> produce(segment, strategy, Integer.parseInt(args[4]));
                case "consume" -> consume(segment, strategy, Integer.parseInt(args[4]));
                case "await-event" -> awaitEvent(segment, strategy);
                case "buffer-put" -> bufferPut(segment, strategy, Integer.parseInt(args[4]));
                case "buffer-take" -> bufferTake(segment, strategy, Integer.parseInt(args[4]));
                case "barrier" -> barrier(segment, strategy, Integer.parseInt(args[4]));
                case "barrier-timed" -> barrierTimed(segment, strategy, Long.parseLong(args[4]));
                case "park-forever" -> parkForever(segment, strategy, args[4]);
                default -> throw new IllegalArgumentException("unknown command " + command);
            }
        }
    }

    private static void count(final Segment segment, final WaitStrategy strategy, final int iterations, final int delta)
    {
        final ShmLock lock = ShmLock.openOrCreate(segment, "lock", strategy);
        final LongValue counter = LongValue.openOrCreate(segment, "counter");
        for (int i = 0; i < iterations; i++)
        {
            lock.lock();
            try
            {
                // Plain accesses: the lock alone makes them exact across processes.
                counter.setPlain(counter.getPlain() + delta);
            }
            finally
            {
                lock.unlock();
            }
        }
        System.out.println("counted " + iterations);
    }

    /**
     * Leaves the lock in the state a holder killed at {@code point} leaves it, then hangs.
     */
    private static void hold(final Segment segment, final String point) throws InterruptedException
    {
        final ShmLock lock = ShmLock.openOrCreate(segment, "lock");
        final SharedObject object = lock.object();
        final AtomicBuffer buffer = object.buffer();
        final int base = SharedObject.DATA_OFFSET;
        final int pid = (int)ProcessIdentity.current().pid();
        switch (point)
        {
            case "after-cas" ->
            {
                // The lock word is taken; the owner record is not yet written.
                if (!buffer.compareAndSetInt(base + LockDescriptor.LOCK_WORD_OFFSET, 0, pid))
                {
                    throw new IllegalStateException("lock not free");
                }
            }
            case "after-start-time" ->
            {
                if (!buffer.compareAndSetInt(base + LockDescriptor.LOCK_WORD_OFFSET, 0, pid))
                {
                    throw new IllegalStateException("lock not free");
                }
                buffer.putLongRelease(base + LockDescriptor.OWNER_START_TIME_OFFSET, ProcessIdentity.current().startTime());
            }
            case "critical-section" ->
            {
                lock.lock();
                IntValue.openOrCreate(segment, "protected").set(-1);
            }
            default -> throw new IllegalArgumentException(point);
        }
        System.out.println("holding at " + point);
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void lockOnce(final Segment segment, final WaitStrategy strategy)
    {
        final ShmLock lock = ShmLock.openOrCreate(segment, "lock", strategy);
        System.out.println("waiting");
        lock.lock();
        try
        {
            final boolean died = lock.ownerDied();
            if (died)
            {
                IntValue.openOrCreate(segment, "protected").set(0);
                lock.markConsistent();
            }
            System.out.println("acquired ownerDied=" + died);
        }
        finally
        {
            lock.unlock();
        }
    }

    private static void holdUntil(final Segment segment, final WaitStrategy strategy, final Path release) throws Exception
    {
        final ShmLock lock = ShmLock.openOrCreate(segment, "lock", strategy);
        lock.lock();
        System.out.println("holding");
        while (!Files.exists(release))
        {
            Thread.sleep(5);
        }
        lock.unlock();
        System.out.println("released");
    }

    private static void unlockForeign(final Segment segment)
    {
        try
        {
            ShmLock.openOrCreate(segment, "lock").unlock();
            System.out.println("unlocked");
        }
        catch (final IllegalMonitorStateException ex)
        {
            System.out.println("refused: " + ex.getMessage());
        }
    }

    private static void produce(final Segment segment, final WaitStrategy strategy, final int items) throws Exception
    {
        final ShmSemaphore filled = ShmSemaphore.openOrCreate(segment, "filled", 0, strategy);
        final ShmSemaphore empty = ShmSemaphore.openOrCreate(segment, "empty", 1, strategy);
        final LongValue slot = LongValue.openOrCreate(segment, "slot");
        for (int i = 1; i <= items; i++)
        {
            empty.acquire();
            slot.setPlain(i * 7L);
            filled.release();
        }
        System.out.println("produced " + items);
    }

    private static void consume(final Segment segment, final WaitStrategy strategy, final int items) throws Exception
    {
        final ShmSemaphore filled = ShmSemaphore.openOrCreate(segment, "filled", 0, strategy);
        final ShmSemaphore empty = ShmSemaphore.openOrCreate(segment, "empty", 1, strategy);
        final LongValue slot = LongValue.openOrCreate(segment, "slot");
        long sum = 0;
        for (int i = 1; i <= items; i++)
        {
            filled.acquire();
            final long value = slot.getPlain();
            if (value != i * 7L)
            {
                throw new IllegalStateException("item " + i + " was " + value);
            }
            sum += value;
            empty.release();
        }
        System.out.println("consumed " + items + " sum " + sum);
    }

    private static void awaitEvent(final Segment segment, final WaitStrategy strategy) throws Exception
    {
        final ShmEvent event = ShmEvent.openOrCreate(segment, "event", strategy);
        System.out.println("waiting");
        final boolean set = event.await(60, TimeUnit.SECONDS);
        System.out.println("event " + set + " payload " + IntValue.openOrCreate(segment, "payload").get());
    }

    private static void bufferPut(final Segment segment, final WaitStrategy strategy, final int items) throws Exception
    {
        final BoundedBuffer buffer = new BoundedBuffer(segment, strategy);
        for (int i = 1; i <= items; i++)
        {
            buffer.put(i);
        }
        System.out.println("put " + items);
    }

    private static void bufferTake(final Segment segment, final WaitStrategy strategy, final int items) throws Exception
    {
        final BoundedBuffer buffer = new BoundedBuffer(segment, strategy);
        for (int i = 1; i <= items; i++)
        {
            final int item = buffer.take();
            if (item != i)
            {
                throw new IllegalStateException("took " + item + ", expected " + i);
            }
        }
        System.out.println("took " + items);
    }

    private static void barrier(final Segment segment, final WaitStrategy strategy, final int rounds) throws Exception
    {
        final ShmBarrier barrier = ShmBarrier.openOrCreate(segment, "barrier", 3, strategy);
        final LongValue arrivals = LongValue.openOrCreate(segment, "arrivals");
        System.out.println("ready");
        try
        {
            for (int round = 0; round < rounds; round++)
            {
                arrivals.incrementAndGet();
                barrier.await(60, TimeUnit.SECONDS);
                // Every party of this round arrived before anyone passed.
                if (arrivals.get() < 3L * (round + 1))
                {
                    throw new IllegalStateException("passed round " + round + " with " + arrivals.get() + " arrivals");
                }
            }
            System.out.println("passed " + rounds);
        }
        catch (final BrokenBarrierException ex)
        {
            System.out.println("broken");
        }
    }

    /**
     * Waits once at the 3-party barrier for at most {@code millis}; prints how the wait ended.
     */
    private static void barrierTimed(final Segment segment, final WaitStrategy strategy, final long millis)
        throws InterruptedException
    {
        final ShmBarrier barrier = ShmBarrier.openOrCreate(segment, "barrier", 3, strategy);
        System.out.println("ready");
        try
        {
            barrier.await(millis, TimeUnit.MILLISECONDS);
            System.out.println("passed");
        }
        catch (final java.util.concurrent.TimeoutException ex)
        {
            System.out.println("timed out");
        }
        catch (final BrokenBarrierException ex)
        {
            System.out.println("broken");
        }
    }

    private static void parkForever(final Segment segment, final WaitStrategy strategy, final String what) throws Exception
    {
        System.out.println("parking");
        switch (what)
        {
            case "semaphore" -> ShmSemaphore.openOrCreate(segment, "semaphore", 0, strategy).acquire();
            case "event" -> ShmEvent.openOrCreate(segment, "event", strategy).await();
            case "condition" ->
            {
                final ShmLock lock = ShmLock.openOrCreate(segment, "lock", strategy);
                final ShmCondition condition = ShmCondition.openOrCreate(segment, "condition", lock);
                lock.lock();
                condition.await();
            }
            case "barrier" -> ShmBarrier.openOrCreate(segment, "barrier", 3, strategy).await();
            default -> throw new IllegalArgumentException(what);
        }
    }

    /**
     * The tutorial's bounded buffer: capacity 10, a lock and two conditions.
     */
    static final class BoundedBuffer
    {
        static final int CAPACITY = 10;

        private final ShmLock lock;
        private final ShmCondition notFull;
        private final ShmCondition notEmpty;
        private final IntArray items;
        private final IntValue count;
        private final IntValue head;

        BoundedBuffer(final Segment segment, final WaitStrategy strategy)
        {
            lock = ShmLock.openOrCreate(segment, "buffer.lock", strategy);
            notFull = ShmCondition.openOrCreate(segment, "buffer.notFull", lock);
            notEmpty = ShmCondition.openOrCreate(segment, "buffer.notEmpty", lock);
            items = IntArray.openOrCreate(segment, "buffer.items", CAPACITY);
            count = IntValue.openOrCreate(segment, "buffer.count");
            head = IntValue.openOrCreate(segment, "buffer.head");
        }

        void put(final int item) throws InterruptedException
        {
            lock.lock();
            try
            {
                while (count.getPlain() == CAPACITY)
                {
                    notFull.await();
                }
                items.setPlain((head.getPlain() + count.getPlain()) % CAPACITY, item);
                count.setPlain(count.getPlain() + 1);
                notEmpty.signal();
            }
            finally
            {
                lock.unlock();
            }
        }

        int take() throws InterruptedException
        {
            lock.lock();
            try
            {
                while (count.getPlain() == 0)
                {
                    notEmpty.await();
                }
                final int item = items.getPlain(head.getPlain());
                head.setPlain((head.getPlain() + 1) % CAPACITY);
                count.setPlain(count.getPlain() - 1);
                notFull.signal();
                return item;
            }
            finally
            {
                lock.unlock();
            }
        }
    }
}
