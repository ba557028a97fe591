package io.shm.segment;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * How a segment is created and opened. Immutable; each {@code withX} returns a checked copy.
 * <pre>{@code
 * SegmentOptions options = SegmentOptions.defaults()
 *     .withDirectory(Path.of("/dev/shm"))
 *     .withSize(64 << 20)
 *     .withPermissions("rw-rw----");
 * }</pre>
 * Defaults: directory {@code /dev/shm} (RAM), size 1 MiB, permissions {@code rw-------} (owner
 * only), 256 directory entries, 5 s for a reserved directory entry to be published.
 */
public final class SegmentOptions
{
    /**
     * Smallest segment: the header page, the directory and one page of data.
     */
    public static final long MIN_SIZE = 3 * SegmentDescriptor.HEADER_LENGTH;

    public static final Path DEFAULT_DIRECTORY = Path.of("/dev/shm");
    public static final long DEFAULT_SIZE = 1 << 20;
    public static final String DEFAULT_PERMISSIONS = "rw-------";
    public static final int DEFAULT_DIRECTORY_CAPACITY = 256;
    public static final Duration DEFAULT_RESERVATION_TIMEOUT = Duration.ofSeconds(5);

    private static final SegmentOptions DEFAULTS = new SegmentOptions(
        DEFAULT_DIRECTORY, DEFAULT_SIZE, PosixFilePermissions.fromString(DEFAULT_PERMISSIONS),
        DEFAULT_DIRECTORY_CAPACITY, DEFAULT_RESERVATION_TIMEOUT, name -> {}, 0);

    private final Path directory;
    private final long size;
    private final Set<PosixFilePermission> permissions;
    private final int directoryCapacity;
    private final Duration reservationTimeout;
    private final Consumer<String> reservationHook;
    private final long maxSize;

    private SegmentOptions(
        final Path directory,
        final long size,
        final Set<PosixFilePermission> permissions,
        final int directoryCapacity,
        final Duration reservationTimeout,
        final Consumer<String> reservationHook,
        final long maxSize)
    {
        this.maxSize = maxSize;
        this.directory = directory;
        this.size = size;
        this.permissions = Set.copyOf(permissions);
        this.directoryCapacity = directoryCapacity;
        this.reservationTimeout = reservationTimeout;
        this.reservationHook = reservationHook;
    }

    /**
     * @return the default options.
     */
    public static SegmentOptions defaults()
    {
        return DEFAULTS;
    }

    /**
     * @param directory the directory segment files live in.
     * @return a copy with that directory.
     */
    public SegmentOptions withDirectory(final Path directory)
    {
        return new SegmentOptions(Objects.requireNonNull(directory, "directory"), size, permissions,
            directoryCapacity, reservationTimeout, reservationHook, maxSize);
    }

    /**
     * @param size the size of a segment this creates, in bytes; it may exceed 2 GiB.
     * @return a copy with that size.
     */
    public SegmentOptions withSize(final long size)
    {
        final long dataOffset = SegmentDescriptor.dataOffset(directoryCapacity);
        if (size < Math.max(MIN_SIZE, dataOffset + SegmentDescriptor.HEADER_LENGTH))
        {
            throw new IllegalArgumentException("segment size " + size + " is too small: it must hold the header, " +
                directoryCapacity + " directory entries and a page of data, at least " +
                Math.max(MIN_SIZE, dataOffset + SegmentDescriptor.HEADER_LENGTH) + " bytes");
        }
        return new SegmentOptions(directory, size, permissions, directoryCapacity, reservationTimeout, reservationHook, maxSize);
    }

    /**
     * @param maxSize the most a segment this creates may grow to, in bytes: when an object does not
     *                fit, the segment's file is extended (at least doubling) up to this, and
     *                objects already mapped stay where they are. At most its size means it does not grow.
     * @return a copy with that maximum.
     */
    public SegmentOptions withMaxSize(final long maxSize)
    {
        if (maxSize < 0)
        {
            throw new IllegalArgumentException("maximum segment size must not be negative: " + maxSize);
        }
        return new SegmentOptions(directory, size, permissions, directoryCapacity, reservationTimeout, reservationHook, maxSize);
    }

