package io.shm.sync;

import io.shm.process.JvmProcess;
import io.shm.process.ProcessIdentity;
import io.shm.segment.Segment;
import io.shm.segment.SharedObject;
import io.shm.test.ChildArgs;
import io.shm.test.TestSegments;
import io.shm.value.IntValue;
import io.shm.value.LongValue;
import io.shm.wait.WaitStrategy;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The lock across real, separate JVMs, under both waiting strategies.
 */
@Timeout(300)
class CrossProcessLockTest
{
    private static final int INCREMENTS = 100_000;

    private final TestSegments segments = new TestSegments();
    private String name;
    private Segment segment;

    @BeforeEach
    void createSegment()
    {
        name = segments.name("lock");
        segment = Segment.create(name, segments.options());
    }

    @AfterEach
    void removeSegment()
    {
        segment.close();
        segments.close();
    }

    @ParameterizedTest
    @CsvSource({"futex,2", "futex,4", "portable,2", "portable,4"})
    void jvmsIncrementingUnderTheLockReachTheExactTotal(final String strategy, final int processes) throws Exception
    {
        final List<JvmProcess> children = new ArrayList<>();
        try
        {
            for (int i = 0; i < processes; i++)
            {
                children.add(child(Count.class, strategy, Integer.toString(INCREMENTS), "1"));
            }
            for (final JvmProcess child : children)
            {
                assertEquals(0, child.join(240, TimeUnit.SECONDS), child.output());
            }
        }
        finally
        {
            children.forEach(JvmProcess::close);
        }
        assertEquals((long)processes * INCREMENTS, LongValue.openOrCreate(segment, "counter").get());
        assertFalse(ShmLock.openOrCreate(segment, "lock").isLocked());
    }

    @ParameterizedTest
    @ValueSource(strings = {"futex", "portable"})
    void incrementAndDecrementPairEndsAtZero(final String strategy) throws Exception
    {
        try (JvmProcess up = child(Count.class, strategy, Integer.toString(INCREMENTS), "1");
            JvmProcess down = child(Count.class, strategy, Integer.toString(INCREMENTS), "-1"))
        {
            assertEquals(0, up.join(240, TimeUnit.SECONDS), up.output());
            assertEquals(0, down.join(240, TimeUnit.SECONDS), down.output());
        }
        assertEquals(0, LongValue.openOrCreate(segment, "counter").get());
    }

    @ParameterizedTest
    @CsvSource({"after-cas,futex", "after-start-time,futex", "critical-section,futex",
        "after-cas,portable", "critical-section,portable"})
    void holderKilledAtEachPointIsTakenOverByExactlyOneWaiter(final String point, final String strategy) throws Exception
    {
        final IntValue protectedState = IntValue.openOrCreate(segment, "protected");
        final List<JvmProcess> waiters = new ArrayList<>();
        try (JvmProcess holder = child(Hold.class, strategy, point))
        {
            holder.awaitOutput(line -> line.startsWith("holding"), 60, TimeUnit.SECONDS);
            final ShmLock lock = ShmLock.openOrCreate(segment, "lock");
            assertEquals(holder.pid(), lock.ownerPid());
            for (int i = 0; i < 3; i++)
            {
                waiters.add(child(LockOnce.class, strategy));
            }
            for (final JvmProcess waiter : waiters)
            {
                waiter.awaitOutput(line -> line.equals("waiting"), 60, TimeUnit.SECONDS);
            }
            holder.killAndWait();
            int toldOwnerDied = 0;
            for (final JvmProcess waiter : waiters)
            {
                assertEquals(0, waiter.join(60, TimeUnit.SECONDS), waiter.output());
                final String line = waiter.awaitOutput(l -> l.startsWith("acquired"), 1, TimeUnit.SECONDS);
                toldOwnerDied += line.equals("acquired ownerDied=true") ? 1 : 0;
            }
            assertEquals(1, toldOwnerDied, "exactly one waiter is told the owner died");
            assertEquals(0, protectedState.get(), "the state was repaired");
            assertTrue(lock.tryLock(), "the lock is consistent and free");
            assertFalse(lock.ownerDied());
            lock.unlock();
        }
        finally
        {
            waiters.forEach(JvmProcess::close);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"futex", "portable"})
    void stoppedHolderKeepsTheLockPastEveryTimeoutAndUnlocksAfterContinue(final String strategy) throws Exception
    {
        final Path release = segments.directory().resolve("release");
        final ShmLock lock = ShmLock.openOrCreate(segment, "lock", strategy(strategy));
        try (JvmProcess holder = child(HoldUntil.class, strategy, release.toString()))
        {
            holder.awaitOutput(line -> line.equals("holding"), 60, TimeUnit.SECONDS);
            holder.signal("STOP");
            try
            {
                // Longer than several liveness checks: a stopped process is alive.
                assertFalse(lock.tryLock(300, TimeUnit.MILLISECONDS));
                try (JvmProcess other = child(TryLock.class, strategy, "300"))
                {
                    assertEquals(0, other.join(60, TimeUnit.SECONDS), other.output());
                    assertTrue(other.output().contains("tryLock false"), other.output());
                }
                assertEquals(holder.pid(), lock.ownerPid());
            }
            finally
            {
                holder.signal("CONT");
            }
            Files.createFile(release);
            holder.awaitOutput(line -> line.equals("released"), 60, TimeUnit.SECONDS);
            assertTrue(lock.tryLock(60, TimeUnit.SECONDS));
            assertFalse(lock.ownerDied(), "a normal unlock is not a death");
            lock.unlock();
        }
    }

