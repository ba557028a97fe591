package io.shm.segment;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class TypeIdsTest
{
    @Test
    void everyTypeIdIsUsedOnceAndInItsRange() throws Exception
    {
        final Map<Integer, String> seen = new HashMap<>();
        for (final Field field : TypeIds.class.getDeclaredFields())
        {
            if (!Modifier.isStatic(field.getModifiers()) || field.getType() != int.class)
            {
                continue;
            }
            final int id = field.getInt(null);
            final String other = seen.put(id, field.getName());
            assertNull(other, "type id " + id + " is both " + other + " and " + field.getName());
            assertTrue(id > 0 && id < 300, field.getName() + " = " + id + " is outside the ranges");
        }
        assertEquals(25, seen.size());
    }
}
