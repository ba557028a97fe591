package io.shm.sync;

import static org.agrona.BitUtil.CACHE_LINE_LENGTH;
import static org.agrona.BitUtil.SIZE_OF_INT;

/**
 * Layout of a condition's state block.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |              Sequence -- the futex word, bumped by signals    |  0
 *  +---------------------------------------------------------------+
 *  |                    Waiters (announced count)                  |  4
 *  +---------------------------------------------------------------+
 *  |                     Reserved up to 64 bytes                  ...  8
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class ConditionDescriptor
{
    public static final int SEQUENCE_OFFSET;
    public static final int WAITERS_OFFSET;
    public static final int LENGTH = CACHE_LINE_LENGTH;

    static
    {
        int offset = 0;
        SEQUENCE_OFFSET = offset;
        offset += SIZE_OF_INT;
        WAITERS_OFFSET = offset;
    }

    private ConditionDescriptor()
    {
    }
}
