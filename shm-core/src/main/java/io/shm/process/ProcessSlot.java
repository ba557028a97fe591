package io.shm.process;

import org.agrona.concurrent.AtomicBuffer;

import static io.shm.process.ProcessSlotDescriptor.PID_OFFSET;
import static io.shm.process.ProcessSlotDescriptor.START_TIME_OFFSET;

/**
 * The one protocol for a process slot ({@link ProcessSlotDescriptor}): a pid word and a
 * start-time word in shared memory that say which process holds something, so that others can
 * take it once that process is proven dead, and never while it lives.
 * <p>
 * <b>The rule.</b> A pid alone cannot prove death (pids are reused), so a slot holds the start
 * time too; but the two words cannot change in one atomic step, and a start time must never be
 * read as belonging to a pid it does not belong to, or a live process would be judged dead and
 * robbed. So:
 * <ol>
 *     <li>A holder is taken by a CAS of the pid (from 0, from a marker such as a closed
 *     receiver's, or from a process proven dead); its start time is written after. While it is
 *     still 0, "not written yet", the pid alone decides.</li>
 *     <li>The start time is cleared <i>before</i> the pid changes hands: whoever frees the slot
 *     clears it, then the pid; whoever takes over from a dead or closed holder first CASes the
 *     start time it read back to 0 (failing if another has moved first), then CASes the pid.</li>
 *     <li>A reader judges a pid by the start time it read only if the pid still holds after that
 *     read; otherwise the slot changed hands meanwhile and the start time may be the newcomer's.</li>
 * </ol>
 * Only {@link ProcessIdentity#isAlive(long, long)} proves death: a stopped or slow holder is never
 * taken from. A process killed at any step leaves a slot that the next claimer reads as free, as
 * held by a process proven dead (its pid is gone, or carries another start time), or as held with
 * a start time of 0 that the pid alone then judges.
 * <p>
 * Every method works on a slot at {@code slot} in {@code buffer}; the slot's owner may put fields
 * of its own after it, which these methods never touch.
 * <p>
 * <b>Packed holders.</b> Some layouts keep the holder's pid inside a word they use for more: the
 * robust lock's futex word (pid and a waiters bit, so that one CAS takes the lock and names its
 * owner) and a directory entry's state word (state and reserving pid). They keep the start time in
 * a long of their own and follow the same rule through {@link #holderStartTime(AtomicBuffer, int,
 * int, int, int)}, {@link #isProvenDead(long, long)}, {@link #clearStartTimeOfDead} and
 * {@link #writeStartTime}, with their word in place of the pid word.
 */
public final class ProcessSlot
{
    /**
     * What {@code holderStartTime} returns when the holder's word changed while the start time was
     * read: the start time may then be a newcomer's, and judges nobody.
     */
    public static final long CHANGED_HANDS = -1;

    private static final long PID = ProcessIdentity.current().pid();
    private static final long START_TIME = ProcessIdentity.current().startTime();

    private ProcessSlot()
    {
    }

    /**
     * Takes the slot for this process if it is free (pid 0).
     *
     * @param buffer the shared memory.
     * @param slot   the slot's offset.
     * @return whether this process now holds it.
     */
    public static boolean claimIfFree(final AtomicBuffer buffer, final int slot)
    {
        if (buffer.getLongVolatile(slot + PID_OFFSET) == 0 && buffer.compareAndSetLong(slot + PID_OFFSET, 0, PID))
        {
            buffer.putLongVolatile(slot + START_TIME_OFFSET, START_TIME);
            return true;
        }
        return false;
    }

    /**
     * Takes the slot unless a live process holds it: when it is free, holds a marker (a pid of 0
     * or less), or names a process proven dead.
     *
     * @param buffer the shared memory.
     * @param slot   the slot's offset.
     * @return 0 if this process now holds it, else the pid of the live holder (this process's own
     *         if it holds the slot already).
     */
    public static long claimUnlessHeld(final AtomicBuffer buffer, final int slot)
    {
        while (true)
        {
            final long pid = buffer.getLongVolatile(slot + PID_OFFSET);
            final long startTime = buffer.getLongVolatile(slot + START_TIME_OFFSET);
            if (buffer.getLongVolatile(slot + PID_OFFSET) != pid)
            {
                continue;
            }
            if (pid > 0 && ProcessIdentity.isAlive(pid, startTime))
            {
                return pid;
            }
            if (takeOver(buffer, slot, pid, startTime))
            {
                return 0;
            }
        }
    }

