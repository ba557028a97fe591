package io.shm.sync;

import java.nio.ByteOrder;

import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Layout of a barrier's state block, followed by a slot per possible waiter.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |  State (8 bytes): arrived count in the low 32 bits; the phase  |  0
 *  |  (generation << 1 | broken) in the high 32 bits, the futex word|
 *  +---------------------------------------------------------------+
 *  |                            Parties                            |  8
 *  +---------------------------------------------------------------+
 *  |                   Sleepers (announced count)                  | 12
 *  +---------------------------------------------------------------+
 *  |    Reset History (8 bytes): bit g % 64 set if generation g    | 16
 *  |    was ended by a reset rather than by its last party         |
 *  +---------------------------------------------------------------+
 *  |                     Reserved up to 64 bytes                  ... 24
 *  +---------------------------------------------------------------+
 *  |   Slots, 2 x Parties process slots (ProcessSlotDescriptor)   ... 64
 *  +---------------------------------------------------------------+
 * </pre>
 * Arriving and tripping are one CAS on the state, so the count and the phase always agree. A
 * waiting party holds a slot naming its process, so the others can prove it dead and break the
 * barrier instead of waiting for it forever.
 */
public final class BarrierDescriptor
{
    /**
     * The broken bit of the phase.
     */
    public static final int BROKEN = 1;

    /**
     * What a trip adds to the phase: generations count above the broken bit.
     */
    public static final int GENERATION_INCREMENT = 2;

    /**
     * The state: the phase in its high 32 bits, the parties arrived in its low 32 bits.
     */
    public static final int STATE_OFFSET = 0;

    /**
     * The number of parties.
     */
    public static final int PARTIES_OFFSET = STATE_OFFSET + SIZE_OF_LONG;

    /**
     * How many parties may sleep on the phase: a trip with none costs no system call.
     */
    public static final int SLEEPERS_OFFSET = PARTIES_OFFSET + SIZE_OF_INT;

    /**
     * Bit {@code g % 64} set if generation {@code g} was ended by a reset rather than by its last party.
     */
    public static final int RESET_HISTORY_OFFSET = SLEEPERS_OFFSET + SIZE_OF_INT;

    /**
     * Offset of the high 32 bits of the state, the phase, in native byte order: the word waiters
     * sleep on.
     */
    public static final int PHASE_OFFSET =
        STATE_OFFSET + (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? SIZE_OF_INT : 0);

    /**
     * Length of the block before the slots.
     */
    public static final int HEADER_LENGTH = 64;

    /**
     * Length of one slot; also the element size of the object.
     */
    public static final int SLOT_LENGTH = io.shm.process.ProcessSlotDescriptor.LENGTH;

    private BarrierDescriptor()
    {
    }

    /**
     * @param parties the number of parties.
     * @return the object length in slots, the header counted as its 4 slots.
     */
    public static long length(final int parties)
    {
        return HEADER_LENGTH / SLOT_LENGTH + 2L * parties;
    }

    public static int slotOffset(final int slot)
    {
        return HEADER_LENGTH + slot * SLOT_LENGTH;
    }

    public static long state(final int phase, final int arrived)
    {
        return ((long)phase << 32) | (arrived & 0xFFFF_FFFFL);
    }

    public static int phase(final long state)
    {
        return (int)(state >>> 32);
    }

    public static int arrived(final long state)
    {
        return (int)state;
    }
}
