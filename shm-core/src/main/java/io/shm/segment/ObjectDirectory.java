package io.shm.segment;

import io.shm.exceptions.CorruptSegmentException;
import io.shm.exceptions.LengthMismatchException;
import io.shm.exceptions.ReservationTimeoutException;
import io.shm.exceptions.SegmentFullException;
import io.shm.exceptions.TypeMismatchException;
import io.shm.exceptions.UnknownObjectException;
import io.shm.exceptions.UnsupportedLayoutVersionException;
import io.shm.map.FileSpace;
import io.shm.map.MappedRegion;
import io.shm.process.ProcessIdentity;
import io.shm.process.ProcessSlot;
import org.agrona.concurrent.AtomicBuffer;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import static io.shm.segment.DirectoryEntryDescriptor.*;

/**
 * The directory of a segment: create-or-open of named objects, atomic across processes, and their
 * deletion.
 * <p>
 * <b>Finding.</b> A process reads each entry's state word with acquire semantics, from the first:
 * <ul>
 *     <li>READY with the same name: the object exists. Before mapping it the process sets the
 *     entry's bit in its attached slot's open bitmap, then reads the entry again: if it is still
 *     READY with that name, it opens it (a deleter, which changes the state before it reads the
 *     bitmaps, sees the bit; see {@link #delete}); if not, it clears the bit and reads on.</li>
 *     <li>READY with another name, DELETED or VACANT: go on to the next entry.</li>
 *     <li>FREE: the name does not exist. To create it, CAS the state word from FREE to RESERVED
 *     with this process's pid in its upper bits. A loser reads the same entry again.</li>
 *     <li>RESERVED: another process is creating an object. Wait, with back-off, until it settles,
 *     bounded by the reservation timeout. If the reserver is proven dead (its pid gone or started
 *     at another time), CAS the entry back to FREE if the entry after it is FREE (it was the end of
 *     the list), else to VACANT, and read it again.</li>
 * </ul>
 * <b>Creating.</b> Nobody passes a RESERVED entry, so the creator holding the first FREE entry holds
 * every other creator back until it is done: creation is serialized, and under that reservation
 * the creator looks again for its name in every earlier entry (an earlier VACANT entry may have
 * been reused since it passed), reclaims deleted objects nobody has mapped any more, and then takes
 * the object's space: carved from the end of the VACANT entry that fits it most tightly, else from
 * the allocation cursor, else by growing the segment up to its maximum size. It writes the object's
 * header and initial contents, and publishes the entry with a release store of READY: a VACANT
 * entry with no space left if there is one (its own FREE entry then goes back to FREE, after the
 * publication), else its own. A creator that fails gives back what it took.
 */
final class ObjectDirectory
{
    private static final int SPINS = 100;
    private static final long PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final Segment segment;
    private final FileChannel channel;
    private final AtomicBuffer header;
    /** The objects the directory holds, as declared. */
    private final int declaredCapacity;
    /** Where its entries are. */
    private final DirectoryEntries entries;
    private final long dataOffset;
    private final SegmentOptions options;
    private final int slot;

    ObjectDirectory(
        final Segment segment,
        final FileChannel channel,
        final AtomicBuffer header,
        final int capacity,
        final long dataOffset,
        final SegmentOptions options,
        final int slot)
    {
        this.segment = segment;
        this.channel = channel;
        this.header = header;
        this.declaredCapacity = capacity;
        this.entries = new DirectoryEntries(channel, header, capacity);
        this.dataOffset = dataOffset;
        this.options = options;
        this.slot = slot;
    }

    private long entryOffset(final int index)
    {
        return entries.address(index);
    }

    DirectoryEntries entries()
    {
        return entries;
    }

    private long segmentSize()
    {
        return header.getLongVolatile(SegmentDescriptor.SEGMENT_SIZE_OFFSET);
    }

