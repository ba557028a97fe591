package io.shm.segment;

import io.shm.exceptions.InsufficientSpaceException;
import io.shm.test.TestSegments;
import io.shm.value.ByteArray;
import io.shm.value.LongArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(120)
class LargeSegmentTest
{
    private static final long TWO_GIB = 1L << 31;

    private final TestSegments segments = new TestSegments();

    @AfterEach
    void removeSegments()
    {
        segments.close();
    }

    @Test
    void arrayLargerThanTwoGibWorksAcrossChunkBoundaries()
    {
        final String name = segments.name("large");
        final long length = TWO_GIB + 4096;
        try (Segment segment = Segment.create(name, segments.options().withSize(TWO_GIB + (1 << 20))))
        {
            assertTrue(segment.size() > TWO_GIB);
            final ByteArray bytes = ByteArray.openOrCreate(segment, "big", length);
            assertEquals(length, bytes.length());
            final long[] indexes = {0, (1L << 30) - 65, (1L << 30) - 64, Integer.MAX_VALUE, TWO_GIB, length - 1};
            for (int i = 0; i < indexes.length; i++)
            {
                bytes.set(indexes[i], (byte)(i + 1));
            }
            try (Segment other = Segment.open(name, segments.options()))
            {
                final ByteArray view = ByteArray.open(other, "big");
                for (int i = 0; i < indexes.length; i++)
                {
                    assertEquals(i + 1, view.get(indexes[i]), "element " + indexes[i]);
                }
                // A bulk copy across the first 1 GiB chunk boundary of the object.
                final byte[] pattern = new byte[1000];
                for (int i = 0; i < pattern.length; i++)
                {
                    pattern[i] = (byte)i;
                }
                final long across = (1L << 30) - 64 - 500;
                view.set(across, pattern, 0, pattern.length);
                final byte[] back = new byte[1000];
                bytes.get(across, back, 0, back.length);
                assertArrayEquals(pattern, back);
                assertThrows(IndexOutOfBoundsException.class, () -> view.get(length));
                assertThrows(IllegalStateException.class, view::toArray, "too long for one Java array");
            }
        }
    }

    @Test
    void objectsAfterTheTwoGibMarkAreReachable()
    {
        try (Segment segment = Segment.create(segments.name("after"), segments.options().withSize(TWO_GIB + (8 << 20))))
        {
            ByteArray.openOrCreate(segment, "filler", TWO_GIB);
            final LongArray tail = LongArray.openOrCreate(segment, "tail", new long[] {1, 2, 3});
            assertTrue(segment.objects().get(1).offset() > TWO_GIB);
            assertEquals(6, tail.get(0) + tail.get(1) + tail.get(2));
        }
    }

    @Test
    void segmentLargerThanTheFileSystemFailsAtCreateAndLeavesNothing() throws Exception
    {
        final long tooLarge = Files.getFileStore(segments.directory()).getTotalSpace() + (1L << 30);
        final String name = segments.name("huge");
        final InsufficientSpaceException ex = assertThrows(InsufficientSpaceException.class,
            () -> Segment.create(name, segments.options().withSize(tooLarge)));
        assertTrue(ex.getMessage().contains(Long.toString(tooLarge)), ex.getMessage());
        assertFalse(Segment.exists(name, segments.options()));
        try (var files = Files.list(segments.directory()))
        {
            assertEquals(0, files.count(), "no temporary file left");
        }
    }
}
