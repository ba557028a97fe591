package io.shm.sync;

import static org.agrona.BitUtil.CACHE_LINE_LENGTH;
import static org.agrona.BitUtil.SIZE_OF_INT;

/**
 * Layout of an event's state block.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------------------------------------+-+
 *  |         Generation (bumped by each set)  -- the futex word  |S|  0
 *  +-------------------------------------------------------------+-+
 *  |                    Waiters (announced count)                  |  4
 *  +---------------------------------------------------------------+
 *  |                     Reserved up to 64 bytes                  ...  8
 *  +---------------------------------------------------------------+
 * </pre>
 * S is the flag. Each {@code set} of a clear event bumps the generation, so a waiter that sleeps
 * through a {@code set} quickly followed by a {@code clear} still sees that the event was set.
 */
public final class EventDescriptor
{
    public static final int SET = 1;
    public static final int GENERATION_INCREMENT = 2;

    public static final int STATE_OFFSET;
    public static final int WAITERS_OFFSET;
    public static final int LENGTH = CACHE_LINE_LENGTH;

    static
    {
        int offset = 0;
        STATE_OFFSET = offset;
        offset += SIZE_OF_INT;
        WAITERS_OFFSET = offset;
    }

    private EventDescriptor()
    {
    }
}