    /**
     * Opens the named object, or creates it if {@code initializer} is given and it does not exist.
     *
     * @param name        the object name.
     * @param type        the type it must have.
     * @param length      the length it must have, or -1 for any (open only).
     * @param initializer writes the initial contents of a new object; null to open only.
     * @param exclusive   whether an existing object of that name is an error (create only).
     * @return the mapped object.
     */
    SharedObject findOrCreate(final String name, final ObjectType type, final long length,
        final Consumer<SharedObject> initializer, final boolean exclusive)
    {
        final byte[] nameBytes = Names.checkObjectName(segment.name(), name);
        final long deadline = System.nanoTime() + options.reservationTimeout().toNanos();
        int index = 0;
        int waits = 0;
        while (index < entries.count())
        {
            final long entry = entryOffset(index);
            final long word = entries.getLongVolatile(entry + STATE_WORD_OFFSET);
            switch (state(word))
            {
                case READY:
                    if (nameEquals(entry, nameBytes))
                    {
                        if (exclusive)
                        {
                            throw segment.exists(name);
                        }
                        if (markOpen(index, entry, nameBytes))
                        {
                            return open(index, entry, name, type, length);
                        }
                        break;
                    }
                    index++;
                    waits = 0;
                    break;

                case DELETED:
                case VACANT:
                    index++;
                    waits = 0;
                    break;

                case FREE:
                    if (initializer == null)
                    {
                        throw unknown(name);
                    }
                    if (entries.compareAndSetLong(
                        entry + STATE_WORD_OFFSET, word, reservedWord(ProcessIdentity.current().pid())))
                    {
                        return createReserved(index, name, nameBytes, type, length, initializer, exclusive);
                    }
                    break;

                case RESERVED:
                    awaitReserved(index, word, deadline, waits++);
                    break;

                default:
                    throw new CorruptSegmentException("directory entry " + index + " of segment '" + segment.name() +
                        "' has unknown state " + state(word));
            }
        }
        if (initializer == null)
        {
            throw unknown(name);
        }
        throw new SegmentFullException("cannot create '" + name + "': the directory of segment '" + segment.name() +
            "' is full (" + declaredCapacity + " objects, none deleted to reuse); delete objects, or create the segment " +
            "with a larger directory capacity (SegmentOptions.withDirectoryCapacity)");
    }

    /**
     * Sets entry {@code index}'s bit in this process's open bitmap, then checks the entry still
     * holds the object named {@code nameBytes}; if not, clears the bit again.
     *
     * @return whether the object may be opened.
     */
    private boolean markOpen(final int index, final long entry, final byte[] nameBytes)
    {
        setOpenBit(index, true);
        // Full fence (the CAS above): the bit is visible before the state is read again; a deleter
        // changes the state before it reads the bits (Dekker), so one of the two sees the other.
        final long word = entries.getLongVolatile(entry + STATE_WORD_OFFSET);
        if (state(word) == READY && nameEquals(entry, nameBytes))
        {
            return true;
        }
        setOpenBit(index, false);
        return false;
    }

    /**
     * Sets or clears entry {@code index}'s bit in this process's open bitmap (nothing without a slot).
     */
    void setOpenBit(final int index, final boolean open)
    {
        if (slot < 0)
        {
            return;
        }
        final long word = entries.bitAddress(slot, index);
        final long bit = 1L << (index % Long.SIZE);
        while (true)
        {
            final long bits = entries.getLongVolatile(word);
            final long next = open ? bits | bit : bits & ~bit;
            if (bits == next || entries.compareAndSetLong(word, bits, next))
            {
                VarHandle.fullFence();
                return;
            }
        }
    }

    /**
     * @return the live processes (this one too, through this segment or another) whose open bitmap has entry
     * {@code index}'s bit, or null if an open without a slot might have it (nobody can tell).
     */
    private List<ProcessIdentity> holders(final int index)
    {
        if (header.getLongVolatile(SegmentDescriptor.UNRECORDED_OFFSET) > 0)
        {
            return null;
        }
        final List<ProcessIdentity> holders = new ArrayList<>();
        final long bit = 1L << (index % Long.SIZE);
        for (int other = 0; other < SegmentDescriptor.MAX_ATTACHED; other++)
        {
            if ((entries.getLongVolatile(entries.bitAddress(other, index)) & bit) != 0)
            {
                final ProcessIdentity holder = ProcessSlot.liveHolder(header, SegmentDescriptor.attachedSlotOffset(other));
                if (holder != null)
                {
                    holders.add(holder);
                }
            }
        }
        return holders;
    }

