package io.shm.test;

import io.shm.exceptions.TypeMismatchException;
import io.shm.process.ProcessIdentity;
import io.shm.segment.Segment;
import io.shm.segment.SegmentOptions;
import io.shm.value.IntArray;
import io.shm.value.LongValue;
import io.shm.value.IntValue;
import io.shm.value.DoubleValue;
import io.shm.value.BytesValue;
import io.shm.value.DoubleArray;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The child JVM of the core's cross-process tests. {@code main(command, directory, segment, ...)}.
 */
public final class CoreChild
{
    /**
     * Contents of the string a writer child stores: note the NUL, which must survive.
     */
    public static final byte[] BYTES = "h\u00e9llo\0world".getBytes(StandardCharsets.UTF_8);

    private CoreChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final String command = args[0];
        final SegmentOptions options = SegmentOptions.defaults().withDirectory(Path.of(args[1]));
        final String segmentName = args[2];
        switch (command)
        {
            case "write" -> write(options, segmentName);
            case "race" -> race(options, segmentName, Integer.parseInt(args[3]), Path.of(args[4]));
            case "reserve-and-hang" -> reserveAndHang(options, segmentName, args[3]);
            case "open" -> Segment.open(segmentName, options).close();
            case "hold" -> hold(options, segmentName);
            case "create-loop" -> createLoop(options.withSize(Long.parseLong(args[3])), segmentName);
            default -> throw new IllegalArgumentException("unknown command " + command);
        }
    }

    /**
     * Creates and unlinks the segment until killed: most of each round is spent giving the
     * unfinished file its space, so a kill most likely lands between its creation and publication.
     */
    private static void createLoop(final SegmentOptions options, final String segmentName)
    {
        System.out.println("creating");
        while (true)
        {
            Segment.create(segmentName, options).close();
            Segment.unlink(segmentName, options);
        }
    }

    private static void write(final SegmentOptions options, final String segmentName)
    {
        try (Segment segment = Segment.create(segmentName, options))
        {
            IntValue.openOrCreate(segment, "int", 42);
            LongValue.openOrCreate(segment, "long", Long.MIN_VALUE + 7);
            DoubleValue.openOrCreate(segment, "double", 3.14);
            IntArray.openOrCreate(segment, "range", new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
            DoubleArray.openOrCreate(segment, "doubles", 1000).set(999, 2.5);
            BytesValue.openOrCreate(segment, "bytes", 64).setBytes(BYTES);
            System.out.println("written");
        }
    }

    private static void race(final SegmentOptions options, final String segmentName, final int index, final Path go)
        throws InterruptedException
    {
        System.out.println("ready " + index);
        while (!Files.exists(go))
        {
            Thread.onSpinWait();
        }
        try (Segment segment = Segment.openOrCreate(segmentName, options))
        {
            final boolean createdSegment = segment.creator().equals(ProcessIdentity.current());
            final LongValue counter = LongValue.openOrCreate(segment, "counter");
            final IntArray array = IntArray.openOrCreate(segment, "array", 100);
            array.incrementAndGet(index);
            counter.incrementAndGet();
            String conflict;
            try
            {
                if (index % 2 == 0)
                {
                    IntValue.openOrCreate(segment, "conflict", index);
                }
                else
                {
                    DoubleValue.openOrCreate(segment, "conflict", index);
                }
                conflict = "ok";
            }
            catch (final TypeMismatchException ex)
            {
                conflict = "mismatch " + ex.getMessage();
            }
            System.out.println("segmentCreated=" + createdSegment + " counterCreated=" + counter.object().created() +
                " arrayCreated=" + array.object().created() + " conflict=" + conflict);
        }
    }

    private static void hold(final SegmentOptions options, final String segmentName) throws InterruptedException
    {
        try (Segment segment = Segment.open(segmentName, options))
        {
            System.out.println("holding " + segment.name());
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    private static void reserveAndHang(final SegmentOptions options, final String segmentName, final String object)
        throws InterruptedException
    {
        final SegmentOptions hanging = options.withReservationHook(name ->
        {
            System.out.println("reserved " + name);
            System.out.flush();
            try
            {
                Thread.sleep(Long.MAX_VALUE);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        });
        try (Segment segment = Segment.open(segmentName, hanging))
        {
            IntValue.openOrCreate(segment, object, 1);
        }
    }
}
