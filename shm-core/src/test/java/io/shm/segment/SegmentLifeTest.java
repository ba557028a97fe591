package io.shm.segment;

import io.shm.channel.Pipe;
import io.shm.exceptions.SegmentFullException;
import io.shm.exceptions.UnknownObjectException;
import io.shm.process.JvmProcess;
import io.shm.test.ChildArgs;
import io.shm.test.TestSegments;
import io.shm.value.IntValue;
import io.shm.value.LongArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The life of objects in a segment: deletion, reuse of space and directory entries, objects still
 * mapped elsewhere, and segments that grow.
 */
@Timeout(180)
class SegmentLifeTest
{
    private final TestSegments segments = new TestSegments();

    @AfterEach
    void removeSegments()
    {
        segments.close();
    }

    @Test
    void aDeletedObjectsNameAndSpaceAndEntryAreReused()
    {
        try (Segment segment = Segment.create(segments.name("reuse"), segments.options().withDirectoryCapacity(16)))
        {
            final long freeAtStart = segment.space().freeAtEnd();
            final LongArray first = LongArray.openOrCreate(segment, "a", 512);
            first.set(0, 42);
            final Segment.Deletion deletion = segment.delete("a");
            assertTrue(deletion.freed(), deletion.toString());
            assertTrue(deletion.mappedBy().isEmpty());
            assertEquals(64 + 512 * 8, deletion.bytes());
            assertThrows(IllegalStateException.class, () -> first.get(0), "this process's view is closed");
            assertFalse(segment.contains("a"));
            assertThrows(UnknownObjectException.class, () -> segment.delete("a"));
            for (int round = 0; round < 1_000; round++)
            {
                final LongArray again = LongArray.openOrCreate(segment, "a" + round % 7, 512);
                assertEquals(0, again.get(0), "a new object in reused space starts zeroed");
                again.set(0, round);
                segment.delete("a" + round % 7);
            }
            assertEquals(freeAtStart, segment.space().freeAtEnd(), "1000 objects in 16 entries, each in the space the one before left");
            assertEquals(0, segment.objects().size());
        }
    }

    @Test
    void anObjectMappedByAnotherProcessIsNotFreedUnderIt() throws Exception
    {
        final String name = segments.name("mapped");
        try (Segment segment = Segment.create(name, segments.options()))
        {
            final IntValue go = IntValue.openOrCreate(segment, "go");
            LongArray.openOrCreate(segment, "a", 1024);
            try (JvmProcess holder = child(Hold.class, name))
            {
                holder.awaitOutput(line -> line.equals("holding"), 60, TimeUnit.SECONDS);
                final Segment.Deletion deletion = segment.delete("a");
                assertFalse(deletion.freed(), deletion.toString());
                assertEquals(List.of(holder.pid()), deletion.mappedBy().stream().map(p -> p.pid()).toList());
                assertEquals(1, segment.space().deletedStillMapped().size(), segment.space().toString());
                final long before = segment.space().freeAtEnd();
                final LongArray other = LongArray.openOrCreate(segment, "b", 1024);
                other.set(1023, -1);
                assertTrue(segment.space().freeAtEnd() < before, "b took new space, not a's");
                go.set(1);
                assertEquals(0, holder.join(60, TimeUnit.SECONDS), holder.output());
                assertTrue(holder.output().contains("a still reads 7 everywhere"), holder.output());
            }
            // The holder closed its segment and exited: the next create reclaims a's space.
            final long free = segment.space().freeAtEnd();
            LongArray.openOrCreate(segment, "c", 1024);
            assertEquals(free, segment.space().freeAtEnd(), "c took a's space");
            assertTrue(segment.space().deletedStillMapped().isEmpty());
        }
    }

