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
import io.shm.value.DoubleValue;
import io.shm.value.LongArray;
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
            IntValue.openOrCreate(segment, "kept", 7);
            assertThrows(SegmentExistsException.class, () -> Segment.create(name, segments.options()));
            try (Segment again = Segment.open(name, segments.options()))
            {
                assertEquals(7, IntValue.open(again, "kept").get());
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
            LongValue.openOrCreate(first, "shared", 5).incrementAndGet();
            assertEquals(6, LongValue.openOrCreate(second, "shared").get());
        }
    }

    @Test
    void existsAndUnlinkFollowTheFile()
    {
        final String name = segments.name("unlink");
        assertFalse(Segment.exists(name, segments.options()));
        try (Segment segment = Segment.create(name, segments.options()))
        {
            final LongValue value = LongValue.openOrCreate(segment, "v", 1);
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
            IntValue.openOrCreate(segment, "a");
            DoubleArray.openOrCreate(segment, "b", 10);
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
            final IntValue created = IntValue.openOrCreate(one, "x", 41);
            assertTrue(created.object().created());
            created.incrementAndGet();
            final IntValue opened = IntValue.openOrCreate(two, "x", 1000);
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
            IntValue.openOrCreate(one, "hits");
            final TypeMismatchException ex = assertThrows(TypeMismatchException.class, () -> DoubleValue.openOrCreate(two, "hits"));
            assertTrue(ex.getMessage().contains("IntValue") && ex.getMessage().contains("DoubleValue") &&
                ex.getMessage().contains("'hits'") && ex.getMessage().contains(name), ex.getMessage());
            assertThrows(TypeMismatchException.class, () -> LongValue.open(one, "hits"));
        }
    }

    @Test
    void openingWithAnotherLengthNamesBothLengths()
    {
        final String name = segments.name("len");
        try (Segment one = Segment.create(name, segments.options()); Segment two = Segment.open(name, segments.options()))
        {
            DoubleArray.openOrCreate(one, "buf", 100);
            final LengthMismatchException ex = assertThrows(LengthMismatchException.class, () -> DoubleArray.openOrCreate(two, "buf", 99));
            assertTrue(ex.getMessage().contains("100") && ex.getMessage().contains("99"), ex.getMessage());
            assertEquals(100, DoubleArray.open(two, "buf").length());
        }
    }

    @Test
    void openingAnUnknownObjectNamesIt()
    {
        try (Segment segment = Segment.create(segments.name("unknown"), segments.options()))
        {
            IntValue.openOrCreate(segment, "known");
            final UnknownObjectException ex = assertThrows(UnknownObjectException.class,
                () -> IntArray.open(segment, "nope"));
            assertTrue(ex.getMessage().contains("'nope'"), ex.getMessage());
        }
    }

    @Test
    void fullDataAreaFailsAtCreateAndKeepsExistingObjects()
    {
        try (Segment segment = Segment.create(segments.name("full"), segments.options().withSize(256 * 1024)))
        {
            final IntValue kept = IntValue.openOrCreate(segment, "kept", 9);
            final SegmentFullException ex = assertThrows(SegmentFullException.class,
                () -> LongArray.openOrCreate(segment, "huge", 1_000_000));
            assertTrue(ex.getMessage().contains("'huge'"), ex.getMessage());
            assertEquals(9, kept.get());
            IntValue.openOrCreate(segment, "afterwards", 3);
            assertEquals(List.of("kept", "afterwards"), segment.objects().stream().map(Segment.ObjectInfo::name).toList());
        }
    }

    @Test
    void aFullDirectoryGrowsAndOtherProcessesFollowIt()
    {
        final String name = segments.name("dir");
        try (Segment segment = Segment.create(name, segments.options().withDirectoryCapacity(2));
             Segment other = Segment.open(name, segments.options()))
        {
            for (int i = 0; i < 100; i++)
            {
                IntValue.openOrCreate(segment, "v" + i, i);
            }
            assertEquals(100, other.objects().size());
            assertEquals(99, IntValue.open(other, "v99").get());
            assertEquals(98, IntValue.open(other, "v98").get());
            final Segment.Deletion deletion = segment.delete("v98");
            assertFalse(deletion.freed(), "not while this process also maps it through another segment");
            other.closeObject("v98");
            IntValue.openOrCreate(segment, "again");
            assertTrue(segment.space().deletedStillMapped().isEmpty(), segment.space().toString());
            assertEquals(0, IntValue.openOrCreate(segment, "v0").get());
        }
        try (Segment reopened = Segment.open(name, segments.options()))
        {
            assertEquals(100, reopened.objects().size());
            assertEquals(97, IntValue.open(reopened, "v97").get());
        }
    }

    @Test
    void aFullDirectoryThatCannotGrowSaysSo()
    {
        try (Segment segment = Segment.create(segments.name("dirfull"),
            segments.options().withDirectoryCapacity(2).withSize(SegmentDescriptor.dataOffset(2) + 4096)))
        {
            IntValue.openOrCreate(segment, "a");
            IntValue.openOrCreate(segment, "b");
            final SegmentFullException full = assertThrows(SegmentFullException.class, () ->
            {
                for (int i = 0; ; i++)
                {
                    IntValue.openOrCreate(segment, "c" + i);
                }
            });
            assertTrue(full.getMessage().contains("directory") && full.getMessage().contains("cannot grow"), full.getMessage());
            assertEquals(0, IntValue.openOrCreate(segment, "a").get());
        }
    }

    @Test
    void useAfterCloseThrowsIllegalState()
    {
        final Segment segment = Segment.create(segments.name("closed"), segments.options());
        final IntValue value = IntValue.openOrCreate(segment, "v");
        final DoubleArray array = DoubleArray.openOrCreate(segment, "a", 4);
        segment.close();
        segment.close();
        assertTrue(segment.isClosed());
        assertThrows(IllegalStateException.class, value::get);
        assertThrows(IllegalStateException.class, () -> value.set(1));
        assertThrows(IllegalStateException.class, () -> array.get(0));
        assertThrows(IllegalStateException.class, () -> array.toArray());
        assertThrows(IllegalStateException.class, () -> IntValue.openOrCreate(segment, "w"));
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
