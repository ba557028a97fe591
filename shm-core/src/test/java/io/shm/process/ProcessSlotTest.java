package io.shm.process;

import io.shm.segment.Segment;
import io.shm.segment.SegmentOptions;
import io.shm.segment.SharedObject;
import io.shm.test.TestSegments;
import io.shm.value.LongArray;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.shm.process.ProcessSlotDescriptor.PID_OFFSET;
import static io.shm.process.ProcessSlotDescriptor.START_TIME_OFFSET;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The process-slot protocol, once for all its users: the states a process killed at each step
 * leaves, pid reuse, a stopped holder, and eight JVMs racing for one slot while some are killed.
 */
@Timeout(180)
class ProcessSlotTest
{
    private static final int SLOT = SharedObject.DATA_OFFSET;
    private static final int OCCUPANT = SLOT + ProcessSlotDescriptor.LENGTH;
    private static final int RACERS = 8;
    private static final long RACE_MILLIS = 3000;

    private final TestSegments segments = new TestSegments();
    private String name;
    private Segment segment;
    private AtomicBuffer buffer;

    @BeforeEach
    void createSegment()
    {
        name = segments.name("slot");
        segment = Segment.create(name, segments.options());
        buffer = LongArray.openOrCreate(segment, "slot", 3).object().buffer();
    }

    @AfterEach
    void removeSegment()
    {
        segment.close();
        segments.close();
    }

    @Test
    void aFreeSlotIsClaimedOnceAndGivenBack()
    {
        final ProcessIdentity self = ProcessIdentity.current();
        assertTrue(ProcessSlot.claimIfFree(buffer, SLOT));
        assertFalse(ProcessSlot.claimIfFree(buffer, SLOT), "held");
        assertTrue(ProcessSlot.isHeldByThisProcess(buffer, SLOT));
        assertEquals(self, ProcessSlot.liveHolder(buffer, SLOT));
        assertEquals(self.pid(), ProcessSlot.claimUnlessHeld(buffer, SLOT), "a live holder, this process, is named");
        assertFalse(ProcessSlot.takeOverFromDead(buffer, SLOT));
        assertFalse(ProcessSlot.freeIfDead(buffer, SLOT));
        assertFalse(ProcessSlot.isProvenDead(buffer, SLOT, self.pid()));
        ProcessSlot.release(buffer, SLOT);
        assertEquals(0, buffer.getLongVolatile(SLOT + PID_OFFSET));
        assertEquals(0, buffer.getLongVolatile(SLOT + START_TIME_OFFSET), "the start time went too");
        assertNull(ProcessSlot.liveHolder(buffer, SLOT));
        assertEquals(0, ProcessSlot.claimUnlessHeld(buffer, SLOT));
        ProcessSlot.releaseAs(buffer, SLOT, -1);
        assertEquals(-1, ProcessSlot.pid(buffer, SLOT), "a marker");
        assertFalse(ProcessSlot.claimIfFree(buffer, SLOT), "a marker is not free");
        assertEquals(0, ProcessSlot.claimUnlessHeld(buffer, SLOT), "but no live process holds it");
        assertThrows(IllegalArgumentException.class, () -> ProcessSlot.releaseAs(buffer, SLOT, 5));
    }

    @Test
    void aSlotIsTakenInAGivenStateOfItsLayoutWhateverItsHoldersLiveness()
    {
        final int stateOffset = ProcessSlotDescriptor.LENGTH;
        final ProcessIdentity self = ProcessIdentity.current();
        put(self.pid(), self.startTime() - 1);
        buffer.putIntVolatile(SLOT + stateOffset, 1);
        assertFalse(ProcessSlot.takeOverInState(buffer, SLOT, stateOffset, 2), "not in the state asked for");
        assertEquals(self.startTime() - 1, buffer.getLongVolatile(SLOT + START_TIME_OFFSET), "nothing changed");
        buffer.putIntVolatile(SLOT + stateOffset, 2);
        assertTrue(ProcessSlot.takeOverInState(buffer, SLOT, stateOffset, 2));
        assertTrue(ProcessSlot.isHeldByThisProcess(buffer, SLOT));
        ProcessSlot.release(buffer, SLOT);
    }

