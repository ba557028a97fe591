package io.shm.segment;

import io.shm.exceptions.CorruptSegmentException;
import io.shm.exceptions.EmptySegmentException;
import io.shm.exceptions.NotARegularFileException;
import io.shm.exceptions.NotASegmentException;
import io.shm.exceptions.SegmentExistsException;
import io.shm.exceptions.SegmentNotFoundException;
import io.shm.exceptions.SymbolicLinkException;
import io.shm.exceptions.TruncatedSegmentException;
import io.shm.exceptions.UnsupportedLayoutVersionException;
import io.shm.map.MappedRegion;
import io.shm.process.ProcessIdentity;
import org.agrona.concurrent.AtomicBuffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import static io.shm.segment.SegmentDescriptor.*;

/**
 * The file side of a {@link Segment}: writing a new segment's header into its temporary file,
 * and checking an existing file (a regular file, not a link; its header read plainly and
 * validated against its real length) before anything is mapped.
 */
final class SegmentFiles
{
    private SegmentFiles()
    {
    }

    static void writeHeader(final Path file, final SegmentOptions options) throws IOException
    {
        final ProcessIdentity self = ProcessIdentity.current();
        final long dataOffset = dataOffset(options.directoryCapacity());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            MappedRegion region = MappedRegion.map(channel, 0, HEADER_LENGTH))
        {
            final AtomicBuffer header = region.buffer();
            header.putLong(MAGIC_OFFSET, MAGIC);
            header.putInt(LAYOUT_VERSION_OFFSET, LAYOUT_VERSION);
            header.putLong(SEGMENT_SIZE_OFFSET, options.size());
            header.putLong(CREATOR_PID_OFFSET, self.pid());
            header.putLong(CREATOR_START_TIME_OFFSET, self.startTime());
            header.putLong(CREATED_AT_OFFSET, System.currentTimeMillis());
            header.putInt(DIRECTORY_OFFSET_OFFSET, HEADER_LENGTH);
            header.putInt(DIRECTORY_CAPACITY_OFFSET, options.directoryCapacity());
            header.putLong(DATA_OFFSET_OFFSET, dataOffset);
            header.putLong(ALLOCATION_CURSOR_OFFSET, dataOffset);
            header.putLong(MAX_SIZE_OFFSET, options.maxSize());
            header.putLong(HIGH_WATER_OFFSET, dataOffset);
            // Published last: a reader that sees READY sees every field above.
            header.putIntRelease(STATE_OFFSET, STATE_READY);
        }
    }

    static void checkRegularFile(final String name, final Path path)
    {
        final BasicFileAttributes attributes;
        try
        {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }
        catch (final NoSuchFileException ex)
        {
            throw new SegmentNotFoundException("no segment '" + name + "' in " + path.getParent());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read the attributes of " + path, ex);
        }
        if (attributes.isSymbolicLink())
        {
            throw new SymbolicLinkException("segment '" + name + "' at " + path + " is a symbolic link; " +
                "segments are not opened through links");
        }
        if (!attributes.isRegularFile())
        {
            throw new NotARegularFileException("segment '" + name + "' at " + path + " is " +
                (attributes.isDirectory() ? "a directory" : "not a regular file"));
        }
    }

    /**
     * Reads the header with a plain read and checks it against the file's real length.
     *
     * @return the data offset, the length of the header and directory to map.
     */
    static long validate(final String name, final Path path, final FileChannel channel) throws IOException
    {
        final long fileLength = channel.size();
        final String what = "segment '" + name + "' at " + path;
        if (fileLength == 0)
        {
            throw new EmptySegmentException(what + " is an empty file");
        }
        final ByteBuffer bytes = ByteBuffer.allocate((int)Math.min(fileLength, HEADER_LENGTH)).order(ByteOrder.nativeOrder());
        while (bytes.hasRemaining() && channel.read(bytes, bytes.position()) >= 0)
        {
            // Read until the buffer is full or the file ends.
        }
        if (bytes.position() < Long.BYTES || bytes.getLong(MAGIC_OFFSET) != MAGIC)
        {
            throw new NotASegmentException(what + " is not an shm segment (bad magic)");
        }
        if (bytes.position() < ALLOCATION_CURSOR_OFFSET + Long.BYTES || fileLength < HEADER_LENGTH)
        {
            throw new TruncatedSegmentException(what + " is " + fileLength + " bytes, shorter than its " +
                HEADER_LENGTH + "-byte header");
        }
        final int version = bytes.getInt(LAYOUT_VERSION_OFFSET);
        if (version != LAYOUT_VERSION)
        {
            throw new UnsupportedLayoutVersionException(what + " has layout version " + version +
                "; this library reads version " + LAYOUT_VERSION);
        }
        final int state = bytes.getInt(STATE_OFFSET);
        if (state != STATE_READY)
        {
            throw new CorruptSegmentException(what + " has state " + state + ", expected " + STATE_READY + " (ready)");
        }
        final long declaredSize = bytes.getLong(SEGMENT_SIZE_OFFSET);
        if (declaredSize > fileLength)
        {
            throw new TruncatedSegmentException(what + " is " + fileLength + " bytes but its header says " + declaredSize);
        }
        final int directoryOffset = bytes.getInt(DIRECTORY_OFFSET_OFFSET);
        final int capacity = bytes.getInt(DIRECTORY_CAPACITY_OFFSET);
        final long dataOffset = bytes.getLong(DATA_OFFSET_OFFSET);
        if (directoryOffset != HEADER_LENGTH || capacity < 1 || capacity > MAX_DIRECTORY_CAPACITY ||
            dataOffset != dataOffset(capacity) || dataOffset > declaredSize || bytes.getLong(MAX_SIZE_OFFSET) < declaredSize)
        {
            throw new CorruptSegmentException(what + " has an inconsistent header: directory at " + directoryOffset +
                " with " + capacity + " entries, data at " + dataOffset + ", size " + declaredSize);
        }
        return dataOffset;
    }

    static SegmentExistsException existsException(final String name, final SegmentOptions options)
    {
        return new SegmentExistsException("segment '" + name + "' already exists in " + options.directory());
    }

    static void deleteTemporary(final Path path)
    {
        try
        {
            Files.deleteIfExists(path);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot remove temporary file " + path, ex);
        }
    }

    static void closeChannel(final FileChannel channel)
    {
        if (channel != null)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot close segment file", ex);
            }
        }
    }
}