    /**
     * Deletes the named object (its caller has already unmapped this process's mapping of it),
     * holding the creation reservation: READY to DELETED by CAS, so no process finds the name any
     * more; then, if no other live process has it mapped (its open bitmaps, read after the CAS),
     * its space is freed.
     *
     * @return the deletion, or null if there is no object of that name.
     */
    Segment.Deletion delete(final String name)
    {
        final byte[] nameBytes = Names.checkObjectName(segment.name(), name);
        final int reserved = reserveEnd(name);
        try
        {
            for (int index = 0; index < reserved; index++)
            {
                final long entry = entryOffset(index);
                final long word = entries.getLongVolatile(entry + STATE_WORD_OFFSET);
                if (state(word) == READY && nameEquals(entry, nameBytes) &&
                    entries.compareAndSetLong(entry + STATE_WORD_OFFSET, word, DELETED))
                {
                    setOpenBit(index, false);
                    final long bytes = entries.getLong(entry + OBJECT_LENGTH_OFFSET);
                    final List<ProcessIdentity> holders = holders(index);
                    tidy(reserved);
                    return new Segment.Deletion(name, bytes, holders != null && holders.isEmpty(),
                        holders == null ? List.of() : holders, holders == null);
                }
            }
            return null;
        }
        finally
        {
            release(reserved);
        }
    }

    /**
     * Takes the first FREE entry as the creation reservation, waiting for one RESERVED before it.
     *
     * @return its index.
     */
    private int reserveEnd(final String name)
    {
        final long deadline = System.nanoTime() + options.reservationTimeout().toNanos();
        int waits = 0;
        for (int index = 0; index < entries.count(); )
        {
            final long word = entries.getLongVolatile(entryOffset(index) + STATE_WORD_OFFSET);
            if (state(word) == FREE)
            {
                if (entries.compareAndSetLong(entryOffset(index) + STATE_WORD_OFFSET, word,
                    reservedWord(ProcessIdentity.current().pid())))
                {
                    entries.writeStartTime(entryOffset(index) + RESERVER_START_TIME_OFFSET);
                    return index;
                }
            }
            else if (state(word) == RESERVED)
            {
                awaitReserved(index, word, deadline, waits++);
            }
            else
            {
                index++;
                waits = 0;
            }
        }
        throw new CorruptSegmentException("the directory of segment '" + segment.name() + "' has no FREE entry left " +
            "to reserve for '" + name + "'; its last entry is never given to an object");
    }

    /**
     * Under the creation reservation: frees the space of deleted objects no live process has
     * mapped, merges holes that touch, and gives a hole at the end back to the cursor. Each change
     * is ordered so that a process killed between two stores leaves space unused (lost), never
     * counted twice: the entry that gives its space away is emptied before the one that takes it grows.
     */
    private void tidy(final int reserved)
    {
        final List<long[]> holes = new ArrayList<>();
        for (int index = 0; index < reserved; index++)
        {
            final long entry = entryOffset(index);
            long word = entries.getLongVolatile(entry + STATE_WORD_OFFSET);
            if (state(word) == DELETED)
            {
                final List<ProcessIdentity> holders = holders(index);
                if (holders != null && holders.isEmpty())
                {
                    word = vacantWord(SegmentDescriptor.align(entries.getLong(entry + OBJECT_LENGTH_OFFSET),
                        SegmentDescriptor.OBJECT_ALIGNMENT));
                    entries.putLongVolatile(entry + STATE_WORD_OFFSET, word);
                }
            }
            if (state(word) == VACANT && vacantBytes(word) > 0)
            {
                holes.add(new long[] {entries.getLong(entry + OBJECT_OFFSET_OFFSET), vacantBytes(word), index});
            }
        }
        holes.sort(Comparator.comparingLong(hole -> hole[0]));
        long[] last = null;
        for (final long[] hole : holes)
        {
            if (last != null && last[0] + last[1] == hole[0])
            {
                entries.putLongVolatile(entryOffset((int)hole[2]) + STATE_WORD_OFFSET, vacantWord(0));
                last[1] += hole[1];
                entries.putLongVolatile(entryOffset((int)last[2]) + STATE_WORD_OFFSET, vacantWord(last[1]));
            }
            else
            {
                last = hole;
            }
        }
        final long cursor = header.getLongVolatile(SegmentDescriptor.ALLOCATION_CURSOR_OFFSET);
        if (last != null && last[0] + last[1] >= cursor)
        {
            entries.putLongVolatile(entryOffset((int)last[2]) + STATE_WORD_OFFSET, vacantWord(0));
            header.putLongVolatile(SegmentDescriptor.ALLOCATION_CURSOR_OFFSET, last[0]);
        }
    }

