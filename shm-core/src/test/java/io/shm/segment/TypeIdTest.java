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
            assertTrue(type.id() > 0 && type.id() < 400, type + " = " + type.id() + " is outside the ranges");
        }
        assertEquals(30, seen.size());
    }

    @Test
    void everyTypeIdIsInTheRangeOfItsPackage()
    {
        for (final TypeId type : TypeId.values())
        {
            final int range = type.id() / 100;
            final boolean value = type.name().endsWith("_VALUE") || type.name().endsWith("_ARRAY");
            final boolean channelOrQueue = type == TypeId.CHANNEL || type == TypeId.BROADCAST || type.name().endsWith("QUEUE");
            final boolean container = type == TypeId.MAP || type == TypeId.MAP_EXTENT || type == TypeId.LIST ||
                type == TypeId.NAMESPACE;
            assertEquals(value ? 0 : channelOrQueue ? 2 : container ? 3 : 1, range, type + " = " + type.id());
        }
    }
}
