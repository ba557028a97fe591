package io.shm.segment;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class TypeIdTest
{
    @Test
    void everyTypeIdIsUsedOnceAndInItsRange()
    {
        final Map<Integer, TypeId> seen = new HashMap<>();
        for (final TypeId type : TypeId.values())
        {
            final TypeId other = seen.put(type.id(), type);
            assertNull(other, "type id " + type.id() + " is both " + other + " and " + type);
            assertTrue(type.id() > 0 && type.id() < 300, type + " = " + type.id() + " is outside the ranges");
        }
        assertEquals(26, seen.size());
    }

    @Test
    void everyTypeIdIsInTheRangeOfItsPackage()
    {
        for (final TypeId type : TypeId.values())
        {
            final int range = type.id() / 100;
            final boolean value = type.name().endsWith("_VALUE") || type.name().endsWith("_ARRAY");
            final boolean channelOrQueue = type == TypeId.CHANNEL || type == TypeId.BROADCAST || type.name().endsWith("QUEUE");
            assertEquals(value ? 0 : channelOrQueue ? 2 : 1, range, type + " = " + type.id());
        }
    }
}