    @Test
    void everyStateAKilledHolderOrTakerLeavesIsTakenByTheNext() throws Exception
    {
        final ProcessIdentity dead = deadProcess();
        final long[][] states = {
            {dead.pid(), 0},                    // killed between its pid CAS and writing its start time,
                                                // or a taker killed after clearing the start time
            {dead.pid(), dead.startTime()},     // killed while holding
        };
        for (final long[] state : states)
        {
            for (int way = 0; way < 3; way++)
            {
                put(state[0], state[1]);
                assertTrue(ProcessSlot.isProvenDead(buffer, SLOT, state[0]));
                assertNull(ProcessSlot.liveHolder(buffer, SLOT));
                switch (way)
                {
                    case 0 -> assertEquals(0, ProcessSlot.claimUnlessHeld(buffer, SLOT));
                    case 1 -> assertTrue(ProcessSlot.takeOverFromDead(buffer, SLOT));
                    default ->
                    {
                        assertTrue(ProcessSlot.freeIfDead(buffer, SLOT));
                        assertEquals(0, buffer.getLongVolatile(SLOT + START_TIME_OFFSET));
                        assertTrue(ProcessSlot.claimIfFree(buffer, SLOT));
                    }
                }
                assertTrue(ProcessSlot.isHeldByThisProcess(buffer, SLOT), "state " + state[0] + "/" + state[1] + " way " + way);
                ProcessSlot.release(buffer, SLOT);
            }
        }
    }

    @Test
    void aReusedPidWithAnotherStartTimeIsDeadAndATakeOverFromAStaleReadFails()
    {
        final ProcessIdentity self = ProcessIdentity.current();
        // The recorded process died and its pid now names a live process: this one.
        put(self.pid(), self.startTime() - 1);
        assertTrue(ProcessSlot.isProvenDead(buffer, SLOT, self.pid()));
        assertTrue(ProcessSlot.takeOverFromDead(buffer, SLOT));
        assertTrue(ProcessSlot.isHeldByThisProcess(buffer, SLOT));
        // A rival that read the dead holder before this takeover must fail.
        assertFalse(ProcessSlot.takeOver(buffer, SLOT, self.pid(), self.startTime() - 1));
        assertTrue(ProcessSlot.isHeldByThisProcess(buffer, SLOT));
        ProcessSlot.release(buffer, SLOT);
    }

    @Test
    void aStoppedHolderIsNeverTakenFromAndAKilledOneIs() throws Exception
    {
        try (JvmProcess holder = racer("hold"))
        {
            holder.awaitOutput(line -> line.equals("holding"), 60, TimeUnit.SECONDS);
            holder.signal("STOP");
            assertEquals(holder.pid(), ProcessSlot.claimUnlessHeld(buffer, SLOT));
            assertFalse(ProcessSlot.takeOverFromDead(buffer, SLOT));
            assertFalse(ProcessSlot.freeIfDead(buffer, SLOT));
            assertEquals(holder.identity(), ProcessSlot.liveHolder(buffer, SLOT));
            holder.killAndWait();
            assertEquals(0, ProcessSlot.claimUnlessHeld(buffer, SLOT));
            assertTrue(ProcessSlot.isHeldByThisProcess(buffer, SLOT));
        }
    }

