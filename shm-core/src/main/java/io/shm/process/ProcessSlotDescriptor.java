package io.shm.process;

/**
 * Layout of a process slot: shared memory's record of which process holds something (a segment
 * attachment, a channel's receiver or producer role, a barrier waiter, a queue consumer).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  Pid (8 bytes): 0 when free                   |  0
 *  +---------------------------------------------------------------+
 *  |   Start Time (8 bytes): the pid's, 0 while not yet written    |  8
 *  +---------------------------------------------------------------+
 * </pre>
 * The pid is taken by CAS; the start time follows it and is cleared before it (see
 * {@link ProcessSlot} for the rule that keeps the two from pairing across holders). A slot is 8-byte
 * aligned; a layout may put other fields of its own after it.
 */
public final class ProcessSlotDescriptor
{
    /**
     * The holder's pid: 0 when free, negative for a marker its layout defines.
     */
    public static final int PID_OFFSET = 0;

    /**
     * The holder's start time ({@link ProcessIdentity#startTime()}): 0 while being written.
     */
    public static final int START_TIME_OFFSET = PID_OFFSET + Long.BYTES;

    /**
     * Length of a slot.
     */
    public static final int LENGTH = START_TIME_OFFSET + Long.BYTES;

    private ProcessSlotDescriptor()
    {
    }
}
