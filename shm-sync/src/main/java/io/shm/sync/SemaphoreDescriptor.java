package io.shm.sync;


import static org.agrona.BitUtil.CACHE_LINE_LENGTH;
import static org.agrona.BitUtil.SIZE_OF_INT;

/**
 * Layout of a semaphore's state block.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 Permits -- the futex word                     |  0
 *  +---------------------------------------------------------------+
 *  |                    Waiters (announced count)                  |  4
 *  +---------------------------------------------------------------+
 *  |        Bound: most permits (bounded), or -1 (unbounded)       |  8
 *  +---------------------------------------------------------------+
 *  |                     Reserved up to 64 bytes                  ... 12
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class SemaphoreDescriptor
{
    /**
     * The bound of a semaphore that has none.
     */
    public static final int UNBOUNDED = -1;

    /**
     * The permits, which waiters sleep on.
     */
    public static final int PERMITS_OFFSET = 0;

    /**
     * How many waiters may sleep: a release with none costs no system call.
     */
    public static final int WAITERS_OFFSET = PERMITS_OFFSET + SIZE_OF_INT;

    /**
     * The most permits a bounded semaphore holds, or {@link #UNBOUNDED}.
     */
    public static final int BOUND_OFFSET = WAITERS_OFFSET + SIZE_OF_INT;

    /**
     * The permits it was created with, which a later {@code openOrCreate} must ask for too.
     */
    public static final int INITIAL_PERMITS_OFFSET = BOUND_OFFSET + SIZE_OF_INT;

    /**
     * Length of the block.
     */
    public static final int LENGTH = CACHE_LINE_LENGTH;

    private SemaphoreDescriptor()
    {
    }
}
