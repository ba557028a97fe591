package io.shm.segment;

import io.shm.exceptions.CorruptSegmentException;
import io.shm.exceptions.LengthMismatchException;
import io.shm.exceptions.ReservationTimeoutException;
import io.shm.exceptions.SegmentFullException;
import io.shm.exceptions.TypeMismatchException;
import io.shm.exceptions.UnknownObjectException;
import io.shm.exceptions.UnsupportedLayoutVersionException;
import io.shm.map.MappedRegion;
import io.shm.process.ProcessIdentity;
import io.shm.process.ProcessSlot;
import org.agrona.concurrent.AtomicBuffer;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import static io.shm.segment.DirectoryEntryDescriptor.*;

/**
 * The directory of a segment: create-or-open of named objects, atomic across processes.
 * <p>
 * <b>Protocol.</b> Entries are used in index order. To find or create {@code name}, a process reads
 * each entry's state word with acquire semantics, from the first:
 * <ul>
 *     <li>READY with the same name: the object exists; it is opened and its header checked.</li>
 *     <li>READY with another name: go on to the next entry.</li>
 *     <li>FREE: the name does not exist. To create it, CAS the state word from FREE to RESERVED with
 *     this process's pid in its upper bits; the winner writes its start time, allocates the
 *     object's space by CAS on the segment's allocation cursor, writes the object's header and
 *     initial contents, fills in the entry, and publishes it with a release store of READY. A
 *     loser of the CAS reads the same entry again.</li>
 *     <li>RESERVED: another process is creating an object whose name is not yet known. Wait, with
 *     back-off, until it is READY (then compare names), bounded by the reservation timeout. If the
 *     reserver is proven dead (its pid gone or started at another time), CAS the state word back
 *     to FREE and read the entry again.</li>
 * </ul>
 * Nobody passes a RESERVED entry, so two processes creating the same name contend for the same
 * FREE entry and exactly one wins; and every entry after a RESERVED one is FREE, so recovering
 * an entry to FREE leaves no hole. The space a dead reserver allocated is not reused.
 */
final class ObjectDirectory
{
    private static final int SPINS = 100;
    private static final long PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final Segment segment;
    private final FileChannel channel;
    private final AtomicBuffer header;
    private final int capacity;
    private final long dataOffset;
    private final long segmentSize;
    private final SegmentOptions options;

