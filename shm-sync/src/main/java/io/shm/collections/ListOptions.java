package io.shm.collections;

/**
 * How a {@link ShmList} is made; fixed when it is created, checked when an existing one is opened
 * with options.
 *
 * @param initialCapacity   the items it holds before its first growth (it grows past this).
 * @param maxItemLength     the longest encoded item, in bytes.
 * @param firstExtentLength the length of its heap's first extent in bytes (each next one is twice
 *                          the last); a power of two from 4 KiB to 512 MiB.
 */
public record ListOptions(int initialCapacity, int maxItemLength, long firstExtentLength)
{
    /** Initial capacity by default. */
    public static final int DEFAULT_INITIAL_CAPACITY = 64;
    /** Longest item by default. */
    public static final int DEFAULT_MAX_ITEM_LENGTH = 64 * 1024;

    /**
     * Checks the fields.
     */
    public ListOptions
    {
        asMapOptions(initialCapacity, maxItemLength, firstExtentLength);
    }

    /**
     * @return the defaults: 64 items, items to 64 KiB, a first extent of 64 KiB.
     */
    public static ListOptions defaults()
    {
        return new ListOptions(DEFAULT_INITIAL_CAPACITY, DEFAULT_MAX_ITEM_LENGTH, MapOptions.DEFAULT_FIRST_EXTENT_LENGTH);
    }

    public ListOptions withInitialCapacity(final int initialCapacity)
    {
        return new ListOptions(initialCapacity, maxItemLength, firstExtentLength);
    }

    public ListOptions withMaxItemLength(final int maxItemLength)
    {
        return new ListOptions(initialCapacity, maxItemLength, firstExtentLength);
    }

    public ListOptions withFirstExtentLength(final long firstExtentLength)
    {
        return new ListOptions(initialCapacity, maxItemLength, firstExtentLength);
    }

    /**
     * @return the same as a one-stripe container's options (items are values with empty keys; a
     * list of n items needs n slots, so its first table holds twice the capacity of a map's).
     */
    MapOptions asMapOptions()
    {
        return asMapOptions(initialCapacity, maxItemLength, firstExtentLength);
    }

    private static MapOptions asMapOptions(final int initialCapacity, final int maxItemLength, final long firstExtentLength)
    {
        return new MapOptions(1, initialCapacity, 1, maxItemLength, firstExtentLength);
    }
}
