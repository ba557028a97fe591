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
    /**
     * The flag bit of the state word.
     */
    public static final int SET = 1;

    /**
     * What a {@code set} of a clear event adds to the state: the generation counts above the flag.
     */
    public static final int GENERATION_INCREMENT = 2;

    /**
     * The state word (flag and generation), which waiters sleep on.
     */
    public static final int STATE_OFFSET = 0;

    /**
     * How many waiters may sleep: a {@code set} with none costs no system call.
     */
    public static final int WAITERS_OFFSET = STATE_OFFSET + SIZE_OF_INT;

    /**
     * Length of the block.
     */
    public static final int LENGTH = CACHE_LINE_LENGTH;

    private EventDescriptor()
    {
    }
}