    /**
     * Takes the slot from the holder read as {@code (pid, startTime)}, alive or not: for a caller
     * that has decided the holder is done with it (it closed, or is proven dead). The start time
     * goes first, by CAS, then the pid, by CAS: if another process moved either first, nothing is
     * taken.
     *
     * @param buffer    the shared memory.
     * @param slot      the slot's offset.
     * @param pid       the holder's pid as read.
     * @param startTime its start time as read while the pid held.
     * @return whether this process now holds it.
     */
    public static boolean takeOver(final AtomicBuffer buffer, final int slot, final long pid, final long startTime)
    {
        if (buffer.compareAndSetLong(slot + START_TIME_OFFSET, startTime, 0) &&
            buffer.compareAndSetLong(slot + PID_OFFSET, pid, PID))
        {
            buffer.putLongVolatile(slot + START_TIME_OFFSET, START_TIME);
            return true;
        }
        return false;
    }

    /**
     * Takes the slot, whatever the liveness of its holder, if a state word that its layout keeps
     * beside it holds {@code expectedState} (a holder that closed): the holder is read as the rule
     * says, the state looked at, then taken as {@link #takeOver} does, so a rival that moved first
     * (took the slot, changed the state) makes it fail.
     *
     * @param buffer        the shared memory.
     * @param slot          the slot's offset.
     * @param stateOffset   the state word's offset from the slot.
     * @param expectedState the state in which the slot may be taken.
     * @return whether this process now holds it.
     */
    public static boolean takeOverInState(
        final AtomicBuffer buffer, final int slot, final int stateOffset, final int expectedState)
    {
        final long pid = buffer.getLongVolatile(slot + PID_OFFSET);
        final long startTime = buffer.getLongVolatile(slot + START_TIME_OFFSET);
        return buffer.getIntVolatile(slot + stateOffset) == expectedState &&
            buffer.getLongVolatile(slot + PID_OFFSET) == pid && takeOver(buffer, slot, pid, startTime);
    }

    /**
     * Takes the slot if the process it names is proven dead.
     *
     * @param buffer the shared memory.
     * @param slot   the slot's offset.
     * @return whether this process now holds it.
     */
    public static boolean takeOverFromDead(final AtomicBuffer buffer, final int slot)
    {
        final long pid = buffer.getLongVolatile(slot + PID_OFFSET);
        final long startTime = holderStartTime(buffer, slot + START_TIME_OFFSET, slot + PID_OFFSET, pid);
        return isProvenDead(pid, startTime) && takeOver(buffer, slot, pid, startTime);
    }

    /**
     * Frees the slot if the process it names is proven dead (start time, then pid, each by CAS).
     *
     * @param buffer the shared memory.
     * @param slot   the slot's offset.
     * @return whether this call freed it.
     */
    public static boolean freeIfDead(final AtomicBuffer buffer, final int slot)
    {
        final long pid = buffer.getLongVolatile(slot + PID_OFFSET);
        final long startTime = holderStartTime(buffer, slot + START_TIME_OFFSET, slot + PID_OFFSET, pid);
        return isProvenDead(pid, startTime) && clearStartTimeOfDead(buffer, slot + START_TIME_OFFSET, startTime) &&
            buffer.compareAndSetLong(slot + PID_OFFSET, pid, 0);
    }

    /**
     * Gives back a slot this process holds: the start time, then the pid. Does nothing if this
     * process does not hold it.
     *
     * @param buffer the shared memory.
     * @param slot   the slot's offset.
     */
    public static void release(final AtomicBuffer buffer, final int slot)
    {
        releaseAs(buffer, slot, 0);
    }

    /**
     * Gives back a slot this process holds, leaving {@code marker} as its pid (0 for free, or a
     * negative value a layout gives a meaning, such as "closed").
     *
     * @param buffer the shared memory.
     * @param slot   the slot's offset.
     * @param marker the pid word's value afterwards, 0 or negative.
     */
    public static void releaseAs(final AtomicBuffer buffer, final int slot, final long marker)
    {
        if (marker > 0)
        {
            throw new IllegalArgumentException("a released slot's pid must be 0 or negative: " + marker);
        }
        if (buffer.getLongVolatile(slot + PID_OFFSET) == PID)
        {
            buffer.putLongVolatile(slot + START_TIME_OFFSET, 0);
            buffer.compareAndSetLong(slot + PID_OFFSET, PID, marker);
        }
    }

