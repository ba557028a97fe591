package io.shm.segment;

import io.shm.exceptions.ReservationTimeoutException;
import io.shm.process.JvmProcess;
import io.shm.test.Await;
import io.shm.test.CoreChild;
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
        try (JvmProcess child = JvmProcess.start(CoreChild.class, "write", dir(), name))
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
            assertArrayEquals(CoreChild.BYTES, BytesValue.open(segment, "bytes").getBytes());
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
                children.add(JvmProcess.builder(CoreChild.class)
                    .jvmArgs("-XX:TieredStopAtLevel=1", "-Xshare:auto")
                    .args("race", dir(), name, Integer.toString(i), go.toString()).captureOutput().start());
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
        try (JvmProcess child = JvmProcess.start(CoreChild.class, "reserve-and-hang", dir(), name, "contested");
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
        try (JvmProcess child = JvmProcess.start(CoreChild.class, "reserve-and-hang", dir(), name, "contested");
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
        try (JvmProcess child = JvmProcess.builder(CoreChild.class).withoutRequiredFlags()
            .args("open", dir(), name).captureOutput().start())
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
}
