package io.shm.segment;

import io.shm.ShmRuntime;
import io.shm.exceptions.LengthMismatchException;
import io.shm.exceptions.ObjectExistsException;
import io.shm.exceptions.SegmentExistsException;
import io.shm.exceptions.SegmentNotFoundException;
import io.shm.exceptions.ShmException;
import io.shm.exceptions.TruncatedSegmentException;
import io.shm.exceptions.TypeMismatchException;
import io.shm.exceptions.UnknownObjectException;
import io.shm.map.FileSpace;
import io.shm.map.MappedRegion;
import io.shm.process.ProcessIdentity;
import io.shm.process.ProcessSlot;
import org.agrona.concurrent.AtomicBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static io.shm.segment.SegmentDescriptor.*;

/**
 * A segment: one mapped file holding many named objects, shared by every process that opens it by
 * name. Python's shared {@code Value}/{@code Array} live in one, as do the synchronizers and
 * channels.
 * <pre>{@code
 * try (Segment segment = Segment.openOrCreate("prices", SegmentOptions.defaults()))
 * {
 *     DoubleValue last = DoubleValue.openOrCreate(segment, "last", 3.14);    // Value('d', 3.14)
 *     IntArray counts = IntArray.openOrCreate(segment, "counts", new int[] {0, 1, 2, 3});  // Array('i', range(4))
 *     counts.incrementAndGet(2);
 * }
 * }</pre>
 * <b>Never half-made.</b> {@link #create} builds the file under a temporary name in the same
 * directory, gives it its space, writes the header, then links it to its name (which fails if the
 * name exists) and removes the temporary name: other processes see no segment or a complete one.
 * The temporary name records the creator's pid and start time; a creator killed before it
 * finished leaves an {@link UnfinishedSegment}, which the next {@code create} of that name, and
 * {@code scripts/shm.sh clean}, remove once the creator is proven dead.
 * <p>
 * <b>Truncated under a live process.</b> Every mapped-file library shares this: if another
 * program shortens the file (for instance {@code truncate -s 0}) while a process has it mapped,
 * that process's next access to a page past the new end faults; the JVM turns the fault into a
 * catchable {@link InternalError} ("a fault occurred in a recent unsafe memory access
 * operation"), thrown shortly after the access. The data is gone: close the segment and stop
 * using its objects; a new {@link #open} fails with {@link io.shm.exceptions.TruncatedSegmentException}.
 * Keep segment files owner-only (the default) so that only the owner's own programs can do this.
 * <p>
 * <b>Validated before use.</b> {@link #open} refuses symbolic links and non-regular files, reads the
 * header with a plain read (not a mapping) and checks magic, layout version, state and declared
 * size against the file's real length before it maps anything, so a foreign or truncated file
 * raises an exception, never SIGBUS.
 * <p>
 * <b>Objects</b> are created or opened atomically across processes (see {@link ObjectDirectory}):
 * of many processes asking for the same name, exactly one creates it and all see the same object;
 * asking for it as another type or length fails with an exception naming both.
 * <p>
 * A segment is safe for use by many threads. {@link #close()} unmaps it; a view used after that
 * throws {@link IllegalStateException}. The file stays until {@link #unlink} removes it.
 */
public final class Segment implements AutoCloseable
{
    private static final int OPEN_OR_CREATE_ATTEMPTS = 100;

    private final String name;
    private final Path path;
    private final FileChannel channel;
    private final MappedRegion headerRegion;
    private final int capacity;
    private final ProcessIdentity creator;
    private final ObjectDirectory directory;
    private final Map<String, SharedObject> objects = new HashMap<>();
    /** Objects deleted by another process that this one still has mapped, until it closes. */
    private final List<SharedObject> retired = new ArrayList<>();
    private final int attachedSlot;
    private volatile boolean closed;

