package io.shm.sync;

import static org.agrona.BitUtil.CACHE_LINE_LENGTH;
import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Layout of a lock's state block (one cache line), shared by {@link ShmLock} and
 * {@link ShmReentrantLock}.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-----------------------------------------------------------+
 *  |W|0|              Owner Pid (0 = free)  -- the futex word      |  0
 *  +-+-+-----------------------------------------------------------+
 *  |            Consistency: 0 ok, 1 owner died, 2 not recoverable |  4
 *  +---------------------------------------------------------------+
 *  |                 Owner Start Time (8 bytes)                    |  8
 *  +---------------------------------------------------------------+
 *  |                 Owner Thread Token (8 bytes)                  | 16
 *  +---------------------------------------------------------------+
 *  |                          Hold Count                           | 24
 *  +---------------------------------------------------------------+
 *  |                     Reserved up to 64 bytes                  ... 28
 *  +---------------------------------------------------------------+
 * </pre>
 * The lock word is Drepper's three-state futex mutex with the owner in it, as Linux's robust
 * futexes do: 0 is free, the owner's pid is held, the pid with bit 31 ({@link #WAITERS}) is held
 * with (possibly) sleeping waiters. Because the CAS that takes the lock also writes the owner's
 * pid, a holder killed right after it is still identified; the start time and thread token follow
 * at once and are cleared before the word is released, so a start time of 0 means "being written".
 */
public final class LockDescriptor
{
    /**
     * Bit of the lock word set when a waiter may sleep on it.
     */
    public static final int WAITERS = 0x8000_0000;

    /**
     * Mask of the owner's pid in the lock word.
     */
    public static final int OWNER_MASK = 0x3FFF_FFFF;

    /**
     * Consistency: the state the lock protects is consistent.
     */
    public static final int CONSISTENT = 0;

    /**
     * Consistency: an owner died holding the lock; its successor may repair the state and mark it
     * consistent.
     */
    public static final int OWNER_DIED = 1;

    /**
     * Consistency: a successor unlocked without marking the state consistent; the lock can no
     * longer be taken.
     */
    public static final int NOT_RECOVERABLE = 2;

    /**
     * The lock word (the futex word): 0, or the owner's pid with {@link #WAITERS}.
     */
    public static final int LOCK_WORD_OFFSET = 0;

    /**
     * {@link #CONSISTENT}, {@link #OWNER_DIED} or {@link #NOT_RECOVERABLE}.
     */
    public static final int CONSISTENCY_OFFSET = LOCK_WORD_OFFSET + SIZE_OF_INT;

    /**
     * The owner's start time: with the pid in the lock word, the owner's process slot.
     */
    public static final int OWNER_START_TIME_OFFSET = CONSISTENCY_OFFSET + SIZE_OF_INT;

    /**
     * The owning thread's id, so that only it may unlock.
     */
    public static final int OWNER_THREAD_OFFSET = OWNER_START_TIME_OFFSET + SIZE_OF_LONG;

    /**
     * Holds of a reentrant lock by its owner.
     */
    public static final int HOLD_COUNT_OFFSET = OWNER_THREAD_OFFSET + SIZE_OF_LONG;

    /**
     * Length of the block.
     */
    public static final int LENGTH = CACHE_LINE_LENGTH;

    private LockDescriptor()
    {
    }
}
