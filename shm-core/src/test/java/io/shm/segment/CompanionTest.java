package io.shm.segment;

import io.shm.exceptions.InvalidNameException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class CompanionTest
{
    @Test
    void companionsAreNamedAfterTheirOwnerWithDistinctSuffixes()
    {
        assertEquals("jobs.lock", Companion.LOCK.of("s", "jobs"));
        assertEquals("jobs.notEmpty", Companion.NOT_EMPTY.of("s", "jobs"));
        assertEquals("p.1to2", Companion.ONE_TO_TWO.of("s", "p"));
        assertEquals("buffer.lock#notFull", Companion.condition("s", "buffer.lock", "notFull"));
        assertEquals(Companion.values().length, Arrays.stream(Companion.values()).map(Companion::suffix).distinct().count());
    }

    @Test
    void anOwnerWhoseNameLeavesNoRoomForItsCompanionIsRefusedNamingBoth()
    {
        final String owner = "q".repeat(DirectoryEntryDescriptor.MAX_NAME_LENGTH - 2);
        final InvalidNameException ex = assertThrows(InvalidNameException.class, () -> Companion.NOT_EMPTY.of("seg", owner));
        assertTrue(ex.getMessage().contains(owner) && ex.getMessage().contains(".notEmpty"), ex.getMessage());
        assertThrows(InvalidNameException.class, () -> Companion.condition("seg", owner + "qq", "c"));
    }
}
