package io.shm.segment;

import io.shm.exceptions.ReservationTimeoutException;
import io.shm.exceptions.TypeMismatchException;
import io.shm.process.JvmProcess;
import io.shm.process.ProcessIdentity;
import io.shm.test.Await;
import io.shm.test.ChildArgs;
import io.shm.test.TestSegments;
import io.shm.value.BytesValue;
import io.shm.value.DoubleArray;
import io.shm.value.DoubleValue;
import io.shm.value.IntArray;
import io.shm.value.IntValue;
import io.shm.value.LongValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Segments shared by real, separate JVMs.
 */
@Timeout(180)
class CrossProcessSegmentTest
{
    private static final int RACERS = 8;

    private final TestSegments segments = new TestSegments();

    @AfterEach
    void removeSegments()
    {
        segments.close();
    }

    @Test
    void valuesWrittenByAChildAreReadByTheParent() throws Exception
    {
        final String name = segments.name("written");
        try (JvmProcess child = JvmProcess.start(Write.class, dir(), name))
        {
            assertEquals(0, child.join(60, TimeUnit.SECONDS), child.output());
        }
        try (Segment segment = Segment.open(name, segments.options()))
        {
            assertEquals(42, IntValue.open(segment, "int").get());
            assertEquals(Long.MIN_VALUE + 7, LongValue.open(segment, "long").get());
            assertEquals(3.14, DoubleValue.open(segment, "double").get());
            assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, IntArray.open(segment, "range").toArray());
            assertEquals(2.5, DoubleArray.open(segment, "doubles").get(999));
            assertArrayEquals(BYTES, BytesValue.open(segment, "bytes").getBytes());
            assertNotEquals(ProcessHandle.current().pid(), segment.creator().pid());
        }
    }

    @Test
    void eightJvmsRacingToCreateAgreeOnOneSegmentAndOneObjectEach() throws Exception
    {
        final String name = segments.name("race");
        final Path go = segments.directory().resolve("go");
        final List<JvmProcess> children = new ArrayList<>();
        try
        {
            for (int i = 0; i < RACERS; i++)
            {
                children.add(JvmProcess.builder(Race.class)
                    .jvmArgs("-XX:TieredStopAtLevel=1", "-Xshare:auto")
                    .args(dir(), name, Integer.toString(i), go.toString()).captureOutput().start());
            }
            for (final JvmProcess child : children)
            {
                child.awaitOutput(line -> line.startsWith("ready"), 60, TimeUnit.SECONDS);
            }
            Files.createFile(go);
            int segmentCreators = 0;
            int counterCreators = 0;
            int arrayCreators = 0;
            int mismatches = 0;
            for (final JvmProcess child : children)
            {
                assertEquals(0, child.join(60, TimeUnit.SECONDS), child.output());
                final String line = child.awaitOutput(l -> l.startsWith("segmentCreated="), 1, TimeUnit.SECONDS);
                segmentCreators += line.contains("segmentCreated=true") ? 1 : 0;
                counterCreators += line.contains("counterCreated=true") ? 1 : 0;
                arrayCreators += line.contains("arrayCreated=true") ? 1 : 0;
                if (line.contains("conflict=mismatch"))
                {
                    mismatches++;
                    assertTrue(line.contains("'conflict'") && line.contains("IntValue") && line.contains("DoubleValue"), line);
                }
            }
            assertEquals(1, segmentCreators, "exactly one JVM creates the segment");
            assertEquals(1, counterCreators, "exactly one JVM creates the counter");
            assertEquals(1, arrayCreators, "exactly one JVM creates the array");
            assertEquals(RACERS / 2, mismatches, "the JVMs asking for the other type fail clearly");
            try (Segment segment = Segment.open(name, segments.options()))
            {
                assertEquals(RACERS, LongValue.open(segment, "counter").get(), "all increments hit one object");
                final IntArray array = IntArray.open(segment, "array");
                for (int i = 0; i < RACERS; i++)
                {
                    assertEquals(1, array.get(i));
                }
                assertEquals(3, segment.objects().size());
            }
        }
        finally
        {
            children.forEach(JvmProcess::close);
        }
    }

    @Test
    void entryReservedByAKilledCreatorIsRecoveredWithinTheBound() throws Exception
    {
        final String name = segments.name("killed");
        Segment.create(name, segments.options()).close();
        final Duration bound = Await.scaled(Duration.ofSeconds(20));
        try (JvmProcess child = JvmProcess.start(ReserveAndHang.class, dir(), name, "contested");
            Segment segment = Segment.open(name, segments.options().withReservationTimeout(bound)))
        {
            child.awaitOutput(line -> line.equals("reserved contested"), 60, TimeUnit.SECONDS);
            child.killAndWait();
            final long start = System.nanoTime();
            final IntValue value = IntValue.openOrCreate(segment, "contested", 5);
            final long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(value.object().created(), "this process creates it after recovering the entry");
            assertEquals(5, value.get());
            assertTrue(tookMillis < bound.toMillis(), "recovered in " + tookMillis + " ms");
            assertEquals(1, segment.objects().size());
        }
    }

    @Test
    void entryReservedByAStoppedCreatorTimesOutWithoutBeingStolen() throws Exception
    {
        final String name = segments.name("stopped");
        Segment.create(name, segments.options()).close();
        try (JvmProcess child = JvmProcess.start(ReserveAndHang.class, dir(), name, "contested");
            Segment segment = Segment.open(name, segments.options().withReservationTimeout(Duration.ofMillis(300))))
        {
            child.awaitOutput(line -> line.equals("reserved contested"), 60, TimeUnit.SECONDS);
            child.signal("STOP");
            try
            {
                final ReservationTimeoutException ex = assertThrows(ReservationTimeoutException.class,
                    () -> IntValue.openOrCreate(segment, "contested"));
                assertTrue(ex.getMessage().contains(Long.toString(child.pid())), ex.getMessage());
                assertTrue(segment.objects().isEmpty(), "a live reserver's entry is never taken");
            }
            finally
            {
                child.signal("CONT");
            }
        }
    }

    @Test
    void childWithoutTheRequiredFlagIsToldWhichFlagToAdd() throws Exception
    {
        final String name = segments.name("noflag");
        Segment.create(name, segments.options()).close();
        try (JvmProcess child = JvmProcess.builder(Open.class).withoutRequiredFlags()
            .args(dir(), name).captureOutput().start())
        {
            assertNotEquals(0, child.join(60, TimeUnit.SECONDS));
            assertTrue(child.output().contains("MissingJvmFlagException") &&
                child.output().contains("--add-opens java.base/jdk.internal.misc=ALL-UNNAMED"), child.output());
        }
    }

    private String dir()
    {
        return segments.directory().toString();
    }

    /**
     * Contents of the string a writer child stores: note the NUL, which must survive.
     */
    static final byte[] BYTES = "h\u00e9llo\0world".getBytes(StandardCharsets.UTF_8);

    /**
     * Child: creates the segment and writes one object of each kind: {@code (directory, segment)}.
     */
    public static final class Write
    {
        public static void main(final String[] args) throws Exception
        {
            write(ChildArgs.options(args), args[1]);
        }
    }

    /**
     * Child: waits for a file, then races to create the segment and its objects: {@code (directory, segment, index, goFile)}.
     */
    public static final class Race
    {
        public static void main(final String[] args) throws Exception
        {
            race(ChildArgs.options(args), args[1], Integer.parseInt(args[2]), Path.of(args[3]));
        }
    }

    /**
     * Child: reserves a directory entry for an object and hangs there: {@code (directory, segment, object)}.
     */
    public static final class ReserveAndHang
    {
        public static void main(final String[] args) throws Exception
        {
            reserveAndHang(ChildArgs.options(args), args[1], args[2]);
        }
    }

    /**
     * Child: opens the segment and closes it: {@code (directory, segment)}.
     */
    public static final class Open
    {
        public static void main(final String[] args) throws Exception
        {
            Segment.open(args[1], ChildArgs.options(args)).close();
        }
    }

    private static void write(final SegmentOptions options, final String segmentName)
    {
        try (Segment segment = Segment.create(segmentName, options))
        {
            IntValue.openOrCreate(segment, "int", 42);
            LongValue.openOrCreate(segment, "long", Long.MIN_VALUE + 7);
            DoubleValue.openOrCreate(segment, "double", 3.14);
            IntArray.openOrCreate(segment, "range", new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
            DoubleArray.openOrCreate(segment, "doubles", 1000).set(999, 2.5);
            BytesValue.openOrCreate(segment, "bytes", 64).setBytes(BYTES);
            System.out.println("written");
        }
    }

    private static void race(final SegmentOptions options, final String segmentName, final int index, final Path go)
        throws InterruptedException
    {
        System.out.println("ready " + index);
        while (!Files.exists(go))
        {
            Thread.onSpinWait();
        }
        try (Segment segment = Segment.openOrCreate(segmentName, options))
        {
            final boolean createdSegment = segment.creator().equals(ProcessIdentity.current());
            final LongValue counter = LongValue.openOrCreate(segment, "counter");
            final IntArray array = IntArray.openOrCreate(segment, "array", 100);
            array.incrementAndGet(index);
            counter.incrementAndGet();
            String conflict;
            try
            {
                if (index % 2 == 0)
                {
                    IntValue.openOrCreate(segment, "conflict", index);
                }
                else
                {
                    DoubleValue.openOrCreate(segment, "conflict", index);
                }
                conflict = "ok";
            }
            catch (final TypeMismatchException ex)
            {
                conflict = "mismatch " + ex.getMessage();
            }
            System.out.println("segmentCreated=" + createdSegment + " counterCreated=" + counter.object().created() +
                " arrayCreated=" + array.object().created() + " conflict=" + conflict);
        }
    }

    private static void reserveAndHang(final SegmentOptions options, final String segmentName, final String object)
        throws InterruptedException
    {
        final SegmentOptions hanging = options.withReservationHook(name ->
        {
            System.out.println("reserved " + name);
            System.out.flush();
            try
            {
                Thread.sleep(Long.MAX_VALUE);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        });
        try (Segment segment = Segment.open(segmentName, hanging))
        {
            IntValue.openOrCreate(segment, object, 1);
        }
    }
}