    /**
     * @return the segment's space: free at the end, free in vacant entries, deleted objects still mapped.
     */
    Segment.Space space()
    {
        long vacant = 0;
        long largest = 0;
        int regions = 0;
        final List<String> stillOpen = new ArrayList<>();
        for (int index = 0; index < entries.count(); index++)
        {
            final long entry = entryOffset(index);
            final long word = entries.getLongVolatile(entry + STATE_WORD_OFFSET);
            if (state(word) == FREE)
            {
                break;
            }
            if (state(word) == VACANT && vacantBytes(word) > 0)
            {
                vacant += vacantBytes(word);
                largest = Math.max(largest, vacantBytes(word));
                regions++;
            }
            else if (state(word) == DELETED)
            {
                final List<ProcessIdentity> holders = holders(index);
                stillOpen.add(readName(entry) + " (" + entries.getLong(entry + OBJECT_LENGTH_OFFSET) + " bytes, mapped by " +
                    (holders == null ? "processes without a slot" : holders.isEmpty() ? "nobody now" : holders) + ")");
            }
        }
        final long size = segmentSize();
        final long cursor = SegmentDescriptor.align(header.getLongVolatile(SegmentDescriptor.ALLOCATION_CURSOR_OFFSET),
            SegmentDescriptor.OBJECT_ALIGNMENT);
        return new Segment.Space(size, header.getLong(SegmentDescriptor.MAX_SIZE_OFFSET), Math.max(0, size - cursor),
            vacant, regions, largest, stillOpen);
    }

