package io.shm.collections;

import static io.shm.collections.MapDescriptor.MAX_EXTENT_LENGTH;

/**
 * How a {@link ShmMap} (or {@link ShmNamespace}) is made; fixed when it is created, checked when an
 * existing one is opened with options.
 *
 * @param stripes           how many independently locked parts the map has, a power of two from 1
 *                          to 256: writers of different stripes never wait for each other.
 * @param initialCapacity   the entries it holds before its first growth (it grows past this).
 * @param maxKeyLength      the longest encoded key, in bytes.
 * @param maxValueLength    the longest encoded value, in bytes.
 * @param firstExtentLength the length of its heap's first extent in bytes (each next one is twice
 *                          the last); at least 4 KiB, at most 512 MiB.
 */
public record MapOptions(int stripes, int initialCapacity, int maxKeyLength, int maxValueLength, long firstExtentLength)
{
    /** Stripes by default. */
    public static final int DEFAULT_STRIPES = 16;
    /** Initial capacity by default. */
    public static final int DEFAULT_INITIAL_CAPACITY = 1024;
    /** Longest key by default. */
    public static final int DEFAULT_MAX_KEY_LENGTH = 1024;
    /** Longest value by default. */
    public static final int DEFAULT_MAX_VALUE_LENGTH = 64 * 1024;
    /** First extent by default. */
    public static final long DEFAULT_FIRST_EXTENT_LENGTH = 64 * 1024;

    /**
     * Checks the fields.
     */
    public MapOptions
    {
        if (stripes < 1 || stripes > 256 || Integer.bitCount(stripes) != 1)
        {
            throw new IllegalArgumentException("stripes must be a power of two from 1 to 256: " + stripes);
        }
        if (initialCapacity < 1 || initialCapacity > 1 << 26)
        {
            throw new IllegalArgumentException("initial capacity must be 1 to " + (1 << 26) + ": " + initialCapacity);
        }
        if (maxKeyLength < 1 || maxValueLength < 0 || (long)maxKeyLength + maxValueLength > MAX_EXTENT_LENGTH / 2)
        {
            throw new IllegalArgumentException("max key length must be at least 1, max value length at least 0, and " +
                "together at most " + MAX_EXTENT_LENGTH / 2 + ": " + maxKeyLength + ", " + maxValueLength);
        }
        if (firstExtentLength < 4096 || firstExtentLength > MAX_EXTENT_LENGTH || Long.bitCount(firstExtentLength) != 1)
        {
            throw new IllegalArgumentException("first extent length must be a power of two from 4096 to " +
                MAX_EXTENT_LENGTH + ": " + firstExtentLength);
        }
    }

    /**
     * @return the defaults: 16 stripes, 1,024 entries, keys to 1 KiB, values to 64 KiB, a first extent of 64 KiB.
     */
    public static MapOptions defaults()
    {
        return new MapOptions(DEFAULT_STRIPES, DEFAULT_INITIAL_CAPACITY, DEFAULT_MAX_KEY_LENGTH, DEFAULT_MAX_VALUE_LENGTH,
            DEFAULT_FIRST_EXTENT_LENGTH);
    }

    public MapOptions withStripes(final int stripes)
    {
        return new MapOptions(stripes, initialCapacity, maxKeyLength, maxValueLength, firstExtentLength);
    }

    public MapOptions withInitialCapacity(final int initialCapacity)
    {
        return new MapOptions(stripes, initialCapacity, maxKeyLength, maxValueLength, firstExtentLength);
    }

    public MapOptions withMaxKeyLength(final int maxKeyLength)
    {
        return new MapOptions(stripes, initialCapacity, maxKeyLength, maxValueLength, firstExtentLength);
    }

    public MapOptions withMaxValueLength(final int maxValueLength)
    {
        return new MapOptions(stripes, initialCapacity, maxKeyLength, maxValueLength, firstExtentLength);
    }

    public MapOptions withFirstExtentLength(final long firstExtentLength)
    {
        return new MapOptions(stripes, initialCapacity, maxKeyLength, maxValueLength, firstExtentLength);
    }

    /**
     * @return log2 of the slots of each stripe's first table: room for its share of the initial
     * capacity at a load of one half.
     */
    int initialLog2Slots()
    {
        final int perStripe = (initialCapacity + stripes - 1) / stripes;
        return Math.max(3, 64 - Long.numberOfLeadingZeros(2L * perStripe - 1));
    }
}
