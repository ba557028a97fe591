package io.shm.segment;

import java.nio.charset.StandardCharsets;

/**
 * The type of a named object, as recorded in its header and directory entry: a numeric id that is
 * checked on every open, a name for messages, and the size of one element.
 * <p>
 * Every id is declared in {@link TypeId} (1&ndash;99 the core's values and arrays, 100&ndash;199
 * the synchronizers, 200&ndash;299 channels and queues, 300&ndash;399 shared containers). The layout version is the version of the object's own
 * layout: an opener that finds another version refuses the object.
 *
 * @param id            the type id, positive.
 * @param name          the type name, ASCII, at most {@link ObjectHeaderDescriptor#MAX_TYPE_NAME_LENGTH} characters.
 * @param elementSize   the size of one element in bytes (for a value or a synchronizer: its whole state).
 * @param layoutVersion the version of the object's layout.
 */
public record ObjectType(int id, String name, int elementSize, int layoutVersion)
{
    /**
     * Checks the fields.
     */
    public ObjectType
    {
        if (id <= 0)
        {
            throw new IllegalArgumentException("type id must be positive: " + id);
        }
        if (name.isEmpty() || name.length() > ObjectHeaderDescriptor.MAX_TYPE_NAME_LENGTH ||
            !StandardCharsets.US_ASCII.newEncoder().canEncode(name))
        {
            throw new IllegalArgumentException("type name must be 1 to " + ObjectHeaderDescriptor.MAX_TYPE_NAME_LENGTH +
                " ASCII characters: " + name);
        }
        if (elementSize <= 0)
        {
            throw new IllegalArgumentException("element size of " + name + " must be positive: " + elementSize);
        }
    }

    /**
     * A type at layout version 1.
     *
     * @param id          the type id.
     * @param name        the type name.
     * @param elementSize the size of one element.
     * @return the type.
     */
    public static ObjectType of(final TypeId id, final String name, final int elementSize)
    {
        return new ObjectType(id.id(), name, elementSize, 1);
    }

    @Override
    public String toString()
    {
        return name + " (type " + id + ")";
    }
}
