package io.shm.test;

import io.shm.segment.SegmentOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A private segment directory for one test: a fresh directory under {@code /dev/shm} (the real
 * tmpfs the library targets), removed with everything in it when the test ends. Segment names made
 * by {@link #name(String)} are unique, so tests never see each other's segments.
 */
public final class TestSegments implements AutoCloseable
{
    private static final Path ROOT = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") :
        Path.of(System.getProperty("java.io.tmpdir"));
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final Path directory;

    public TestSegments()
    {
        try
        {
            directory = Files.createTempDirectory(ROOT, "shm-test-");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * @return the directory segments are made in.
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * @return default options with this test's directory.
     */
    public SegmentOptions options()
    {
        return SegmentOptions.defaults().withDirectory(directory);
    }

    /**
     * @param prefix a readable prefix.
     * @return a segment name unique in this JVM.
     */
    public String name(final String prefix)
    {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    }

    /**
     * Removes the directory and every segment in it.
     */
    @Override
    public void close()
    {
        try (Stream<Path> paths = Files.walk(directory))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(path ->
            {
                try
                {
                    Files.deleteIfExists(path);
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            });
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
