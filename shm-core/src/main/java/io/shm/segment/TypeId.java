package io.shm.segment;

/**
 * Every object type id of the library, in one place, so that no two types share one (a test checks
 * it). An id is recorded in each object's header and checked on every open: it is part of the
 * layout shared between processes and never changes meaning.
 * <p>
 * Ranges: 1&ndash;99 values and arrays ({@code io.shm.value}), 100&ndash;199 synchronizers
 * ({@code io.shm.sync}), 200&ndash;299 channels and queues ({@code io.shm.channel}, {@code io.shm.broadcast},
 * {@code io.shm.queue}), 300&ndash;399 shared containers ({@code io.shm.collections}) and the heap
 * extents they grow into.
 */
public enum TypeId
{
    // Values and arrays (io.shm.value).
    INT_VALUE(1),
    LONG_VALUE(2),
    DOUBLE_VALUE(3),
    FLOAT_VALUE(4),
    SHORT_VALUE(5),
    BYTE_VALUE(6),
    CHAR_VALUE(7),
    BYTES_VALUE(8),
    INT_ARRAY(11),
    LONG_ARRAY(12),
    DOUBLE_ARRAY(13),
    FLOAT_ARRAY(14),
    SHORT_ARRAY(15),
    BYTE_ARRAY(16),
    CHAR_ARRAY(17),

    // Synchronizers (io.shm.sync).
    LOCK(100),
    REENTRANT_LOCK(101),
    SEMAPHORE(102),
    BOUNDED_SEMAPHORE(103),
    EVENT(104),
    CONDITION(105),
    BARRIER(106),

    // Channels and queues (io.shm.channel, io.shm.queue).
    CHANNEL(200),
    QUEUE(201),
    JOINABLE_QUEUE(202),
    BROADCAST(203),

    // Shared containers (io.shm.collections).
    MAP(300),
    MAP_EXTENT(301),
    LIST(302),
    NAMESPACE(303);

    private final int id;

    TypeId(final int id)
    {
        this.id = id;
    }

    /**
     * @return the id recorded in an object's header.
     */
    public int id()
    {
        return id;
    }
}