    @Test
    void eightProcessesRacingForOneSlotNeverHoldItTogetherWhileSomeAreKilled() throws Exception
    {
        final List<JvmProcess> racers = new ArrayList<>();
        try
        {
            for (int i = 0; i < RACERS; i++)
            {
                racers.add(racer("race", Long.toString(RACE_MILLIS)));
            }
            for (final JvmProcess racer : racers)
            {
                racer.awaitOutput(line -> line.equals("racing"), 60, TimeUnit.SECONDS);
            }
            // Two are killed mid-race, most likely while they hold the slot or are taking it.
            racers.get(0).kill();
            racers.get(1).kill();
            long claims = 0;
            for (int i = 2; i < RACERS; i++)
            {
                final JvmProcess racer = racers.get(i);
                assertEquals(0, racer.join(120, TimeUnit.SECONDS), racer.output());
                final String last = racer.lines().get(racer.lines().size() - 1);
                assertTrue(last.endsWith(" together 0"), "never held together: " + racer.output());
                claims += Long.parseLong(last.split(" ")[1]);
            }
            assertTrue(claims > RACERS, "the racers took turns: " + claims);
            assertEquals(0, ProcessSlot.claimUnlessHeld(buffer, SLOT), "free, or left by a dead racer");
        }
        finally
        {
            racers.forEach(JvmProcess::close);
        }
    }

    private void put(final long pid, final long startTime)
    {
        buffer.putLongVolatile(SLOT + PID_OFFSET, pid);
        buffer.putLongVolatile(SLOT + START_TIME_OFFSET, startTime);
    }

    private static ProcessIdentity deadProcess() throws Exception
    {
        try (JvmProcess child = JvmProcess.start(ProcessTest.Sleeper.class))
        {
            child.awaitOutput(line -> line.equals("tick"), 60, TimeUnit.SECONDS);
            final ProcessIdentity identity = child.identity();
            child.killAndWait();
            return identity;
        }
    }

    private JvmProcess racer(final String... args)
    {
        final List<String> all = new ArrayList<>(List.of(segments.directory().toString(), name));
        all.addAll(List.of(args));
        return JvmProcess.builder(Racer.class).args(all.toArray(String[]::new)).captureOutput().start();
    }

    /**
     * {@code main(directory, segment, "hold")} takes the slot and hangs; {@code main(directory,
     * segment, "race", millis)} takes and gives back the slot for that long, checking through the
     * occupant word that nobody else holds it at the same time.
     */
    public static final class Racer
    {
        public static void main(final String[] args) throws Exception
        {
            try (Segment segment = Segment.open(args[1], SegmentOptions.defaults().withDirectory(Path.of(args[0]))))
            {
                final AtomicBuffer buffer = LongArray.openOrCreate(segment, "slot", 3).object().buffer();
                if (args[2].equals("hold"))
                {
                    assertEquals(0, ProcessSlot.claimUnlessHeld(buffer, SLOT));
                    System.out.println("holding");
                    Thread.sleep(Long.MAX_VALUE);
                }
                race(buffer, Long.parseLong(args[3]));
            }
        }

        private static void race(final AtomicBuffer buffer, final long millis)
        {
            final long self = ProcessIdentity.current().pid();
            long claims = 0;
            long together = 0;
            System.out.println("racing");
            final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (System.nanoTime() - end < 0)
            {
                if (ProcessSlot.claimUnlessHeld(buffer, SLOT) != 0)
                {
                    Thread.onSpinWait();
                    continue;
                }
                claims++;
                final long occupant = buffer.getLongVolatile(OCCUPANT);
                // A racer killed while holding leaves its pid: that one must be dead.
                if ((occupant != 0 && ProcessIdentity.isAlive(occupant, 0)) ||
                    !buffer.compareAndSetLong(OCCUPANT, occupant, self))
                {
                    together++;
                }
                for (int i = 0; i < 100; i++)
                {
                    Thread.onSpinWait();
                }
                if (!buffer.compareAndSetLong(OCCUPANT, self, 0))
                {
                    together++;
                }
                ProcessSlot.release(buffer, SLOT);
            }
            System.out.println("claims " + claims + " together " + together);
        }
    }
}