    ObjectDirectory(
        final Segment segment,
        final FileChannel channel,
        final AtomicBuffer header,
        final int capacity,
        final long dataOffset,
        final long segmentSize,
        final SegmentOptions options)
    {
        this.segment = segment;
        this.channel = channel;
        this.header = header;
        this.capacity = capacity;
        this.dataOffset = dataOffset;
        this.segmentSize = segmentSize;
        this.options = options;
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
        while (index < capacity)
        {
            final int entry = entryOffset(index);
            final long word = header.getLongVolatile(entry + STATE_WORD_OFFSET);
            switch (state(word))
            {
                case READY:
                    if (nameEquals(entry, nameBytes))
                    {
                        if (exclusive)
                        {
                            throw segment.exists(name);
                        }
                        return open(entry, name, type, length);
                    }
                    index++;
                    waits = 0;
                    break;

                case FREE:
                    if (initializer == null)
                    {
                        throw unknown(name);
                    }
                    if (header.compareAndSetLong(
                        entry + STATE_WORD_OFFSET, word, reservedWord(ProcessIdentity.current().pid())))
                    {
                        return create(entry, name, nameBytes, type, length, initializer);
                    }
                    break;

                case RESERVED:
                    awaitReserved(entry, word, deadline, waits++);
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
            "' is full (" + capacity + " objects); create the segment with a larger directory capacity");
    }

    /**
     * @return the objects published in the directory, in creation order.
     */
    List<Segment.ObjectInfo> list()
    {
        final List<Segment.ObjectInfo> objects = new ArrayList<>();
        for (int index = 0; index < capacity; index++)
        {
            final int entry = entryOffset(index);
            final long word = header.getLongVolatile(entry + STATE_WORD_OFFSET);
            if (state(word) == FREE)
            {
                break;
            }
            if (state(word) == READY)
            {
                objects.add(new Segment.ObjectInfo(
                    readName(entry),
                    header.getInt(entry + TYPE_ID_OFFSET),
                    header.getLong(entry + ELEMENT_COUNT_OFFSET),
                    header.getLong(entry + OBJECT_OFFSET_OFFSET),
                    header.getLong(entry + OBJECT_LENGTH_OFFSET)));
            }
        }
        return objects;
    }

    private void awaitReserved(final int entry, final long word, final long deadline, final int waits)
    {
        final long pid = reserverPid(word);
        // The reserver's pid is packed in the state word; its start time follows the slot rule.
        final long startTime = ProcessSlot.holderStartTime(
            header, entry + RESERVER_START_TIME_OFFSET, entry + STATE_WORD_OFFSET, word);
        if (startTime == ProcessSlot.CHANGED_HANDS)
        {
            // The caller looks again.
            return;
        }
        if (ProcessSlot.isProvenDead(pid, startTime))
        {
            if (ProcessSlot.clearStartTimeOfDead(header, entry + RESERVER_START_TIME_OFFSET, startTime))
            {
                header.compareAndSetLong(entry + STATE_WORD_OFFSET, word, FREE);
            }
            return;
        }
        if (System.nanoTime() - deadline > 0)
        {
            throw new ReservationTimeoutException("directory entry " + (entry - entryOffset(0)) / LENGTH +
                " of segment '" + segment.name() + "' is still reserved by live process " + pid + " after " +
                options.reservationTimeout().toMillis() + " ms");
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

    private SharedObject create(
        final int entry,
        final String name,
        final byte[] nameBytes,
        final ObjectType type,
        final long length,
        final Consumer<SharedObject> initializer)
    {
        ProcessSlot.writeStartTime(header, entry + RESERVER_START_TIME_OFFSET);
        MappedRegion region = null;
        try
        {
            options.reservationHook().accept(name);
            final long objectLength = objectLength(name, type, length);
            final long offset = allocate(name, objectLength);
            region = MappedRegion.map(channel, offset, objectLength);
            writeObjectHeader(region.buffer(), type, length);
            final SharedObject object = new SharedObject(segment, name, type, length, region, true);
            initializer.accept(object);

            header.putInt(entry + TYPE_ID_OFFSET, type.id());
            header.putLong(entry + OBJECT_OFFSET_OFFSET, offset);
            header.putLong(entry + OBJECT_LENGTH_OFFSET, objectLength);
            header.putLong(entry + ELEMENT_COUNT_OFFSET, length);
            header.putBytes(entry + NAME_OFFSET, nameBytes);
            header.putInt(entry + NAME_LENGTH_OFFSET, nameBytes.length);
            header.putLong(entry + RESERVER_START_TIME_OFFSET, 0);
            // Release: the object's header, contents and the entry above are visible to whoever acquires READY.
            header.putLongRelease(entry + STATE_WORD_OFFSET, READY);
            return object;
        }
        catch (final RuntimeException | Error ex)
        {
            if (region != null)
            {
                region.close();
            }
            // Nobody passed this RESERVED entry, so every later entry is FREE: giving it back leaves no hole.
            header.putLong(entry + RESERVER_START_TIME_OFFSET, 0);
            header.putLongRelease(entry + STATE_WORD_OFFSET, FREE);
            throw ex;
        }
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

    private long allocate(final String name, final long objectLength)
    {
        while (true)
        {
            final long cursor = header.getLongVolatile(SegmentDescriptor.ALLOCATION_CURSOR_OFFSET);
            final long offset = SegmentDescriptor.align(cursor, SegmentDescriptor.OBJECT_ALIGNMENT);
            if (offset + objectLength > segmentSize || offset + objectLength < 0)
            {
                throw new SegmentFullException("cannot create '" + name + "' (" + objectLength + " bytes): segment '" +
                    segment.name() + "' has " + Math.max(0, segmentSize - offset) + " of " + segmentSize + " bytes free");
            }
            if (header.compareAndSetLong(SegmentDescriptor.ALLOCATION_CURSOR_OFFSET, cursor, offset + objectLength))
            {
                return offset;
            }
        }
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

    private SharedObject open(final int entry, final String name, final ObjectType type, final long length)
    {
        final int typeId = header.getInt(entry + TYPE_ID_OFFSET);
        final long offset = header.getLong(entry + OBJECT_OFFSET_OFFSET);
        final long objectLength = header.getLong(entry + OBJECT_LENGTH_OFFSET);
        if (offset < dataOffset || objectLength < ObjectHeaderDescriptor.LENGTH || offset + objectLength > segmentSize ||
            offset + objectLength < 0)
        {
            throw new CorruptSegmentException("object '" + name + "' of segment '" + segment.name() + "' claims bytes " +
                offset + " to " + (offset + objectLength) + ", outside the data area " + dataOffset + " to " + segmentSize);
        }
        if (typeId != type.id())
        {
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
            return new SharedObject(segment, name, type, found, region, false);
        }
        catch (final RuntimeException ex)
        {
            region.close();
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

    private boolean nameEquals(final int entry, final byte[] nameBytes)
    {
        if (header.getInt(entry + NAME_LENGTH_OFFSET) != nameBytes.length)
        {
            return false;
        }
        for (int i = 0; i < nameBytes.length; i++)
        {
            if (header.getByte(entry + NAME_OFFSET + i) != nameBytes[i])
            {
                return false;
            }
        }
        return true;
    }

    private String readName(final int entry)
    {
        final int length = Math.min(Math.max(0, header.getInt(entry + NAME_LENGTH_OFFSET)), MAX_NAME_LENGTH);
        final byte[] bytes = new byte[length];
        header.getBytes(entry + NAME_OFFSET, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private UnknownObjectException unknown(final String name)
    {
        return new UnknownObjectException("segment '" + segment.name() + "' has no object named '" + name + "'");
    }
}