    /**
     * @return the most a segment this creates may grow to: its size unless {@link #withMaxSize} asked for more.
     */
    public long maxSize()
    {
        return Math.max(size, maxSize);
    }

    /**
     * @param permissions the permissions of a segment file this creates, e.g. {@code "rw-rw----"}.
     * @return a copy with those permissions.
     */
    public SegmentOptions withPermissions(final String permissions)
    {
        return withPermissions(PosixFilePermissions.fromString(permissions));
    }

    /**
     * @param permissions the permissions of a segment file this creates; they must include owner read and write.
     * @return a copy with those permissions.
     */
    public SegmentOptions withPermissions(final Set<PosixFilePermission> permissions)
    {
        if (!permissions.contains(PosixFilePermission.OWNER_READ) || !permissions.contains(PosixFilePermission.OWNER_WRITE))
        {
            throw new IllegalArgumentException("segment permissions must let the owner read and write: " +
                PosixFilePermissions.toString(permissions));
        }
        return new SegmentOptions(directory, size, permissions, directoryCapacity, reservationTimeout, reservationHook, maxSize);
    }

    /**
     * @param directoryCapacity how many named objects a segment this creates can hold.
     * @return a copy with that capacity; the size grows if the directory would not fit.
     */
    public SegmentOptions withDirectoryCapacity(final int directoryCapacity)
    {
        if (directoryCapacity < 1 || directoryCapacity > SegmentDescriptor.MAX_DIRECTORY_CAPACITY)
        {
            throw new IllegalArgumentException("directory capacity must be 1 to " +
                SegmentDescriptor.MAX_DIRECTORY_CAPACITY + ": " + directoryCapacity);
        }
        final long minSize = SegmentDescriptor.dataOffset(directoryCapacity) + SegmentDescriptor.HEADER_LENGTH;
        return new SegmentOptions(directory, Math.max(size, minSize), permissions, directoryCapacity,
            reservationTimeout, reservationHook, maxSize);
    }

    /**
     * @param timeout how long an opener waits for a directory entry that a live process reserved
     *                to be published, before it fails with a {@code ReservationTimeoutException}.
     * @return a copy with that timeout.
     */
    public SegmentOptions withReservationTimeout(final Duration timeout)
    {
        if (timeout.isNegative())
        {
            throw new IllegalArgumentException("reservation timeout must not be negative: " + timeout);
        }
        return new SegmentOptions(directory, size, permissions, directoryCapacity, timeout, reservationHook, maxSize);
    }

    /**
     * A hook called with the object's name after this process has reserved a directory entry and
     * before it publishes the object. Meant for fault-injection tests (a child that stops or dies
     * there); the default does nothing.
     *
     * @param hook the hook.
     * @return a copy with that hook.
     */
    public SegmentOptions withReservationHook(final Consumer<String> hook)
    {
        return new SegmentOptions(directory, size, permissions, directoryCapacity, reservationTimeout,
            Objects.requireNonNull(hook, "hook"), maxSize);
    }

    public Path directory()
    {
        return directory;
    }

    public long size()
    {
        return size;
    }

    public Set<PosixFilePermission> permissions()
    {
        return permissions;
    }

    public int directoryCapacity()
    {
        return directoryCapacity;
    }

    public Duration reservationTimeout()
    {
        return reservationTimeout;
    }

    Consumer<String> reservationHook()
    {
        return reservationHook;
    }

    @Override
    public String toString()
    {
        return "SegmentOptions{directory=" + directory + ", size=" + size + ", permissions=" +
            PosixFilePermissions.toString(permissions) + ", directoryCapacity=" + directoryCapacity +
            ", reservationTimeout=" + reservationTimeout + "}";
    }
}
