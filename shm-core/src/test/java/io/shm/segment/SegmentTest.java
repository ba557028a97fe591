package io.shm.segment;

import io.shm.exceptions.LengthMismatchException;
import io.shm.exceptions.SegmentExistsException;
import io.shm.exceptions.SegmentFullException;
import io.shm.exceptions.SegmentNotFoundException;
import io.shm.exceptions.TypeMismatchException;
import io.shm.exceptions.UnknownObjectException;
import io.shm.process.ProcessIdentity;
import io.shm.test.TestSegments;
import io.shm.value.DoubleArray;
import io.shm.value.IntArray;
import io.shm.value.IntValue;
import io.shm.value.LongValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(60)
class SegmentTest
{
    private final TestSegments segments = new TestSegments();

    @AfterEach
    void removeSegments()
    {
        segments.close();
    }

    @Test
    void createdSegmentIsOwnerOnlyAndRecordsItsCreator() throws Exception
    {
        final String name = segments.name("perm");
        try (Segment segment = Segment.create(name, segments.options()))
        {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(segment.path())));
            assertEquals(ProcessIdentity.current(), segment.creator());
            assertEquals(SegmentOptions.DEFAULT_SIZE, segment.size());
            assertEquals(SegmentOptions.DEFAULT_SIZE, Files.size(segment.path()));
        }
    }

    @Test
    void permissionsCanBeWidenedOnRequest() throws Exception
    {
        final String name = segments.name("perm");
        try (Segment segment = Segment.create(name, segments.options().withPermissions("rw-rw-r--")))
        {
            assertEquals("rw-rw-r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(segment.path())));
        }
    }

    @Test
    void createLeavesNoTemporaryFileBehind() throws Exception
    {
        final String name = segments.name("tmp");
        Segment.create(name, segments.options()).close();
        try (var files = Files.list(segments.directory()))
        {
            assertEquals(List.of(name), files.map(path -> path.getFileName().toString()).toList());
        }
    }

    @Test
    void createOfAnExistingNameFailsAndKeepsTheExistingSegment()
    {
        final String name = segments.name("dup");
        try (Segment segment = Segment.create(name, segments.options()))
        {
            segment.intValue("kept", 7);
            assertThrows(SegmentExistsException.class, () -> Segment.create(name, segments.options()));
            try (Segment again = Segment.open(name, segments.options()))
            {
                assertEquals(7, again.open("kept", IntValue.class).get());
            }
        }
    }

    @Test
    void openOfAMissingSegmentNamesIt()
    {
        final SegmentNotFoundException ex = assertThrows(SegmentNotFoundException.class,
            () -> Segment.open("missing", segments.options()));
        assertTrue(ex.getMessage().contains("'missing'"), ex.getMessage());
    }

    @Test
    void openOrCreateCreatesThenOpens()
    {
        final String name = segments.name("ooc");
        try (Segment first = Segment.openOrCreate(name, segments.options());
            Segment second = Segment.openOrCreate(name, segments.options()))
        {
            first.longValue("shared", 5).incrementAndGet();
            assertEquals(6, second.longValue("shared").get());
        }
    }

    @Test
    void existsAndUnlinkFollowTheFile()
    {
        final String name = segments.name("unlink");
        assertFalse(Segment.exists(name, segments.options()));
        try (Segment segment = Segment.create(name, segments.options()))
        {
            final LongValue value = segment.longValue("v", 1);
            assertTrue(Segment.exists(name, segments.options()));
            assertTrue(Segment.unlink(name, segments.options()));
            assertFalse(Segment.exists(name, segments.options()));
            value.incrementAndGet();
            assertEquals(2, value.get(), "a segment still mapped stays usable after unlink");
        }
        assertFalse(Segment.unlink(name, segments.options()));
    }

    @Test
    void objectsAreListedInCreationOrder()
    {
        try (Segment segment = Segment.create(segments.name("list"), segments.options()))
        {
            segment.intValue("a");
            segment.doubleArray("b", 10);
            final List<Segment.ObjectInfo> objects = segment.objects();
            assertEquals(List.of("a", "b"), objects.stream().map(Segment.ObjectInfo::name).toList());
            assertEquals(IntValue.TYPE.id(), objects.get(0).typeId());
            assertEquals(10, objects.get(1).length());
            assertEquals(0, objects.get(0).offset() % SegmentDescriptor.OBJECT_ALIGNMENT);
            assertTrue(segment.contains("b"));
            assertFalse(segment.contains("c"));
        }
    }

    @Test
    void secondCreateOfAnObjectOpensItWithoutReinitialising()
    {
        final String name = segments.name("init");
        try (Segment one = Segment.create(name, segments.options()); Segment two = Segment.open(name, segments.options()))
        {
            final IntValue created = one.intValue("x", 41);
            assertTrue(created.object().created());
            created.incrementAndGet();
            final IntValue opened = two.intValue("x", 1000);
            assertFalse(opened.object().created());
            assertEquals(42, opened.get());
        }
    }

    @Test
    void openingAsAnotherTypeNamesBothTypes()
    {
        final String name = segments.name("type");
        try (Segment one = Segment.create(name, segments.options()); Segment two = Segment.open(name, segments.options()))
        {
            one.intValue("hits");
            final TypeMismatchException ex = assertThrows(TypeMismatchException.class, () -> two.doubleValue("hits"));
            assertTrue(ex.getMessage().contains("IntValue") && ex.getMessage().contains("DoubleValue") &&
                ex.getMessage().contains("'hits'") && ex.getMessage().contains(name), ex.getMessage());
            assertThrows(TypeMismatchException.class, () -> one.open("hits", LongValue.class));
        }
    }

    @Test
    void openingWithAnotherLengthNamesBothLengths()
    {
        final String name = segments.name("len");
        try (Segment one = Segment.create(name, segments.options()); Segment two = Segment.open(name, segments.options()))
        {
            one.doubleArray("buf", 100);
            final LengthMismatchException ex = assertThrows(LengthMismatchException.class, () -> two.doubleArray("buf", 99));
            assertTrue(ex.getMessage().contains("100") && ex.getMessage().contains("99"), ex.getMessage());
            assertEquals(100, two.open("buf", DoubleArray.class).length());
        }
    }

    @Test
    void openingAnUnknownObjectNamesIt()
    {
        try (Segment segment = Segment.create(segments.name("unknown"), segments.options()))
        {
            segment.intValue("known");
            final UnknownObjectException ex = assertThrows(UnknownObjectException.class,
                () -> segment.open("nope", IntArray.class));
            assertTrue(ex.getMessage().contains("'nope'"), ex.getMessage());
        }
    }

    @Test
    void fullDataAreaFailsAtCreateAndKeepsExistingObjects()
    {
        try (Segment segment = Segment.create(segments.name("full"), segments.options().withSize(256 * 1024)))
        {
            final IntValue kept = segment.intValue("kept", 9);
            final SegmentFullException ex = assertThrows(SegmentFullException.class,
                () -> segment.longArray("huge", 1_000_000));
            assertTrue(ex.getMessage().contains("'huge'"), ex.getMessage());
            assertEquals(9, kept.get());
            segment.intValue("afterwards", 3);
            assertEquals(List.of("kept", "afterwards"), segment.objects().stream().map(Segment.ObjectInfo::name).toList());
        }
    }

    @Test
    void fullDirectoryFailsAtCreate()
    {
        try (Segment segment = Segment.create(segments.name("dir"), segments.options().withDirectoryCapacity(2)))
        {
            segment.intValue("a");
            segment.intValue("b");
            assertThrows(SegmentFullException.class, () -> segment.intValue("c"));
            assertEquals(0, segment.intValue("a").get());
        }
    }

    @Test
    void useAfterCloseThrowsIllegalState()
    {
        final Segment segment = Segment.create(segments.name("closed"), segments.options());
        final IntValue value = segment.intValue("v");
        final DoubleArray array = segment.doubleArray("a", 4);
        segment.close();
        segment.close();
        assertTrue(segment.isClosed());
        assertThrows(IllegalStateException.class, value::get);
        assertThrows(IllegalStateException.class, () -> value.set(1));
        assertThrows(IllegalStateException.class, () -> array.get(0));
        assertThrows(IllegalStateException.class, () -> array.toArray());
        assertThrows(IllegalStateException.class, () -> segment.intValue("w"));
        assertThrows(IllegalStateException.class, segment::objects);
    }

    @Test
    void optionsRefuseImpossibleValues()
    {
        final SegmentOptions options = segments.options();
        assertThrows(IllegalArgumentException.class, () -> options.withSize(100));
        assertThrows(IllegalArgumentException.class, () -> options.withDirectoryCapacity(0));
        assertThrows(IllegalArgumentException.class, () -> options.withPermissions("r--------"));
        assertThrows(IllegalArgumentException.class, () -> options.withReservationTimeout(java.time.Duration.ofSeconds(-1)));
    }
}