    @Test
    void aNameDeletedAndMadeAgainElsewhereMeansTheNewObjectHereToo() throws Exception
    {
        final String name = segments.name("again");
        try (Segment segment = Segment.create(name, segments.options());
             Segment other = Segment.open(name, segments.options()))
        {
            final LongArray mine = LongArray.openOrCreate(segment, "a", 8);
            mine.set(0, 1);
            other.delete("a");
            LongArray.openOrCreate(other, "a", 8).set(0, 2);
            assertEquals(1, mine.get(0), "a view of the deleted object keeps working until its segment closes");
            assertEquals(2, LongArray.openOrCreate(segment, "a", 8).get(0), "the name now means the new object");
            assertEquals(1, segment.space().deletedStillMapped().size(), segment.space().toString());
        }
    }

    @Test
    void aKilledHoldersMappingNoLongerKeepsTheSpace() throws Exception
    {
        final String name = segments.name("killed");
        try (Segment segment = Segment.create(name, segments.options()))
        {
            IntValue.openOrCreate(segment, "go");
            LongArray.openOrCreate(segment, "a", 1024);
            try (JvmProcess holder = child(Hold.class, name))
            {
                holder.awaitOutput(line -> line.equals("holding"), 60, TimeUnit.SECONDS);
                holder.killAndWait();
            }
            assertTrue(segment.delete("a").freed(), "a holder proven dead holds nothing");
        }
    }

    @Test
    void deletingAnObjectDeletesItsCompanions()
    {
        try (Segment segment = Segment.create(segments.name("companions"), segments.options()))
        {
            Pipe.connect(segment, "p", Pipe.End.FIRST);
            LongArray.openOrCreate(segment, "p.other", 4);
            assertTrue(segment.contains("p.1to2") && segment.contains("p.2to1"));
            segment.delete("p");
            assertEquals(List.of("p.other"), segment.objects().stream().map(Segment.ObjectInfo::name).toList());
        }
    }

    @Test
    void aSegmentGrowsWhileOtherProcessesUseItsObjects() throws Exception
    {
        final String name = segments.name("grows");
        final SegmentOptions options = segments.options().withSize(256 * 1024).withMaxSize(64L << 20);
        try (Segment segment = Segment.create(name, options))
        {
            final IntValue go = IntValue.openOrCreate(segment, "go");
            final LongArray first = LongArray.openOrCreate(segment, "a", 1024);
            final List<JvmProcess> holders = new ArrayList<>();
            for (int i = 0; i < 3; i++)
            {
                holders.add(child(Hold.class, name));
            }
            try
            {
                for (final JvmProcess holder : holders)
                {
                    holder.awaitOutput(line -> line.equals("holding"), 60, TimeUnit.SECONDS);
                }
                for (int i = 0; i < 20; i++)
                {
                    LongArray.openOrCreate(segment, "big" + i, 128 * 1024).set(128 * 1024 - 1, i);
                }
                assertTrue(segment.size() > 20L << 20, "grew to " + segment.size());
                assertEquals(7, first.get(1023), "what was mapped stays where it was");
                go.set(1);
                for (final JvmProcess holder : holders)
                {
                    assertEquals(0, holder.join(60, TimeUnit.SECONDS), holder.output());
                    assertTrue(holder.output().contains("big19 reads 19"), holder.output());
                }
            }
            finally
            {
                go.set(1);
                for (final JvmProcess holder : holders)
                {
                    holder.close();
                }
            }
            final SegmentFullException full = assertThrows(SegmentFullException.class,
                () -> LongArray.openOrCreate(segment, "huge", 8L << 20));
            assertTrue(full.getMessage().contains("may grow only to " + (64L << 20)) &&
                full.getMessage().contains("withMaxSize"), full.getMessage());
        }
        try (Segment reopened = Segment.open(name, options))
        {
            assertEquals(19, LongArray.open(reopened, "big19").get(128 * 1024 - 1));
        }
    }

