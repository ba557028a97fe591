package io.shm.segment;

import io.shm.exceptions.CorruptSegmentException;
import io.shm.exceptions.EmptySegmentException;
import io.shm.exceptions.InvalidNameException;
import io.shm.exceptions.NotARegularFileException;
import io.shm.exceptions.NotASegmentException;
import io.shm.exceptions.SymbolicLinkException;
import io.shm.exceptions.TruncatedSegmentException;
import io.shm.exceptions.UnsupportedLayoutVersionException;
import io.shm.test.TestSegments;
import io.shm.value.IntArray;
import io.shm.value.IntValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(60)
class HostileInputTest
{
    private final TestSegments segments = new TestSegments();

    @AfterEach
    void removeSegments()
    {
        segments.close();
    }

    @Test
    void fileNotMadeByUsIsRefusedAsNotASegment() throws Exception
    {
        final String name = segments.name("foreign");
        Files.write(segments.directory().resolve(name), new byte[8192]);
        assertThrows(NotASegmentException.class, () -> Segment.open(name, segments.options()));
        Files.writeString(segments.directory().resolve(name), "#!/bin/sh\necho hello\n");
        assertThrows(NotASegmentException.class, () -> Segment.open(name, segments.options()));
    }

    @Test
    void tinyFileIsRefusedAsNotASegment() throws Exception
    {
        final String name = segments.name("tiny");
        Files.write(segments.directory().resolve(name), new byte[] {1, 2, 3});
        assertThrows(NotASegmentException.class, () -> Segment.open(name, segments.options()));
    }

    @Test
    void zeroLengthFileIsRefusedAsEmpty() throws Exception
    {
        final String name = segments.name("empty");
        Files.createFile(segments.directory().resolve(name));
        final EmptySegmentException ex = assertThrows(EmptySegmentException.class, () -> Segment.open(name, segments.options()));
        assertTrue(ex.getMessage().contains(name), ex.getMessage());
    }

    @Test
    void unknownLayoutVersionIsRefused() throws Exception
    {
        final String name = createAndClose("version");
        patchInt(name, SegmentDescriptor.LAYOUT_VERSION_OFFSET, 99);
        final UnsupportedLayoutVersionException ex = assertThrows(UnsupportedLayoutVersionException.class,
            () -> Segment.open(name, segments.options()));
        assertTrue(ex.getMessage().contains("99"), ex.getMessage());
    }

    @Test
    void fileShorterThanItsHeaderSaysIsRefusedBeforeMapping() throws Exception
    {
        final String name = createAndClose("truncated");
        try (RandomAccessFile file = new RandomAccessFile(segments.directory().resolve(name).toFile(), "rw"))
        {
            file.setLength(SegmentOptions.DEFAULT_SIZE / 2);
        }
        final TruncatedSegmentException ex = assertThrows(TruncatedSegmentException.class,
            () -> Segment.open(name, segments.options()));
        assertTrue(ex.getMessage().contains(Long.toString(SegmentOptions.DEFAULT_SIZE)), ex.getMessage());
    }

    @Test
    void fileCutInsideItsHeaderIsRefused() throws Exception
    {
        final String name = createAndClose("cut");
        try (RandomAccessFile file = new RandomAccessFile(segments.directory().resolve(name).toFile(), "rw"))
        {
            file.setLength(100);
        }
        assertThrows(TruncatedSegmentException.class, () -> Segment.open(name, segments.options()));
    }

    @Test
    void directoryFieldsOutOfRangeAreRefused() throws Exception
    {
        final String name = createAndClose("corrupt");
        patchInt(name, SegmentDescriptor.DIRECTORY_CAPACITY_OFFSET, -5);
        assertThrows(CorruptSegmentException.class, () -> Segment.open(name, segments.options()));
    }