    /**
     * @param buffer the shared memory.
     * @param slot   the slot's offset.
     * @param pid    the pid read from the slot.
     * @return whether that process is proven dead; false for a free or marked slot, and false if
     *         the slot changed hands while its start time was read.
     */
    public static boolean isProvenDead(final AtomicBuffer buffer, final int slot, final long pid)
    {
        return pid > 0 && isProvenDead(pid, holderStartTime(buffer, slot + START_TIME_OFFSET, slot + PID_OFFSET, pid));
    }

    /**
     * @param buffer the shared memory.
     * @param slot   the slot's offset.
     * @return the live process holding the slot, or null if it is free, marked, held by a process
     *         proven dead, or changed hands while it was read.
     */
    public static ProcessIdentity liveHolder(final AtomicBuffer buffer, final int slot)
    {
        final long pid = buffer.getLongVolatile(slot + PID_OFFSET);
        final long startTime = buffer.getLongVolatile(slot + START_TIME_OFFSET);
        if (pid <= 0 || buffer.getLongVolatile(slot + PID_OFFSET) != pid || !ProcessIdentity.isAlive(pid, startTime))
        {
            return null;
        }
        return startTime == 0 ? ProcessIdentity.of(pid).orElse(null) : ProcessIdentity.of(pid, startTime);
    }

    /**
     * @param buffer the shared memory.
     * @param slot   the slot's offset.
     * @return whether this process holds the slot (its pid and start time are there).
     */
    public static boolean isHeldByThisProcess(final AtomicBuffer buffer, final int slot)
    {
        return buffer.getLongVolatile(slot + PID_OFFSET) == PID &&
            buffer.getLongVolatile(slot + START_TIME_OFFSET) == START_TIME;
    }

    /**
     * Reads the start time of the holder named in a packed 32-bit word, by the rule: it belongs to
     * that holder only if the word still names it afterwards.
     *
     * @param buffer          the shared memory.
     * @param startTimeOffset the holder's start time.
     * @param wordOffset      the word the pid is packed in.
     * @param heldWord        the word as read, naming the holder.
     * @param pidMask         the bits of the word that hold the pid.
     * @return the start time (0 while the holder is still writing it), or {@link #CHANGED_HANDS}.
     */
    public static long holderStartTime(
        final AtomicBuffer buffer, final int startTimeOffset, final int wordOffset, final int heldWord, final int pidMask)
    {
        final long startTime = buffer.getLongVolatile(startTimeOffset);
        return ((buffer.getIntVolatile(wordOffset) ^ heldWord) & pidMask) == 0 ? startTime : CHANGED_HANDS;
    }

    /**
     * As {@link #holderStartTime(AtomicBuffer, int, int, int, int)} for a 64-bit word that must
     * not have changed at all (a slot's pid word, or a state word with the pid in it).
     */
    public static long holderStartTime(
        final AtomicBuffer buffer, final int startTimeOffset, final int wordOffset, final long heldWord)
    {
        final long startTime = buffer.getLongVolatile(startTimeOffset);
        return buffer.getLongVolatile(wordOffset) == heldWord ? startTime : CHANGED_HANDS;
    }

    /**
     * @param pid       a holder's pid.
     * @param startTime its start time as {@code holderStartTime} read it (0: not written yet, the
     *                  pid alone decides).
     * @return whether that holder is proven dead; never a marker (a pid of 0 or less), nor a holder
     *         whose word changed hands while it was read.
     */
    public static boolean isProvenDead(final long pid, final long startTime)
    {
        return pid > 0 && startTime != CHANGED_HANDS && !ProcessIdentity.isAlive(pid, startTime);
    }

    /**
     * The first step of taking over from a holder proven dead: its start time is cleared, by CAS
     * from the value judged, before the word that names it changes. Left in place it would pair
     * with the next holder's pid until replaced, and that live holder would be judged dead.
     *
     * @return false if another process moved first (the caller then changes nothing).
     */
    public static boolean clearStartTimeOfDead(final AtomicBuffer buffer, final int startTimeOffset, final long startTime)
    {
        return buffer.compareAndSetLong(startTimeOffset, startTime, 0);
    }

    /**
     * Writes this process's start time as the holder's, once the CAS that named it has won.
     */
    public static void writeStartTime(final AtomicBuffer buffer, final int startTimeOffset)
    {
        buffer.putLongRelease(startTimeOffset, START_TIME);
    }

    /**
     * @param buffer the shared memory.
     * @param slot   the slot's offset.
     * @return the pid in the slot now: 0 when free, negative for a layout's marker.
     */
    public static long pid(final AtomicBuffer buffer, final int slot)
    {
        return buffer.getLongVolatile(slot + PID_OFFSET);
    }
}
