package io.shm.test;

import io.shm.process.JvmProcess;
import io.shm.segment.Segment;
import io.shm.segment.SegmentOptions;
import io.shm.wait.WaitStrategy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The arguments of a test's child JVM: the segment directory and segment name of the test, then
 * the scenario's own. A scenario is a class nested in its test, whose {@code main} begins with
 * {@code try (ChildArgs child = ChildArgs.open(args))}: a test and the code of its children read
 * in one file.
 */
public final class ChildArgs implements AutoCloseable
{
    private final Segment segment;
    private final String[] rest;

    private ChildArgs(final Segment segment, final String[] rest)
    {
        this.segment = segment;
        this.rest = rest;
    }

    /**
     * A child JVM running {@code scenario} on the segment {@code name} of {@code segments}, its
     * output captured; the caller may add JVM flags or a CPU, then starts it.
     *
     * @param args the scenario's own arguments.
     */
    public static JvmProcess.Builder child(final Class<?> scenario, final TestSegments segments, final String name,
        final String... args)
    {
        final List<String> all = new ArrayList<>(List.of(segments.directory().toString(), name));
        all.addAll(List.of(args));
        return JvmProcess.builder(scenario).args(all.toArray(String[]::new)).captureOutput();
    }

    /**
     * Opens the test's segment, which must exist.
     */
    public static ChildArgs open(final String[] args)
    {
        return new ChildArgs(Segment.open(args[1], options(args)), Arrays.copyOfRange(args, 2, args.length));
    }

    /**
     * Opens the test's segment, or creates it if it does not exist yet.
     */
    public static ChildArgs openOrCreate(final String[] args)
    {
        return new ChildArgs(Segment.openOrCreate(args[1], options(args)), Arrays.copyOfRange(args, 2, args.length));
    }

    /**
     * @return default segment options in the test's directory, for a scenario that opens or creates
     *         the segment {@code args[1]} itself.
     */
    public static SegmentOptions options(final String[] args)
    {
        return SegmentOptions.defaults().withDirectory(Path.of(args[0]));
    }

    public Segment segment()
    {
        return segment;
    }

    /**
     * @return the scenario's argument {@code index}.
     */
    public String get(final int index)
    {
        return rest[index];
    }

    /**
     * @return whether there is a scenario argument {@code index}.
     */
    public boolean has(final int index)
    {
        return index < rest.length;
    }

    public int getInt(final int index)
    {
        return Integer.parseInt(rest[index]);
    }

    public long getLong(final int index)
    {
        return Long.parseLong(rest[index]);
    }

    /**
     * @return the wait strategy named by argument {@code index}: {@code futex} or {@code portable}.
     */
    public WaitStrategy strategy(final int index)
    {
        return switch (rest[index])
        {
            case "futex" -> WaitStrategy.futex();
            case "portable" -> WaitStrategy.portable();
            default -> throw new IllegalArgumentException("unknown wait strategy " + rest[index]);
        };
    }

    @Override
    public void close()
    {
        segment.close();
    }
}