    private Segment(
        final String name,
        final Path path,
        final FileChannel channel,
        final MappedRegion headerRegion,
        final SegmentOptions options)
    {
        this.name = name;
        this.path = path;
        this.channel = channel;
        this.headerRegion = headerRegion;
        final AtomicBuffer header = headerRegion.buffer();
        this.creator = ProcessIdentity.of(header.getLong(CREATOR_PID_OFFSET), header.getLong(CREATOR_START_TIME_OFFSET));
        this.capacity = header.getInt(DIRECTORY_CAPACITY_OFFSET);
        this.attachedSlot = attach(header);
        this.directory = new ObjectDirectory(this, channel, header, capacity, header.getLong(DATA_OFFSET_OFFSET), options,
            attachedSlot);
        if (attachedSlot >= 0)
        {
            // A previous holder's bits (a dead process's) say nothing about this one.
            directory.entries().clearSlot(attachedSlot);
        }
    }

    /**
     * Records this process in a free attached slot, or in one whose process is proven dead (the
     * caller clears its open bits); without a slot, counts an unrecorded open instead.
     *
     * @return the slot, or -1 if all are taken by live processes (the open still succeeds).
     */
    private static int attach(final AtomicBuffer header)
    {
        for (int pass = 0; pass < 2; pass++)
        {
            for (int slot = 0; slot < MAX_ATTACHED; slot++)
            {
                if (pass == 0 ? ProcessSlot.claimIfFree(header, attachedSlotOffset(slot)) :
                    ProcessSlot.takeOverFromDead(header, attachedSlotOffset(slot)))
                {
                    return slot;
                }
            }
        }
        header.getAndAddLong(UNRECORDED_OFFSET, 1);
        return -1;
    }

    /**
     * @return the live processes that have this segment open (this one included), as far as the
     * segment's {@value SegmentDescriptor#MAX_ATTACHED} slots record them.
     */
    public List<ProcessIdentity> attachedProcesses()
    {
        checkOpen();
        final AtomicBuffer header = headerRegion.buffer();
        final List<ProcessIdentity> attached = new ArrayList<>();
        for (int slot = 0; slot < MAX_ATTACHED; slot++)
        {
            final ProcessIdentity holder = ProcessSlot.liveHolder(header, attachedSlotOffset(slot));
            if (holder != null)
            {
                attached.add(holder);
            }
        }
        return attached;
    }