    @Test
    void objectEntryPointingOutsideTheSegmentIsRefused() throws Exception
    {
        final String name = segments.name("entry");
        try (Segment segment = Segment.create(name, segments.options()))
        {
            IntValue.openOrCreate(segment, "x");
        }
        patchLong(name, DirectoryEntryDescriptor.entryOffset(0) + DirectoryEntryDescriptor.OBJECT_OFFSET_OFFSET,
            SegmentOptions.DEFAULT_SIZE * 4);
        try (Segment segment = Segment.open(name, segments.options()))
        {
            assertThrows(CorruptSegmentException.class, () -> IntValue.openOrCreate(segment, "x"));
        }
    }

    @Test
    void directoryAtThePathIsRefused() throws Exception
    {
        final String name = segments.name("dir");
        Files.createDirectory(segments.directory().resolve(name));
        assertThrows(NotARegularFileException.class, () -> Segment.open(name, segments.options()));
    }

    @Test
    void symbolicLinkAtThePathIsRefusedEvenToARealSegment() throws Exception
    {
        final String target = createAndClose("target");
        final String link = segments.name("link");
        Files.createSymbolicLink(segments.directory().resolve(link), segments.directory().resolve(target));
        assertThrows(SymbolicLinkException.class, () -> Segment.open(link, segments.options()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "..", "../etc", ".hidden", "nul\0byte", "space name", "x\ny", "semi;colon"})
    void hostileSegmentNamesAreRefusedBeforeAnyFileAccess(final String name)
    {
        assertThrows(InvalidNameException.class, () -> Segment.create(name, segments.options()));
        assertThrows(InvalidNameException.class, () -> Segment.open(name, segments.options()));
        assertThrows(InvalidNameException.class, () -> Segment.exists(name, segments.options()));
        assertThrows(InvalidNameException.class, () -> Segment.unlink(name, segments.options()));
    }

    @Test
    void overlongSegmentNameIsRefused()
    {
        assertThrows(InvalidNameException.class, () -> Segment.create("a".repeat(201), segments.options()));
    }

    @Test
    void hostileObjectNamesAreRefused()
    {
        try (Segment segment = Segment.create(segments.name("names"), segments.options()))
        {
            assertThrows(InvalidNameException.class, () -> IntValue.openOrCreate(segment, ""));
            assertThrows(InvalidNameException.class, () -> IntValue.openOrCreate(segment, "nul\0"));
            assertThrows(InvalidNameException.class, () -> IntValue.openOrCreate(segment, "x".repeat(81)));
            assertThrows(InvalidNameException.class, () -> IntValue.openOrCreate(segment, "\u00e9".repeat(41)));
            assertEquals(0, segment.objects().size());
            IntValue.openOrCreate(segment, "\u00e9".repeat(40)).set(1);
            IntValue.openOrCreate(segment, "with/slash and ..").set(2);
            assertEquals(2, IntValue.open(segment, "with/slash and ..").get());
        }
    }

    @Test
    void outOfBoundsIndexesNameTheArray()
    {
        try (Segment segment = Segment.create(segments.name("bounds"), segments.options()))
        {
            final IntArray array = IntArray.openOrCreate(segment, "small", 3);
            final IndexOutOfBoundsException ex = assertThrows(IndexOutOfBoundsException.class, () -> array.get(3));
            assertTrue(ex.getMessage().contains("'small'") && ex.getMessage().contains("3"), ex.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> array.set(-1, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> array.get(2, new int[5], 0, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> array.set(0, new int[2], 1, 2));
            assertThrows(IllegalArgumentException.class, () -> IntArray.openOrCreate(segment, "zero", 0));
        }
    }

    private String createAndClose(final String prefix)
    {
        final String name = segments.name(prefix);
        Segment.create(name, segments.options()).close();
        return name;
    }

    private void patchInt(final String name, final int offset, final int value) throws Exception
    {
        patch(name, offset, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, value));
    }

    private void patchLong(final String name, final int offset, final long value) throws Exception
    {
        patch(name, offset, ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, value));
    }

    private void patch(final String name, final int offset, final ByteBuffer bytes) throws Exception
    {
        final Path path = segments.directory().resolve(name);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE))
        {
            channel.write(bytes, offset);
        }
    }
}