    @Test
    void unlockByAnotherProcessIsRefused() throws Exception
    {
        final ShmLock lock = ShmLock.openOrCreate(segment, "lock");
        lock.lock();
        try (JvmProcess other = child(UnlockForeign.class, "futex"))
        {
            assertEquals(0, other.join(60, TimeUnit.SECONDS), other.output());
            assertTrue(other.output().contains("refused") && other.output().contains("held by process " +
                ProcessHandle.current().pid()), other.output());
            assertTrue(lock.isHeldByCurrentThread());
        }
        finally
        {
            lock.unlock();
        }
    }

    private JvmProcess child(final Class<?> scenario, final String strategy, final String... args)
    {
        final List<String> all = new ArrayList<>(List.of(strategy));
        all.addAll(List.of(args));
        return ChildArgs.child(scenario, segments, name, all.toArray(String[]::new)).jvmArgs("-XX:TieredStopAtLevel=1").start();
    }

    static WaitStrategy strategy(final String name)
    {
        return name.equals("portable") ? WaitStrategy.portable() : WaitStrategy.futex();
    }

    /**
     * Child: counts under the lock: {@code (strategy, iterations, delta)}.
     */
    public static final class Count
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.openOrCreate(args))
            {
                count(child.segment(), child.strategy(0), child.getInt(1), child.getInt(2));
            }
        }
    }

    /**
     * Child: leaves the lock as a holder killed at a point leaves it, then hangs: {@code (strategy, point)}.
     */
    public static final class Hold
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.openOrCreate(args))
            {
                hold(child.segment(), child.get(1));
            }
        }
    }

    /**
     * Child: takes the lock once, repairing the protected state if its owner died: {@code (strategy)}.
     */
    public static final class LockOnce
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.openOrCreate(args))
            {
                lockOnce(child.segment(), child.strategy(0));
            }
        }
    }

    /**
     * Child: holds the lock until a file exists: {@code (strategy, file)}.
     */
    public static final class HoldUntil
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.openOrCreate(args))
            {
                holdUntil(child.segment(), child.strategy(0), Path.of(child.get(1)));
            }
        }
    }

    /**
     * Child: prints the outcome of a timed tryLock: {@code (strategy, millis)}.
     */
    public static final class TryLock
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.openOrCreate(args))
            {
                System.out.println("tryLock " + ShmLock.openOrCreate(child.segment(), "lock", child.strategy(0))
                    .tryLock(child.getLong(1), TimeUnit.MILLISECONDS));
            }
        }
    }

    /**
     * Child: tries to unlock a lock it does not hold: {@code (strategy)}.
     */
    public static final class UnlockForeign
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.openOrCreate(args))
            {
                unlockForeign(child.segment());
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
}