    /**
     * Creates a segment.
     *
     * @param name    the segment name (see {@link Names#checkSegmentName}).
     * @param options directory, size, permissions and directory capacity.
     * @return the new segment, open.
     * @throws SegmentExistsException if a file of that name exists.
     */
    public static Segment create(final String name, final SegmentOptions options)
    {
        ShmRuntime.checkJvmFlags();
        final Path path = options.directory().resolve(Names.checkSegmentName(name));
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS))
        {
            throw SegmentFiles.existsException(name, options);
        }
        final Path temporary = UnfinishedSegment.temporaryPath(options.directory(), name);
        try
        {
            // A creator of this name killed before it finished left its file: nobody else removes it.
            UnfinishedSegment.removeAbandoned(options.directory(), name);
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(options.permissions()));
            // The umask may have removed permissions that were asked for.
            Files.setPosixFilePermissions(temporary, options.permissions());
            FileSpace.allocate(temporary, options.size());
            SegmentFiles.writeHeader(temporary, options);
            Files.createLink(path, temporary);
        }
        catch (final FileAlreadyExistsException ex)
        {
            throw SegmentFiles.existsException(name, options);
        }
        catch (final NoSuchFileException ex)
        {
            throw new ShmException("segment directory " + options.directory() + " does not exist", ex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create segment '" + name + "' in " + options.directory(), ex);
        }
        finally
        {
            SegmentFiles.deleteTemporary(temporary);
        }
        return open(name, options);
    }

    /**
     * Opens an existing segment, validating it first.
     *
     * @param name    the segment name.
     * @param options the directory (other options matter only to {@link #create}).
     * @return the segment, open.
     * @throws SegmentNotFoundException if there is none of that name.
     * @throws io.shm.exceptions.InvalidSegmentException (a subclass of it) if the file is not a usable segment.
     */
    public static Segment open(final String name, final SegmentOptions options)
    {
        ShmRuntime.checkJvmFlags();
        final Path path = options.directory().resolve(Names.checkSegmentName(name));
        SegmentFiles.checkRegularFile(name, path);
        FileChannel channel = null;
        MappedRegion header = null;
        try
        {
            channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            final long dataOffset = SegmentFiles.validate(name, path, channel);
            header = MappedRegion.map(channel, 0, dataOffset);
            return new Segment(name, path, channel, header, options);
        }
        catch (final NoSuchFileException ex)
        {
            SegmentFiles.closeChannel(channel);
            throw new SegmentNotFoundException("no segment '" + name + "' in " + options.directory());
        }
        catch (final IOException ex)
        {
            SegmentFiles.closeChannel(channel);
            throw new UncheckedIOException("cannot open segment '" + name + "' at " + path, ex);
        }
        catch (final RuntimeException ex)
        {
            if (header != null)
            {
                header.close();
            }
            SegmentFiles.closeChannel(channel);
            throw ex;
        }
    }

    /**
     * Opens the segment if it exists, creates it otherwise; safe when many processes race to do it.
     *
     * @param name    the segment name.
     * @param options the options used if this call creates it.
     * @return the segment, open.
     */
    public static Segment openOrCreate(final String name, final SegmentOptions options)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return open(name, options);
            }
            catch (final SegmentNotFoundException notFound)
            {
                try
                {
                    return create(name, options);
                }
                catch (final SegmentExistsException lostRace)
                {
                    if (attempt >= OPEN_OR_CREATE_ATTEMPTS)
                    {
                        throw new ShmException("segment '" + name + "' kept appearing and disappearing in " +
                            options.directory() + " over " + attempt + " attempts to open or create it", lostRace);
                    }
                }
            }
        }
    }

    /**
     * @param name    a segment name.
     * @param options the directory.
     * @return whether a file of that name exists in the directory.
     */
    public static boolean exists(final String name, final SegmentOptions options)
    {
        return Files.exists(options.directory().resolve(Names.checkSegmentName(name)), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Removes a segment's name, as {@code shm_unlink}: processes that have it open keep using it;
     * new {@link #open} calls no longer find it.
     *
     * @param name    the segment name.
     * @param options the directory.
     * @return whether a file was removed.
     */
    public static boolean unlink(final String name, final SegmentOptions options)
    {
        try
        {
            return Files.deleteIfExists(options.directory().resolve(Names.checkSegmentName(name)));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot unlink segment '" + name + "' in " + options.directory(), ex);
        }
    }

    /**
     * Opens the named object, or creates it with {@code initializer} if it does not exist. This is
     * the primitive every typed object is built on.
     *
     * @param name        the object name.
     * @param type        its type.
     * @param length      its number of elements, at least 1.
     * @param initializer writes its initial contents when this call creates it; runs before any
     *                    other process can see the object.
     * @return the object.
     */
    public synchronized SharedObject object(
        final String name, final ObjectType type, final long length, final Consumer<SharedObject> initializer)
    {
        return lookup(name, type, length, initializer);
    }

    /**
     * Creates the named object with {@code initializer}; fails if it exists.
     *
     * @param name        the object name.
     * @param type        its type.
     * @param length      its number of elements, at least 1.
     * @param initializer writes its initial contents; runs before any other process can see it.
     * @return the object.
     * @throws ObjectExistsException if the segment already has an object of that name.
     */
    public synchronized SharedObject createObject(
        final String name, final ObjectType type, final long length, final Consumer<SharedObject> initializer)
    {
        checkOpen();
        if (objects.containsKey(name))
        {
            throw exists(name);
        }
        final SharedObject object = directory.findOrCreate(name, type, length, initializer, true);
        objects.put(name, object);
        return object;
    }

    ObjectExistsException exists(final String name)
    {
        return new ObjectExistsException("cannot create '" + name + "': segment '" + this.name +
            "' already has an object of that name");
    }

    /**
     * Opens an existing object, of whatever length it has.
     *
     * @param name the object name.
     * @param type the type it must have.
     * @return the object.
     * @throws io.shm.exceptions.UnknownObjectException if the segment has no object of that name.
     */
    public synchronized SharedObject openObject(final String name, final ObjectType type)
    {
        return lookup(name, type, -1, null);
    }

    private SharedObject lookup(
        final String name, final ObjectType type, final long length, final Consumer<SharedObject> initializer)
    {
        checkOpen();
        SharedObject known = objects.get(name);
        if (known != null && !directory.isCurrent(known))
        {
            // Deleted by another process (perhaps made again since): this process's views of the
            // old object keep working until the segment closes; the name now means what the directory says.
            objects.remove(name);
            retired.add(known);
            known = null;
        }
        if (known != null)
        {
            if (!known.type().equals(type))
            {
                throw new TypeMismatchException("object '" + name + "' of segment '" + this.name +
                    "' is a " + known.type() + ", not the " + type + " asked for");
            }
            if (length >= 0 && known.length() != length)
            {
                throw new LengthMismatchException(type.name() + " '" + name + "' of segment '" +
                    this.name + "' has length " + known.length() + ", not the " + length + " asked for");
            }
            return known;
        }
        final SharedObject object = directory.findOrCreate(name, type, length, initializer, false);
        objects.put(name, object);
        return object;
    }

    /**
     * @param name an object name.
     * @return whether the segment holds a published object of that name.
     */
    public boolean contains(final String name)
    {
        checkOpen();
        return objects().stream().anyMatch(info -> info.name().equals(name));
    }

    /**
     * @return the published objects, in creation order.
     */
    public List<ObjectInfo> objects()
    {
        checkOpen();
        return directory.list();
    }

    public String name()
    {
        return name;
    }

    public Path path()
    {
        return path;
    }

    /**
     * @return the size of the segment in bytes.
     */
    public long size()
    {
        return headerRegion.buffer().getLongVolatile(SEGMENT_SIZE_OFFSET);
    }

    /**
     * @return the most the segment may grow to, in bytes (its size if it may not grow).
     */
    public long maxSize()
    {
        return headerRegion.buffer().getLong(MAX_SIZE_OFFSET);
    }

    /**
     * @return the process that created the segment.
     */
    public ProcessIdentity creator()
    {
        return creator;
    }

    public boolean isClosed()
    {
        return closed;
    }

    /**
     * @throws IllegalStateException if the segment has been closed.
     */
    public void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("segment '" + name + "' is closed");
        }
    }

    /**
     * Unmaps the segment and every object opened through it. Idempotent.
     */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        // All objects are marked closed before any is unmapped: a thread woken from a wait on one
        // object may still touch another on its way out (a condition's waiter takes its lock back).
        final List<SharedObject> all = new ArrayList<>(objects.values());
        all.addAll(retired);
        for (final SharedObject object : all)
        {
            object.markClosed();
        }
        final long deadline = System.nanoTime() + SharedObject.CLOSE_GRACE_NANOS;
        boolean left = true;
        for (final SharedObject object : all)
        {
            left &= object.awaitSleepers(deadline);
        }
        if (left)
        {
            all.forEach(SharedObject::unmap);
        }
        objects.clear();
        retired.clear();
        final AtomicBuffer header = headerRegion.buffer();
        if (attachedSlot < 0)
        {
            header.getAndAddLong(UNRECORDED_OFFSET, -1);
        }
        else if (left)
        {
            directory.entries().clearSlot(attachedSlot);
            ProcessSlot.release(header, attachedSlotOffset(attachedSlot));
        }
        // Else a waiter still has an object mapped: the slot and its bits stay until this process
        // exits, so no deleter frees what it may still touch.
        if (left)
        {
            directory.entries().close();
        }
        headerRegion.close();
        SegmentFiles.closeChannel(channel);
    }

    /**
     * Deletes the named object and its companions ({@link Companion}): their names are gone at once
     * (a later create of the name makes a new object), and each one's space is freed for later
     * objects as soon as no other live process has it mapped, at once if none has. This process's
     * own mapping is closed first: its views of the object throw {@link IllegalStateException}
     * afterwards, as after {@link #close()}. Another process keeps its mapping, and its views keep
     * working, until it closes the segment (or the object, {@link #closeObject}); the space is then
     * freed by the next create in the segment.
     *
     * @param name the object's name.
     * @return what was deleted and whether its space is free yet.
     * @throws io.shm.exceptions.UnknownObjectException if the segment has no object of that name.
     */
    public synchronized Deletion delete(final String name)
    {
        checkOpen();
        final List<String> companions = new ArrayList<>();
        for (final ObjectInfo info : objects())
        {
            if (Companion.isCompanionOf(info.name(), name))
            {
                companions.add(info.name());
            }
        }
        closeObject(name);
        Deletion deletion = directory.delete(name);
        for (final String companion : companions)
        {
            closeObject(companion);
            // Null if another process deleted it meanwhile: gone either way.
            final Deletion part = directory.delete(companion);
            if (part != null)
            {
                deletion = deletion == null ? new Deletion(name, part.bytes(), part.freed(), part.mappedBy(),
                    part.unrecordedOpens()) : deletion.and(part);
            }
        }
        if (deletion == null)
        {
            throw new UnknownObjectException("segment '" + this.name + "' has no object named '" + name + "'");
        }
        return deletion;
    }

    /**
     * Closes this process's mapping of an object, if it has one: its views throw
     * {@link IllegalStateException} afterwards, and the object, if deleted, no longer counts as
     * mapped by this process. The object itself stays in the segment.
     *
     * @param name the object's name.
     */
    public synchronized void closeObject(final String name)
    {
        final SharedObject object = objects.remove(name);
        if (object == null)
        {
            return;
        }
        object.markClosed();
        if (object.awaitSleepers(System.nanoTime() + SharedObject.CLOSE_GRACE_NANOS))
        {
            object.unmap();
            directory.setOpenBit(object.entry(), false);
        }
        // Else a thread still sleeps in it: it stays mapped and counted as mapped here.
    }

    /**
     * @return the segment's space: its size and maximum, the free bytes at its end and in the
     * holes deleted objects left, and the deleted objects still mapped by some process.
     */
    public Space space()
    {
        checkOpen();
        return directory.space();
    }

    /**
     * What {@link #delete} did.
     *
     * @param name            the object deleted.
     * @param bytes           its size with its companions', headers included.
     * @param freed           whether its space is already free for later objects.
     * @param mappedBy        the live processes that still have it mapped (its space is freed once
     *                        none has); empty if it was freed.
     * @param unrecordedOpens whether processes without an attached slot might have it mapped, so
     *                        its space stays reserved while any of them has the segment open.
     */
    public record Deletion(String name, long bytes, boolean freed, List<ProcessIdentity> mappedBy,
        boolean unrecordedOpens)
    {
        Deletion and(final Deletion companion)
        {
            final List<ProcessIdentity> all = new ArrayList<>(mappedBy);
            companion.mappedBy().stream().filter(holder -> !all.contains(holder)).forEach(all::add);
            return new Deletion(name, bytes + companion.bytes(), freed && companion.freed(), List.copyOf(all),
                unrecordedOpens || companion.unrecordedOpens());
        }
    }

    /**
     * A segment's space.
     *
     * @param size               its size in bytes.
     * @param maxSize            the most it may grow to.
     * @param freeAtEnd          the bytes after the last object.
     * @param freeInHoles        the bytes deleted objects left, free for later objects.
     * @param holes              how many such holes there are.
     * @param largestHole        the largest of them.
     * @param deletedStillMapped deleted objects still mapped by some process, described.
     */
    public record Space(long size, long maxSize, long freeAtEnd, long freeInHoles, int holes, long largestHole,
        List<String> deletedStillMapped)
    {
        /**
         * @return the share of the free bytes that lie in holes too small for the largest: 0 when
         * all free space is one piece.
         */
        public double fragmentation()
        {
            final long free = freeAtEnd + freeInHoles;
            return free == 0 ? 0 : 1 - (double)Math.max(freeAtEnd, largestHole) / free;
        }
    }

    @Override
    public String toString()
    {
        return "Segment{name='" + name + "', path=" + path + ", size=" + (closed ? "closed" : size()) + ", creator=" +
            creator + "}";
    }

    /**
     * A published object as the directory lists it.
     *
     * @param name   the object name.
     * @param typeId its type id.
     * @param length its number of elements.
     * @param offset its offset in the segment.
     * @param bytes  its size in bytes, header included.
     */
    public record ObjectInfo(String name, int typeId, long length, long offset, long bytes)
    {
    }
}
