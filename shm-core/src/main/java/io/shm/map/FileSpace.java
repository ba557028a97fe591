package io.shm.map;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import io.shm.exceptions.InsufficientSpaceException;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Gives a new file its length with the space behind it, so that a full file system fails here
 * with an exception rather than later, when a page of the mapping is first touched, with SIGBUS.
 * <p>
 * On Linux this is {@code posix_fallocate} (called through JNA direct mapping), which reserves
 * every block, on tmpfs as on disk. Elsewhere, or where the file system cannot preallocate, the
 * free space is checked and the file is extended sparsely: the check is the best a portable
 * program can do.
 */
public final class FileSpace
{
    private static final int O_RDWR = 2;
    private static final int EOPNOTSUPP = 95;
    private static final int ENOSPC = 28;

    private FileSpace()
    {
    }

    /**
     * Extends a file (new and empty, or a segment growing) to {@code size} bytes of reserved, zeroed space.
     *
     * @param file the file, created by the caller.
     * @param size the length to give it.
     * @throws InsufficientSpaceException if the file system cannot hold it.
     */
    public static void allocate(final Path file, final long size)
    {
        if (Libc.AVAILABLE)
        {
            final int fd = Libc.open(file.toString(), O_RDWR, 0);
            if (fd < 0)
            {
                throw new UncheckedIOException(new IOException("cannot open " + file + ": errno " + Native.getLastError()));
            }
            final int error;
            try
            {
                error = Libc.posix_fallocate(fd, 0, size);
            }
            finally
            {
                Libc.close(fd);
            }
            if (error == 0)
            {
                return;
            }
            if (error == ENOSPC)
            {
                throw insufficient(file, size, "no space left on device");
            }
            if (error != EOPNOTSUPP)
            {
                throw new UncheckedIOException(new IOException("posix_fallocate of " + size + " bytes for " + file +
                    " failed with errno " + error));
            }
        }
        extendSparse(file, size);
    }

    private static void extendSparse(final Path file, final long size)
    {
        try
        {
            final long usable = Files.getFileStore(file).getUsableSpace();
            if (usable < size)
            {
                throw insufficient(file, size, usable + " bytes usable");
            }
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
            {
                raf.setLength(size);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot extend " + file + " to " + size + " bytes", ex);
        }
    }

    private static InsufficientSpaceException insufficient(final Path file, final long size, final String why)
    {
        return new InsufficientSpaceException("cannot allocate " + size + " bytes for segment file " +
            file.getFileName() + " in " + file.getParent() + ": " + why);
    }

    /**
     * The C library, bound by JNA direct mapping; absent where JNA cannot load it.
     */
    private static final class Libc
    {
        static final boolean AVAILABLE;

        static
        {
            boolean available = false;
            if (Platform.isLinux())
            {
                try
                {
                    Native.register(Platform.C_LIBRARY_NAME);
                    available = true;
                }
                catch (final UnsatisfiedLinkError | NoClassDefFoundError ex)
                {
                    available = false;
                }
            }
            AVAILABLE = available;
        }

        static native int open(String path, int flags, int mode);

        static native int posix_fallocate(int fd, long offset, long length);

        static native int close(int fd);
    }
}
