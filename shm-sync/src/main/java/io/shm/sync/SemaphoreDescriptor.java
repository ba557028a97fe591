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
    public static final int UNBOUNDED = -1;

    public static final int PERMITS_OFFSET;
    public static final int WAITERS_OFFSET;
    public static final int BOUND_OFFSET;
    public static final int LENGTH = CACHE_LINE_LENGTH;

    static
    {
        int offset = 0;
        PERMITS_OFFSET = offset;
        offset += SIZE_OF_INT;
        WAITERS_OFFSET = offset;
        offset += SIZE_OF_INT;
        BOUND_OFFSET = offset;
    }

    private SemaphoreDescriptor()
    {
    }
}
