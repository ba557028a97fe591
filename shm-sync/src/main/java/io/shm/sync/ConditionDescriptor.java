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
    /**
     * The futex word waiters sleep on: bumped by every signal.
     */
    public static final int SEQUENCE_OFFSET = 0;

    /**
     * How many waiters are inside {@code await}: a signal with none costs no system call.
     */
    public static final int WAITERS_OFFSET = SEQUENCE_OFFSET + SIZE_OF_INT;

    /**
     * Length of the block.
     */
    public static final int LENGTH = CACHE_LINE_LENGTH;

    private ConditionDescriptor()
    {
    }
}
