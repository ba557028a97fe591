package io.shm.sync;

import io.shm.process.JvmProcess;
import io.shm.segment.Segment;
import io.shm.test.TestSegments;
import io.shm.value.IntValue;
import io.shm.value.LongValue;
import io.shm.wait.WaitStrategy;
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
                children.add(child("count", strategy, Integer.toString(INCREMENTS), "1"));
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
        try (JvmProcess up = child("count", strategy, Integer.toString(INCREMENTS), "1");
            JvmProcess down = child("count", strategy, Integer.toString(INCREMENTS), "-1"))
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
        try (JvmProcess holder = child("hold", strategy, point))
        {
            holder.awaitOutput(line -> line.startsWith("holding"), 60, TimeUnit.SECONDS);
            final ShmLock lock = ShmLock.openOrCreate(segment, "lock");
            assertEquals(holder.pid(), lock.ownerPid());
            for (int i = 0; i < 3; i++)
            {
                waiters.add(child("lock-once", strategy));
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
        try (JvmProcess holder = child("hold-until", strategy, release.toString()))
        {
            holder.awaitOutput(line -> line.equals("holding"), 60, TimeUnit.SECONDS);
            holder.signal("STOP");
            try
            {
                // Longer than several liveness checks: a stopped process is alive.
                assertFalse(lock.tryLock(300, TimeUnit.MILLISECONDS));
                try (JvmProcess other = child("try-lock", strategy, "300"))
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
        try (JvmProcess other = child("unlock", "futex"))
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

    private JvmProcess child(final String command, final String strategy, final String... args)
    {
        final List<String> all = new ArrayList<>(List.of(command, segments.directory().toString(), name, strategy));
        all.addAll(List.of(args));
        return JvmProcess.builder(SyncChild.class).jvmArgs("-XX:TieredStopAtLevel=1")
            .args(all.toArray(String[]::new)).captureOutput().start();
    }

    static WaitStrategy strategy(final String name)
    {
        return name.equals("portable") ? WaitStrategy.portable() : WaitStrategy.futex();
    }
}
