package io.shm.segment;

import io.shm.exceptions.ShmException;
import io.shm.process.ProcessIdentity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A segment file that its creator has not finished: the temporary name
 * {@code .<name>.creating-<pid>-<start time>-<random>} that {@link Segment#create} builds a
 * segment under before it links it to its name. A creator killed before that step leaves the file
 * behind, empty or at its full size, and tmpfs keeps it in RAM until someone removes it.
 * <p>
 * The name records the creator's pid and start time, so a leftover is removed only when its
 * creator is proven dead ({@link ProcessIdentity#isAlive(long, long)}); a live creator's file,
 * even a stopped one's, is never touched. {@link Segment#create} removes dead creators' leftovers
 * of the name it creates, and {@code scripts/shm.sh list} and {@code clean} show and remove all of them.
 *
 * @param path      the file.
 * @param name      the segment it was to become.
 * @param creator   the process that was creating it.
 * @param bytes     the file's length now.
 */
public record UnfinishedSegment(Path path, String name, ProcessIdentity creator, long bytes)
{
    private static final String MARK = ".creating-";

    /**
     * @param directory the segment directory.
     * @param name      a valid segment name.
     * @return a fresh temporary path for this process to create {@code name} under.
     */
    static Path temporaryPath(final Path directory, final String name)
    {
        final ProcessIdentity self = ProcessIdentity.current();
        return directory.resolve("." + name + MARK + self.pid() + "-" + self.startTime() + "-" +
            Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1));
    }

    /**
     * Reads a file name as an unfinished segment's.
     *
     * @param path a file in a segment directory.
     * @return the leftover it names, or empty if the name is not one of ours.
     */
    public static Optional<UnfinishedSegment> parse(final Path path)
    {
        final String file = path.getFileName().toString();
        final int mark = file.lastIndexOf(MARK);
        if (!file.startsWith(".") || mark < 2)
        {
            return Optional.empty();
        }
        final String name = file.substring(1, mark);
        final String[] fields = file.substring(mark + MARK.length()).split("-", -1);
        if (fields.length != 3 || !Names.isValidSegmentName(name))
        {
            return Optional.empty();
        }
        try
        {
            final long pid = Long.parseLong(fields[0]);
            final long startTime = Long.parseLong(fields[1]);
            Long.parseLong(fields[2], 16);
            if (pid <= 0 || startTime <= 0)
            {
                return Optional.empty();
            }
            final long bytes = Files.size(path);
            return Optional.of(new UnfinishedSegment(path, name, ProcessIdentity.of(pid, startTime), bytes));
        }
        catch (final NumberFormatException notOurs)
        {
            return Optional.empty();
        }
        catch (final NoSuchFileException finished)
        {
            // Its creator linked or removed it while we looked.
            return Optional.empty();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read the size of " + path, ex);
        }
    }

    /**
     * @param directory a segment directory.
     * @return the unfinished segments in it, by file name.
     */
    public static List<UnfinishedSegment> list(final Path directory)
    {
        final List<UnfinishedSegment> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory))
        {
            files.filter(file -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
                .sorted(Comparator.comparing(Path::getFileName))
                .forEach(file -> parse(file).ifPresent(found::add));
        }
        catch (final NoSuchFileException ex)
        {
            throw new ShmException("segment directory " + directory + " does not exist", ex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list " + directory, ex);
        }
        return found;
    }

    /**
     * Removes the unfinished segments of {@code directory} whose creators are proven dead.
     *
     * @param directory a segment directory.
     * @param name      only leftovers of this segment name, or null for all.
     * @return the leftovers removed.
     */
    public static List<UnfinishedSegment> removeAbandoned(final Path directory, final String name)
    {
        final List<UnfinishedSegment> removed = new ArrayList<>();
        for (final UnfinishedSegment leftover : list(directory))
        {
            if ((name == null || leftover.name.equals(name)) && leftover.isAbandoned() && leftover.remove())
            {
                removed.add(leftover);
            }
        }
        return removed;
    }

    /**
     * @return whether its creator is proven dead, so that nobody will ever finish it.
     */
    public boolean isAbandoned()
    {
        return !creator.isAlive();
    }

    private boolean remove()
    {
        try
        {
            return Files.deleteIfExists(path);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot remove the unfinished segment " + path, ex);
        }
    }
}
