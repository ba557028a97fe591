package io.shm.segment;

/**
 * Every object type id of the library, in one place, so that no two types share one (a test checks
 * it). An id is recorded in each object's header and checked on every open: it is part of the
 * layout shared between processes and never changes meaning.
 * <p>
 * Ranges: 1&ndash;99 values and arrays ({@code io.shm.value}), 100&ndash;199 synchronizers
 * ({@code io.shm.sync}), 200&ndash;299 channels and queues ({@code io.shm.channel},
 * {@code io.shm.queue}).
 */
public final class TypeIds
{
    public static final int INT_VALUE = 1;
    public static final int LONG_VALUE = 2;
    public static final int DOUBLE_VALUE = 3;
    public static final int FLOAT_VALUE = 4;
    public static final int SHORT_VALUE = 5;
    public static final int BYTE_VALUE = 6;
    public static final int CHAR_VALUE = 7;
    public static final int BYTES_VALUE = 8;
    public static final int INT_ARRAY = 11;
    public static final int LONG_ARRAY = 12;
    public static final int DOUBLE_ARRAY = 13;
    public static final int FLOAT_ARRAY = 14;
    public static final int SHORT_ARRAY = 15;
    public static final int BYTE_ARRAY = 16;
    public static final int CHAR_ARRAY = 17;

    public static final int LOCK = 100;
    public static final int REENTRANT_LOCK = 101;
    public static final int SEMAPHORE = 102;
    public static final int BOUNDED_SEMAPHORE = 103;
    public static final int EVENT = 104;
    public static final int CONDITION = 105;
    public static final int BARRIER = 106;

    public static final int CHANNEL = 200;
    public static final int QUEUE = 201;
    public static final int JOINABLE_QUEUE = 202;

    private TypeIds()
    {
    }
}
