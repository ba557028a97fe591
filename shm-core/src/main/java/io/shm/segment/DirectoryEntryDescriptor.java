package io.shm.segment;

import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Layout of one entry of a segment's directory of named objects.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |   State Word (8 bytes): state in bits 0-7, reserver pid above  |  0
 *  +---------------------------------------------------------------+
 *  |                 Reserver Start Time (8 bytes)                 |  8
 *  +---------------------------------------------------------------+
 *  |                            Type Id                            | 16
 *  +---------------------------------------------------------------+
 *  |                          Name Length                          | 20
 *  +---------------------------------------------------------------+
 *  |                   Object Offset (8 bytes)                     | 24
 *  +---------------------------------------------------------------+
 *  |                Object Length in bytes (8 bytes)               | 32
 *  +---------------------------------------------------------------+
 *  |               Element Count (8 bytes)                         | 40
 *  +---------------------------------------------------------------+
 *  |                 Name, UTF-8 (MAX_NAME_LENGTH bytes)          ... 48
 *  +---------------------------------------------------------------+ 128
 * </pre>
 * States: {@link #FREE} (never used), {@link #RESERVED} (a creator took it by CAS and is building the
 * object; the pid in the state word and the start time below name the reserver), {@link #READY}
 * (published with a release store after the object is complete), {@link #DELETED} (its object was
 * deleted and may still be mapped somewhere) and {@link #VACANT} (its space free for reuse, the
 * free length in the state word). Free entries are taken in order: a creator takes the first FREE
 * entry only after every earlier entry is settled, so all entries after it are FREE, and it holds
 * every other creator back until it is done, so it may place its object in an earlier VACANT
 * entry (the entry recovered from a dead reserver there becomes VACANT again, never FREE).
 */
public final class DirectoryEntryDescriptor
{
    /**
     * State: the entry and every one after it are unused.
     */
    public static final int FREE = 0;

    /**
     * State: a process is creating an object here.
     */
    public static final int RESERVED = 1;

    /**
     * State: the object is published.
     */
    public static final int READY = 2;

    /**
     * The object was deleted: its name is gone, but a process may still have it mapped, so its
     * space is not yet reused.
     */
    public static final int DELETED = 3;

    /**
     * The entry holds no object: its space, the bytes from Object Offset of the length packed in
     * the state word above the state, is free for later objects (carved from its end), and the
     * entry itself is reused once that length is 0.
     */
    public static final int VACANT = 4;

    /**
     * Mask of the state in the state word.
     */
    public static final long STATE_MASK = 0xFF;

    /**
     * Shift of the reserver's pid in the state word.
     */
    public static final int PID_SHIFT = 8;

    /**
     * Longest object name, in UTF-8 bytes.
     */
    public static final int MAX_NAME_LENGTH = 80;


    /**
     * The state word: {@link #FREE}, {@link #RESERVED} with the reserver's pid above {@link #PID_SHIFT},
     * {@link #READY}, {@link #DELETED}, or {@link #VACANT} with the free length above {@link #PID_SHIFT}.
     */
    public static final int STATE_WORD_OFFSET = 0;

    /**
     * The reserver's start time: with the pid in the state word, its process slot.
     */
    public static final int RESERVER_START_TIME_OFFSET = STATE_WORD_OFFSET + SIZE_OF_LONG;

    /**
     * The object's type id.
     */
    public static final int TYPE_ID_OFFSET = RESERVER_START_TIME_OFFSET + SIZE_OF_LONG;

    /**
     * The length of the name, in UTF-8 bytes.
     */
    public static final int NAME_LENGTH_OFFSET = TYPE_ID_OFFSET + SIZE_OF_INT;

    /**
     * Where the object starts in the segment.
     */
    public static final int OBJECT_OFFSET_OFFSET = NAME_LENGTH_OFFSET + SIZE_OF_INT;

    /**
     * The object's length in bytes, header included.
     */
    public static final int OBJECT_LENGTH_OFFSET = OBJECT_OFFSET_OFFSET + SIZE_OF_LONG;

    /**
     * The object's length in elements.
     */
    public static final int ELEMENT_COUNT_OFFSET = OBJECT_LENGTH_OFFSET + SIZE_OF_LONG;

    /**
     * The name, in UTF-8.
     */
    public static final int NAME_OFFSET = ELEMENT_COUNT_OFFSET + SIZE_OF_LONG;

    /**
     * Length of an entry.
     */
    public static final int LENGTH = NAME_OFFSET + MAX_NAME_LENGTH;

    private DirectoryEntryDescriptor()
    {
    }

    /**
     * @param index an entry index.
     * @return the offset of that entry in the segment.
     */
    public static int entryOffset(final int index)
    {
        return SegmentDescriptor.HEADER_LENGTH + index * LENGTH;
    }

    /**
     * @param stateWord a state word.
     * @return the state it holds.
     */
    public static int state(final long stateWord)
    {
        return (int)(stateWord & STATE_MASK);
    }

    /**
     * @param stateWord a RESERVED state word.
     * @return the pid of the reserver.
     */
    public static long reserverPid(final long stateWord)
    {
        return stateWord >>> PID_SHIFT;
    }

    /**
     * @param pid the reserver's pid.
     * @return the state word that reserves an entry for it.
     */
    public static long reservedWord(final long pid)
    {
        return (pid << PID_SHIFT) | RESERVED;
    }

    /**
     * @param free the free bytes the entry holds.
     * @return the VACANT state word for them.
     */
    public static long vacantWord(final long free)
    {
        return (free << PID_SHIFT) | VACANT;
    }

    /**
     * @param stateWord a VACANT state word.
     * @return the free bytes it holds.
     */
    public static long vacantBytes(final long stateWord)
    {
        return stateWord >>> PID_SHIFT;
    }
}
