package io.shm.segment;

import io.shm.channel.Channel;
import io.shm.channel.ChannelOptions;
import io.shm.exceptions.ObjectExistsException;
import io.shm.exceptions.UnknownObjectException;
import io.shm.test.SegmentTestCase;
import io.shm.value.BytesValue;
import io.shm.value.CharArray;
import io.shm.value.DoubleValue;
import io.shm.value.IntArray;
import io.shm.value.LongValue;
import org.junit.jupiter.api.Test;

import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code create} makes an object that must not exist yet, for every core type; what it refuses
 * leaves the existing object as it was.
 */
class CreateTest extends SegmentTestCase
{
    @Test
    void everyCoreTypeIsCreatedOnceAndThenRefused()
    {
        assertEquals(7, createdOnce(() -> LongValue.create(segment, "long", 7)).get());
        assertEquals(2.5, createdOnce(() -> DoubleValue.create(segment, "double", 2.5)).get());
        assertEquals(3, createdOnce(() -> IntArray.create(segment, "ints", new int[] {1, 2, 3})).get(2));
        assertEquals(5, createdOnce(() -> CharArray.create(segment, "chars", 5)).length());
        assertEquals(16, createdOnce(() -> BytesValue.create(segment, "bytes", 16)).capacity());
        assertNotNull(createdOnce(() -> Channel.create(segment, "channel", ChannelOptions.defaults())));
        assertEquals(7, LongValue.open(segment, "long").get(), "a refused create leaves the object as it was");
    }

    @Test
    void anObjectOfAnotherTypeHoldsTheNameToo()
    {
        LongValue.create(segment, "taken", 1);
        final ObjectExistsException ex = assertThrows(ObjectExistsException.class,
            () -> IntArray.create(segment, "taken", 4));
        assertTrue(ex.getMessage().contains("'taken'") && ex.getMessage().contains(segment.name()), ex.getMessage());
        assertThrows(UnknownObjectException.class, () -> LongValue.open(segment, "missing"));
    }

    @Test
    void anObjectCreatedByAnotherSegmentInstanceIsSeen()
    {
        LongValue.create(segment, "shared", 1);
        try (Segment other = Segment.open(segment.name(), segments.options()))
        {
            assertThrows(ObjectExistsException.class, () -> LongValue.create(other, "shared", 2));
            assertEquals(1, LongValue.open(other, "shared").get());
        }
    }

    private static <T> T createdOnce(final Supplier<T> create)
    {
        final T created = create.get();
        assertThrows(ObjectExistsException.class, create::get);
        return created;
    }
}