    /**
     * @return whether {@code object}'s entry still publishes it: READY with its name. (An entry
     *         this process has marked open is never reused, so the same name there is the same object.)
     */
    boolean isCurrent(final SharedObject object)
    {
        final long entry = entryOffset(object.entry());
        return state(entries.getLongVolatile(entry + STATE_WORD_OFFSET)) == READY &&
            nameEquals(entry, object.name().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * @return the objects published in the directory, in the order of their entries.
     */
    List<Segment.ObjectInfo> list()
    {
        final List<Segment.ObjectInfo> objects = new ArrayList<>();
        for (int index = 0; index < entries.count(); index++)
        {
            final long entry = entryOffset(index);
            final long word = entries.getLongVolatile(entry + STATE_WORD_OFFSET);
            if (state(word) == FREE)
            {
                break;
            }
            if (state(word) == READY)
            {
                objects.add(new Segment.ObjectInfo(
                    readName(entry),
                    entries.getInt(entry + TYPE_ID_OFFSET),
                    entries.getLong(entry + ELEMENT_COUNT_OFFSET),
                    entries.getLong(entry + OBJECT_OFFSET_OFFSET),
                    entries.getLong(entry + OBJECT_LENGTH_OFFSET)));
            }
        }
        return objects;
    }

    private void awaitReserved(final int index, final long word, final long deadline, final int waits)
    {
        final long entry = entryOffset(index);
        final long pid = reserverPid(word);
        // The reserver's pid is packed in the state word; its start time follows the slot rule.
        final long startTime = entries.holderStartTime(entry, word);
        if (startTime == ProcessSlot.CHANGED_HANDS)
        {
            // The caller looks again.
            return;
        }
        if (ProcessSlot.isProvenDead(pid, startTime))
        {
            if (entries.clearStartTimeOfDead(entry + RESERVER_START_TIME_OFFSET, startTime))
            {
                // Nobody passes a RESERVED entry, so if the next is FREE it stays so while we decide:
                // then this was the end of the list and goes back to FREE; otherwise it was a VACANT
                // entry being reused, and goes back to VACANT with no space (what it carved is lost).
                final boolean last = index + 1 >= entries.count() ||
                    state(entries.getLongVolatile(entryOffset(index + 1) + STATE_WORD_OFFSET)) == FREE;
                entries.compareAndSetLong(entry + STATE_WORD_OFFSET, word, last ? FREE : vacantWord(0));
            }
            return;
        }
        if (System.nanoTime() - deadline > 0)
        {
            throw new ReservationTimeoutException("directory entry " + index + " of segment '" + segment.name() +
                "' is still reserved by live process " + pid + " after " + options.reservationTimeout().toMillis() + " ms");
        }
        if (waits < SPINS)
        {
            Thread.onSpinWait();
        }
        else
        {
            LockSupport.parkNanos(PARK_NANOS);
        }
    }

    /**
     * Creates the object, holding the first FREE entry {@code reserved} (see the class comment).
     */
    private SharedObject createReserved(
        final int reserved,
        final String name,
        final byte[] nameBytes,
        final ObjectType type,
        final long length,
        final Consumer<SharedObject> initializer,
        final boolean exclusive)
    {
                entries.writeStartTime(entryOffset(reserved) + RESERVER_START_TIME_OFFSET);
        int index = reserved;
        boolean holding = true;
        int carvedFrom = -1;
        long carvedWord = 0;
        MappedRegion region = null;
        try
        {
            options.reservationHook().accept(name);
            int emptyVacant = -1;
            final long objectLength = objectLength(name, type, length);
            final long need = SegmentDescriptor.align(objectLength, SegmentDescriptor.OBJECT_ALIGNMENT);
            for (int earlier = 0; earlier < reserved; earlier++)
            {
                final long entry = entryOffset(earlier);
                final long word = entries.getLongVolatile(entry + STATE_WORD_OFFSET);
                if (state(word) == READY && nameEquals(entry, nameBytes))
                {
                    // Made in a reused entry after this process had passed it.
                    release(reserved);
                    holding = false;
                    if (exclusive)
                    {
                        throw segment.exists(name);
                    }
                    return findOrCreate(name, type, length, null, false);
                }
                if (state(word) == RESERVED)
                {
                    throw new CorruptSegmentException("directory entry " + earlier + " of segment '" + segment.name() +
                        "' is reserved before the end of the list while this process holds the end");
                }
            }
            tidy(reserved);
            for (int earlier = 0; earlier < reserved && emptyVacant < 0; earlier++)
            {
                final long now = entries.getLongVolatile(entryOffset(earlier) + STATE_WORD_OFFSET);
                if (state(now) == VACANT && vacantBytes(now) == 0)
                {
                    emptyVacant = earlier;
                }
            }
            if (emptyVacant < 0 && reserved == entries.count() - 1)
            {
                // The last entry is only ever the creation reservation, so that one is always left:
                // grow the directory before this entry takes an object.
                growDirectory(name);
            }
            final int tightest = tightestHole(need, reserved);
            final long offset;
            if (tightest >= 0)
            {
                carvedWord = entries.getLongVolatile(entryOffset(tightest) + STATE_WORD_OFFSET);
                carvedFrom = tightest;
                offset = carve(tightest, need);
                if (emptyVacant < 0 && vacantBytes(carvedWord) == need)
                {
                    emptyVacant = tightest;
                }
            }
            else
            {
                offset = allocate(name, objectLength);
            }
            if (emptyVacant >= 0)
            {
                // Reuse an entry with no space left; the FREE entry, held until the object is
                // published, then stays the end of the list.
                entries.putLongVolatile(entryOffset(emptyVacant) + STATE_WORD_OFFSET,
                    reservedWord(ProcessIdentity.current().pid()));
                entries.writeStartTime(entryOffset(emptyVacant) + RESERVER_START_TIME_OFFSET);
                index = emptyVacant;
            }
            final long entry = entryOffset(index);
            region = MappedRegion.map(channel, offset, objectLength);
            zeroBelowHighWater(region, offset, objectLength);
            writeObjectHeader(region.buffer(), type, length);
            final SharedObject object = new SharedObject(segment, name, type, length, region, true, index);
            initializer.accept(object);

            entries.putInt(entry + TYPE_ID_OFFSET, type.id());
            entries.putLong(entry + OBJECT_OFFSET_OFFSET, offset);
            entries.putLong(entry + OBJECT_LENGTH_OFFSET, objectLength);
            entries.putLong(entry + ELEMENT_COUNT_OFFSET, length);
            entries.putBytes(entry + NAME_OFFSET, nameBytes);
            entries.putInt(entry + NAME_LENGTH_OFFSET, nameBytes.length);
            entries.putLong(entry + RESERVER_START_TIME_OFFSET, 0);
            setOpenBit(index, true);
            // Release: the object's header, contents and the entry above are visible to whoever acquires READY.
            entries.putLongRelease(entry + STATE_WORD_OFFSET, READY);
            if (index != reserved)
            {
                release(reserved);
            }
            return object;
        }
        catch (final RuntimeException | Error ex)
        {
            if (region != null)
            {
                region.close();
            }
            if (index != reserved)
            {
                entries.putLong(entryOffset(index) + RESERVER_START_TIME_OFFSET, 0);
                entries.putLongRelease(entryOffset(index) + STATE_WORD_OFFSET, vacantWord(0));
            }
            if (carvedFrom >= 0)
            {
                entries.putLongVolatile(entryOffset(carvedFrom) + STATE_WORD_OFFSET, carvedWord);
            }
            if (holding)
            {
                release(reserved);
            }
            throw ex;
        }
    }

    /**
     * Adds a directory block, its space taken as an object's is (a hole, the cursor, or growth).
     */
    private void growDirectory(final String name)
    {
        try
        {
            entries.grow(length ->
            {
                final long offset = takeSpace(name, length);
                if (offset + length > header.getLongVolatile(SegmentDescriptor.HIGH_WATER_OFFSET))
                {
                    header.putLongVolatile(SegmentDescriptor.HIGH_WATER_OFFSET, offset + length);
                }
                return offset;
            });
        }
        catch (final SegmentFullException ex)
        {
            throw new SegmentFullException("cannot create '" + name + "': the directory of segment '" + segment.name() +
                "' is full (" + (entries.count() - 1) + " entries) and cannot grow: " + ex.getMessage(), ex);
        }
    }

    /**
     * Space for {@code length} bytes: the tightest hole that fits, else at the cursor (growing the segment).
     */
    private long takeSpace(final String name, final long length)
    {
        final long need = SegmentDescriptor.align(length, SegmentDescriptor.OBJECT_ALIGNMENT);
        final int tightest = tightestHole(need, entries.count());
        return tightest < 0 ? allocate(name, length) : carve(tightest, need);
    }

    /**
     * @return the entry below {@code limit} whose hole fits {@code need} bytes most tightly, or -1.
     */
    private int tightestHole(final long need, final int limit)
    {
        int tightest = -1;
        long tightestBytes = Long.MAX_VALUE;
        for (int index = 0; index < limit; index++)
        {
            final long word = entries.getLongVolatile(entryOffset(index) + STATE_WORD_OFFSET);
            if (state(word) == VACANT && vacantBytes(word) >= need && vacantBytes(word) < tightestBytes)
            {
                tightest = index;
                tightestBytes = vacantBytes(word);
            }
        }
        return tightest;
    }

    /**
     * Takes {@code need} bytes from the end of entry {@code index}'s hole; under the creation reservation.
     *
     * @return their offset.
     */
    private long carve(final int index, final long need)
    {
        final long entry = entryOffset(index);
        final long free = vacantBytes(entries.getLongVolatile(entry + STATE_WORD_OFFSET)) - need;
        entries.putLongVolatile(entry + STATE_WORD_OFFSET, vacantWord(free));
        return entries.getLong(entry + OBJECT_OFFSET_OFFSET) + free;
    }

    /**
     * Space below the high water mark may hold a deleted object's bytes: a new object starts
     * zeroed, as in space the file was extended with. Under the creation reservation.
     */
    private void zeroBelowHighWater(final MappedRegion region, final long offset, final long objectLength)
    {
        final long highWater = header.getLongVolatile(SegmentDescriptor.HIGH_WATER_OFFSET);
        long dirty = Math.min(objectLength, highWater - offset);
        for (final AtomicBuffer chunk : region.buffers())
        {
            if (dirty <= 0)
            {
                break;
            }
            final int length = (int)Math.min(dirty, chunk.capacity());
            chunk.setMemory(0, length, (byte)0);
            dirty -= length;
        }
        if (offset + objectLength > highWater)
        {
            header.putLongVolatile(SegmentDescriptor.HIGH_WATER_OFFSET, offset + objectLength);
        }
    }

    /**
     * Gives back the reserved end entry: every entry after it is FREE, so this leaves no hole.
     */
    private void release(final int reserved)
    {
        entries.putLong(entryOffset(reserved) + RESERVER_START_TIME_OFFSET, 0);
        entries.putLongRelease(entryOffset(reserved) + STATE_WORD_OFFSET, FREE);
    }

    private long objectLength(final String name, final ObjectType type, final long length)
    {
        if (length < 1)
        {
            throw new IllegalArgumentException(type.name() + " '" + name + "' of segment '" + segment.name() +
                "' must have a length of at least 1: " + length);
        }
        try
        {
            // Rounded up to whole 8-byte words: 1- and 2-byte elements are updated by CAS on their containing word.
            final long bytes = Math.addExact(ObjectHeaderDescriptor.LENGTH, Math.multiplyExact(length, (long)type.elementSize()));
            return SegmentDescriptor.align(bytes, Long.BYTES);
        }
        catch (final ArithmeticException ex)
        {
            throw new SegmentFullException(type.name() + " '" + name + "' of " + length + " elements cannot fit any segment");
        }
    }

    /**
     * Takes space at the allocation cursor, growing the segment if it allows (under the creator's
     * reservation, so no other creator grows it at once).
     */
    private long allocate(final String name, final long objectLength)
    {
        while (true)
        {
            final long size = segmentSize();
            final long cursor = header.getLongVolatile(SegmentDescriptor.ALLOCATION_CURSOR_OFFSET);
            final long offset = SegmentDescriptor.align(cursor, SegmentDescriptor.OBJECT_ALIGNMENT);
            if (offset + objectLength > size || offset + objectLength < 0)
            {
                grow(name, objectLength, offset, size);
                continue;
            }
            if (header.compareAndSetLong(SegmentDescriptor.ALLOCATION_CURSOR_OFFSET, cursor, offset + objectLength))
            {
                return offset;
            }
        }
    }

    /**
     * Extends the file (its space reserved), then publishes the new size: an opener never finds
     * the header claiming more than the file holds, and nothing mapped moves.
     */
    private void grow(final String name, final long objectLength, final long offset, final long size)
    {
        final long maxSize = header.getLong(SegmentDescriptor.MAX_SIZE_OFFSET);
        final long needed = offset + objectLength;
        if (needed > maxSize || needed < 0)
        {
            throw new SegmentFullException("cannot create '" + name + "' (" + objectLength + " bytes): segment '" +
                segment.name() + "' has " + Math.max(0, size - offset) + " of " + size + " bytes free at its end" +
                (maxSize > size ? " and may grow only to " + maxSize : "") + "; create it larger " +
                "(SegmentOptions.withSize) or let it grow (SegmentOptions.withMaxSize), or delete objects");
        }
        final long grown = Math.min(maxSize, SegmentDescriptor.align(Math.max(needed, 2 * size), SegmentDescriptor.HEADER_LENGTH));
        FileSpace.allocate(segment.path(), grown);
        header.putLongVolatile(SegmentDescriptor.SEGMENT_SIZE_OFFSET, grown);
    }

    private static void writeObjectHeader(final AtomicBuffer buffer, final ObjectType type, final long length)
    {
        buffer.putInt(ObjectHeaderDescriptor.TYPE_ID_OFFSET, type.id());
        buffer.putInt(ObjectHeaderDescriptor.LAYOUT_VERSION_OFFSET, type.layoutVersion());
        buffer.putInt(ObjectHeaderDescriptor.ELEMENT_SIZE_OFFSET, type.elementSize());
        buffer.putLong(ObjectHeaderDescriptor.LENGTH_OFFSET, length);
        final byte[] typeName = type.name().getBytes(StandardCharsets.US_ASCII);
        buffer.putBytes(ObjectHeaderDescriptor.TYPE_NAME_OFFSET, typeName);
        buffer.putInt(ObjectHeaderDescriptor.TYPE_NAME_LENGTH_OFFSET, typeName.length);
    }

    private SharedObject open(final int index, final long entry, final String name, final ObjectType type,
        final long length)
    {
        final int typeId = entries.getInt(entry + TYPE_ID_OFFSET);
        final long offset = entries.getLong(entry + OBJECT_OFFSET_OFFSET);
        final long objectLength = entries.getLong(entry + OBJECT_LENGTH_OFFSET);
        final long segmentSize = segmentSize();
        if (offset < dataOffset || objectLength < ObjectHeaderDescriptor.LENGTH || offset + objectLength > segmentSize ||
            offset + objectLength < 0)
        {
            setOpenBit(index, false);
            throw new CorruptSegmentException("object '" + name + "' of segment '" + segment.name() + "' claims bytes " +
                offset + " to " + (offset + objectLength) + ", outside the data area " + dataOffset + " to " + segmentSize);
        }
        if (typeId != type.id())
        {
            setOpenBit(index, false);
            // Map only the header, to name the type found.
            try (MappedRegion found = MappedRegion.map(channel, offset, ObjectHeaderDescriptor.LENGTH))
            {
                throw new TypeMismatchException("object '" + name + "' of segment '" + segment.name() + "' is a " +
                    typeName(found.buffer()) + " (type " + typeId + "), not the " + type + " asked for");
            }
        }
        final MappedRegion region = MappedRegion.map(channel, offset, objectLength);
        try
        {
            final long found = checkObjectHeader(region.buffer(), name, type, objectLength);
            if (length >= 0 && found != length)
            {
                throw new LengthMismatchException(type.name() + " '" + name + "' of segment '" + segment.name() +
                    "' has length " + found + ", not the " + length + " asked for");
            }
            return new SharedObject(segment, name, type, found, region, false, index);
        }
        catch (final RuntimeException ex)
        {
            region.close();
            setOpenBit(index, false);
            throw ex;
        }
    }

    private long checkObjectHeader(final AtomicBuffer buffer, final String name, final ObjectType type, final long objectLength)
    {
        final String what = "object '" + name + "' of segment '" + segment.name() + "'";
        final int typeId = buffer.getInt(ObjectHeaderDescriptor.TYPE_ID_OFFSET);
        if (typeId != type.id())
        {
            throw new CorruptSegmentException(what + " has type " + typeId + " in its header but " + type.id() +
                " in the directory");
        }
        final int version = buffer.getInt(ObjectHeaderDescriptor.LAYOUT_VERSION_OFFSET);
        if (version != type.layoutVersion())
        {
            throw new UnsupportedLayoutVersionException(what + " has layout version " + version + " of " + type.name() +
                "; this library reads version " + type.layoutVersion());
        }
        final int elementSize = buffer.getInt(ObjectHeaderDescriptor.ELEMENT_SIZE_OFFSET);
        final long length = buffer.getLong(ObjectHeaderDescriptor.LENGTH_OFFSET);
        if (elementSize != type.elementSize() || length < 1 ||
            length > (objectLength - ObjectHeaderDescriptor.LENGTH) / elementSize)
        {
            throw new CorruptSegmentException(what + " has element size " + elementSize + " and length " + length +
                ", which do not fit its " + objectLength + " bytes as a " + type);
        }
        return length;
    }

    private static String typeName(final AtomicBuffer buffer)
    {
        final int length = buffer.getInt(ObjectHeaderDescriptor.TYPE_NAME_LENGTH_OFFSET);
        if (length < 1 || length > ObjectHeaderDescriptor.MAX_TYPE_NAME_LENGTH)
        {
            return "object of unknown type";
        }
        final byte[] bytes = new byte[length];
        buffer.getBytes(ObjectHeaderDescriptor.TYPE_NAME_OFFSET, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private boolean nameEquals(final long entry, final byte[] nameBytes)
    {
        if (entries.getInt(entry + NAME_LENGTH_OFFSET) != nameBytes.length)
        {
            return false;
        }
        for (int i = 0; i < nameBytes.length; i++)
        {
            if (entries.getByte(entry + NAME_OFFSET + i) != nameBytes[i])
            {
                return false;
            }
        }
        return true;
    }

    private String readName(final long entry)
    {
        final int length = Math.min(Math.max(0, entries.getInt(entry + NAME_LENGTH_OFFSET)), MAX_NAME_LENGTH);
        final byte[] bytes = new byte[length];
        entries.getBytes(entry + NAME_OFFSET, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private UnknownObjectException unknown(final String name)
    {
        return new UnknownObjectException("segment '" + segment.name() + "' has no object named '" + name + "'");
    }
}