    @Test
    void anotherProcessFollowsAGrownDirectory() throws Exception
    {
        final String name = segments.name("blocks");
        try (Segment segment = Segment.create(name, segments.options().withDirectoryCapacity(2)))
        {
            for (int i = 0; i < 50; i++)
            {
                IntValue.openOrCreate(segment, "v" + i, i);
            }
            try (JvmProcess child = child(ReadAndDelete.class, name))
            {
                assertEquals(0, child.join(60, TimeUnit.SECONDS), child.output());
                assertTrue(child.output().contains("v49 = 49"), child.output());
            }
            assertFalse(segment.contains("v10"));
            assertEquals(0, IntValue.openOrCreate(segment, "v10").get(), "made again, new");
        }
    }

    @Test
    void aFullSegmentThatMayNotGrowSaysHowToMakeRoom()
    {
        try (Segment segment = Segment.create(segments.name("full"), segments.options().withSize(64 * 1024)))
        {
            final SegmentFullException full = assertThrows(SegmentFullException.class,
                () -> LongArray.openOrCreate(segment, "a", 64 * 1024));
            assertTrue(full.getMessage().contains("withSize") && full.getMessage().contains("withMaxSize"), full.getMessage());
        }
    }

    @Test
    void churnOfRandomSizesKeepsFragmentationBounded()
    {
        try (Segment segment = Segment.create(segments.name("churn"), segments.options().withSize(8L << 20)))
        {
            final SplittableRandom random = new SplittableRandom(3);
            final List<String> live = new ArrayList<>();
            for (int round = 0; round < 5_000; round++)
            {
                if (live.size() < 100 && (live.isEmpty() || random.nextBoolean()))
                {
                    final String name = "o" + round;
                    LongArray.openOrCreate(segment, name, random.nextInt(1, 2_000));
                    live.add(name);
                }
                else
                {
                    segment.delete(live.remove(random.nextInt(live.size())));
                }
            }
            final Segment.Space space = segment.space();
            // At most 100 live objects of at most 16 KiB: 1.6 MiB live; the rest of 8 MiB must stay usable.
            assertTrue(space.freeAtEnd() + space.freeInHoles() > 6L << 20, space.toString());
            System.out.printf("churn of 5000 creates and deletes: %d holes, %d bytes in them, largest %d, " +
                "%d free at the end, fragmentation %.2f%n", space.holes(), space.freeInHoles(), space.largestHole(),
                space.freeAtEnd(), space.fragmentation());
        }
    }

    private JvmProcess child(final Class<?> scenario, final String name)
    {
        return ChildArgs.child(scenario, segments, name).jvmArgs("-XX:TieredStopAtLevel=1").start();
    }

    /**
     * Child: reads "v49", in a directory block the parent made, and deletes "v10".
     */
    public static final class ReadAndDelete
    {
        public static void main(final String[] args)
        {
            try (ChildArgs child = ChildArgs.open(args))
            {
                System.out.println("v49 = " + IntValue.open(child.segment(), "v49").get());
                child.segment().delete("v10");
            }
        }
    }

    /**
     * Child: maps "a", writes 7 in it, says so, and waits for "go"; then checks "a" still reads 7
     * (and "big19" reads 19 if it exists).
     */
    public static final class Hold
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.open(args))
            {
                final Segment segment = child.segment();
                final LongArray a = LongArray.open(segment, "a");
                final IntValue go = IntValue.open(segment, "go");
                final long[] sevens = new long[a.toArray().length];
                Arrays.fill(sevens, 7);
                a.set(sevens);
                System.out.println("holding");
                while (go.get() == 0)
                {
                    Thread.onSpinWait();
                }
                if (Arrays.stream(a.toArray()).anyMatch(value -> value != 7))
                {
                    throw new IllegalStateException("a changed under this process: " + Arrays.toString(a.toArray()));
                }
                System.out.println("a still reads 7 everywhere");
                if (segment.contains("big19"))
                {
                    System.out.println("big19 reads " + LongArray.open(segment, "big19").get(128 * 1024 - 1));
                }
            }
        }
    }
}
