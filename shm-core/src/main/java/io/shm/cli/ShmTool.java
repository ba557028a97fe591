package io.shm.cli;

import io.shm.exceptions.ShmException;
import io.shm.process.ProcessIdentity;
import io.shm.segment.Names;
import io.shm.segment.Segment;
import io.shm.segment.SegmentOptions;
import io.shm.segment.UnfinishedSegment;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Lists, shows and cleans up segments; {@code scripts/shm.sh} runs it.
 * <pre>
 * ShmTool list  [--dir DIR]        segments in DIR (default /dev/shm): size, creator, processes attached, objects;
 *                                  then unfinished segments (a creator's temporary file) and whether the creator lives
 * ShmTool show  NAME [--dir DIR]   the objects of a segment: name, type, length, bytes; its free space,
 *                                  fragmentation, and deleted objects some process still has mapped
 * ShmTool clean [--dir DIR]        removes the segments no live process has open, and the unfinished
 *                                  segments whose creator is proven dead
 * ShmTool rm    NAME [--dir DIR]   removes a segment's name
 * </pre>
 * A segment counts as in use while a live process is recorded in its attached slots; this tool's
 * own attachment, while it looks, does not count.
 */
public final class ShmTool
{
    private ShmTool()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * @return the exit code: 0 done, 1 failed, 2 bad usage.
     */
    static int run(final String[] args, final PrintStream out, final PrintStream err) throws IOException
    {
        if (args.length == 0)
        {
            return usage(err);
        }
        SegmentOptions options = SegmentOptions.defaults();
        String name = null;
        for (int i = 1; i < args.length; i++)
        {
            if (args[i].equals("--dir") && i + 1 < args.length)
            {
                options = options.withDirectory(Path.of(args[++i]));
            }
            else if (name == null)
            {
                name = args[i];
            }
            else
            {
                return usage(err);
            }
        }
        try
        {
            switch (args[0])
            {
                case "list" -> list(options, out);
                case "show" -> show(required(name), options, out);
                case "clean" -> clean(options, out);
                case "rm" -> out.println(Segment.unlink(required(name), options) ? "removed " + name : "no segment " + name);
                default ->
                {
                    return usage(err);
                }
            }
            return 0;
        }
        catch (final ShmException | IllegalArgumentException ex)
        {
            err.println(ex.getMessage());
            return 1;
        }
    }

    private static String required(final String name)
    {
        if (name == null)
        {
            throw new IllegalArgumentException("a segment name is needed");
        }
        return name;
    }

    private static int usage(final PrintStream err)
    {
        err.println("usage: shm list | show NAME | clean | rm NAME   [--dir DIR]");
        return 2;
    }

    private static void list(final SegmentOptions options, final PrintStream out) throws IOException
    {
        out.printf("%-40s %12s %-28s %8s %7s%n", "segment", "bytes", "creator", "attached", "objects");
        for (final String name : candidates(options))
        {
            try (Segment segment = Segment.open(name, options))
            {
                final ProcessIdentity creator = segment.creator();
                out.printf("%-40s %12d %-28s %8d %7d%n", name, segment.size(),
                    creator.pid() + (creator.isAlive() ? " (running)" : " (gone)"), others(segment), segment.objects().size());
            }
            catch (final ShmException notOurs)
            {
                out.printf("%-40s not a usable segment: %s%n", name, notOurs.getClass().getSimpleName());
            }
        }
        for (final UnfinishedSegment leftover : UnfinishedSegment.list(options.directory()))
        {
            out.printf("%-40s %12d unfinished, creator %d %s: %s%n", leftover.name(), leftover.bytes(),
                leftover.creator().pid(), leftover.isAbandoned() ? "dead" : "alive", leftover.path().getFileName());
        }
    }

    private static void show(final String name, final SegmentOptions options, final PrintStream out)
    {
        try (Segment segment = Segment.open(name, options))
        {
            out.printf("%-40s %8s %14s %14s%n", "object", "type", "length", "bytes");
            for (final Segment.ObjectInfo object : segment.objects())
            {
                out.printf("%-40s %8d %14d %14d%n", object.name(), object.typeId(), object.length(), object.bytes());
            }
            final Segment.Space space = segment.space();
            out.printf("size %d bytes (may grow to %d); free: %d at the end, %d in %d holes deleted objects left " +
                "(largest %d); fragmentation %.2f%n", space.size(), space.maxSize(), space.freeAtEnd(), space.freeInHoles(),
                space.holes(), space.largestHole(), space.fragmentation());
            for (final String deleted : space.deletedStillMapped())
            {
                out.println("deleted, still mapped: " + deleted);
            }
        }
    }

    private static void clean(final SegmentOptions options, final PrintStream out) throws IOException
    {
        int removed = 0;
        for (final String name : candidates(options))
        {
            final boolean unused;
            try (Segment segment = Segment.open(name, options))
            {
                unused = others(segment) == 0;
            }
            catch (final ShmException notOurs)
            {
                continue;
            }
            if (unused && Segment.unlink(name, options))
            {
                out.println("removed " + name);
                removed++;
            }
        }
        out.println(removed + " segment(s) removed");
        long freed = 0;
        final List<UnfinishedSegment> leftovers = UnfinishedSegment.removeAbandoned(options.directory(), null);
        for (final UnfinishedSegment leftover : leftovers)
        {
            out.println("removed unfinished " + leftover.path().getFileName() + " (creator " +
                leftover.creator().pid() + " dead, " + leftover.bytes() + " bytes)");
            freed += leftover.bytes();
        }
        out.println(leftovers.size() + " unfinished segment(s) removed, " + freed + " bytes freed");
    }

    /**
     * @return the live processes attached to the segment, not counting this one.
     */
    private static long others(final Segment segment)
    {
        final long self = ProcessIdentity.current().pid();
        return segment.attachedProcesses().stream().filter(process -> process.pid() != self).count();
    }

    /**
     * @return the regular files of the directory whose names could be segments.
     */
    private static List<String> candidates(final SegmentOptions options) throws IOException
    {
        try (Stream<Path> files = Files.list(options.directory()))
        {
            return files.filter(Files::isRegularFile).map(path -> path.getFileName().toString())
                .filter(Names::isValidSegmentName).sorted().toList();
        }
    }
}
