package io.shm.cli;

import io.shm.process.JvmProcess;
import io.shm.process.ProcessIdentity;
import io.shm.segment.Segment;
import io.shm.segment.SegmentOptions;
import io.shm.segment.UnfinishedSegment;
import io.shm.test.ChildArgs;
import io.shm.test.TestSegments;
import io.shm.value.DoubleArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(120)
class ShmToolTest
{
    private final TestSegments segments = new TestSegments();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void removeSegments()
    {
        segments.close();
    }

    @Test
    void segmentsRecordTheProcessesThatHaveThemOpen() throws Exception
    {
        final String name = segments.name("attached");
        try (Segment segment = Segment.create(name, segments.options());
            JvmProcess child = JvmProcess.start(Hold.class, dir(), name))
        {
            child.awaitOutput(line -> line.startsWith("holding"), 60, TimeUnit.SECONDS);
            assertTrue(segment.attachedProcesses().contains(ProcessIdentity.current()));
            assertTrue(segment.attachedProcesses().contains(child.identity()));
            child.killAndWait();
            assertEquals(1, segment.attachedProcesses().size(), "a dead process no longer counts");
        }
        try (Segment again = Segment.open(name, segments.options()))
        {
            assertEquals(1, again.attachedProcesses().size(), "a closed segment gives its slot back");
        }
    }

    @Test
    void cleanRemovesOnlySegmentsNoLiveProcessHasOpen() throws Exception
    {
        final String unused = segments.name("unused");
        final String held = segments.name("held");
        Segment.create(unused, segments.options()).close();
        Segment.create(held, segments.options()).close();
        Files.writeString(segments.directory().resolve("not-a-segment"), "hello");
        try (JvmProcess child = JvmProcess.start(Hold.class, dir(), held))
        {
            child.awaitOutput(line -> line.startsWith("holding"), 60, TimeUnit.SECONDS);
            assertEquals(0, run("list"));
            assertTrue(text(out).contains(unused) && text(out).contains(held), text(out));
            assertTrue(text(out).contains("not-a-segment") && text(out).contains("not a usable segment"), text(out));
            out.reset();
            assertEquals(0, run("clean"));
            assertTrue(text(out).contains("removed " + unused), text(out));
            assertFalse(text(out).contains("removed " + held), text(out));
            assertTrue(Segment.exists(held, segments.options()));
            assertFalse(Segment.exists(unused, segments.options()));
            child.killAndWait();
        }
        out.reset();
        assertEquals(0, run("clean"));
        assertTrue(text(out).contains("removed " + held), "its only process died: " + text(out));
        assertTrue(Files.exists(segments.directory().resolve("not-a-segment")), "other files are left alone");
    }

    @Test
    void aCreatorKilledMidCreateLeavesAFileThatListShowsAndCleanRemoves() throws Exception
    {
        final String name = segments.name("crash");
        final UnfinishedSegment leftover = killCreatorMidCreate(name);
        assertTrue(leftover.isAbandoned());
        assertTrue(Files.exists(leftover.path()));

        assertEquals(0, run("list"));
        assertTrue(text(out).contains("unfinished, creator " + leftover.creator().pid() + " dead"), text(out));
        out.reset();
        assertEquals(0, run("clean"));
        assertTrue(text(out).contains("removed unfinished " + leftover.path().getFileName()), text(out));
        assertFalse(Files.exists(leftover.path()), "its RAM is freed");
        assertTrue(UnfinishedSegment.list(segments.directory()).isEmpty());
    }

    @Test
    void theNextCreateOfTheNameRemovesADeadCreatorsLeftover() throws Exception
    {
        final String name = segments.name("recreate");
        final UnfinishedSegment leftover = killCreatorMidCreate(name);
        Segment.create(name, segments.options()).close();
        assertFalse(Files.exists(leftover.path()), "create removed the dead creator's file");
        assertTrue(Segment.exists(name, segments.options()));
    }

    @Test
    void aLiveCreatorsUnfinishedFileIsNeverRemoved() throws Exception
    {
        final String name = segments.name("live");
        final ProcessIdentity self = ProcessIdentity.current();
        final var path = segments.directory().resolve("." + name + ".creating-" + self.pid() + "-" + self.startTime() + "-1f");
        Files.write(path, new byte[4096]);
        final UnfinishedSegment unfinished = UnfinishedSegment.parse(path).orElseThrow();
        assertEquals(name, unfinished.name());
        assertEquals(self, unfinished.creator());
        assertFalse(unfinished.isAbandoned());
        assertEquals(0, run("list"));
        assertTrue(text(out).contains("unfinished, creator " + self.pid() + " alive"), text(out));
        assertEquals(0, run("clean"));
        Segment.create(name, segments.options()).close();
        assertTrue(Files.exists(path), "a live creator's file is left alone");
        Files.writeString(segments.directory().resolve(".other.creating-12-x-1f"), "not ours");
        assertEquals(1, UnfinishedSegment.list(segments.directory()).size(), "a name that does not parse is not ours");
    }

    /**
     * Starts a child that creates and unlinks a 512 MiB segment in a loop, and SIGKILLs it while
     * its unfinished file exists (most of each round is spent allocating that file).
     */
    private UnfinishedSegment killCreatorMidCreate(final String name) throws Exception
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            try (JvmProcess creator = JvmProcess.start(CreateLoop.class, dir(), name, Long.toString(512L << 20)))
            {
                creator.awaitOutput(line -> line.equals("creating"), 60, TimeUnit.SECONDS);
                final ProcessIdentity identity = creator.identity();
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (System.nanoTime() < deadline && UnfinishedSegment.list(segments.directory()).isEmpty())
                {
                    Thread.onSpinWait();
                }
                creator.killAndWait();
                final var leftovers = UnfinishedSegment.list(segments.directory());
                if (!leftovers.isEmpty())
                {
                    assertEquals(1, leftovers.size(), leftovers.toString());
                    assertEquals(identity, leftovers.get(0).creator());
                    assertEquals(name, leftovers.get(0).name());
                    return leftovers.get(0);
                }
            }
            Segment.unlink(name, segments.options());
        }
        throw new AssertionError("the creator was never killed with its file unfinished");
    }

    @Test
    void showListsObjectsAndRmRemovesTheName() throws Exception
    {
        final String name = segments.name("show");
        try (Segment segment = Segment.create(name, segments.options());
             Segment holder = Segment.open(name, segments.options()))
        {
            DoubleArray.openOrCreate(segment, "prices", 100);
            DoubleArray.openOrCreate(segment, "gone", 100);
            DoubleArray.openOrCreate(segment, "held", 100);
            DoubleArray.openOrCreate(segment, "last", 100);
            DoubleArray.open(holder, "held");
            segment.delete("gone");
            segment.delete("held");
            assertEquals(0, run("show", name));
        }
        assertTrue(text(out).contains("prices") && text(out).contains("100"), text(out));
        assertTrue(text(out).contains("in 1 holes deleted objects left (largest 896)"), text(out));
        assertTrue(text(out).contains("deleted, still mapped: held (864 bytes, mapped by [process " + ProcessIdentity.current().pid()),
            text(out));
        assertEquals(0, run("rm", name));
        assertFalse(Segment.exists(name, segments.options()));
        assertEquals(1, run("show", "missing"));
        assertTrue(text(err).contains("missing"), text(err));
        assertEquals(2, run("frobnicate"));
        assertEquals(1, run("show", "../etc"));
    }

    private int run(final String... args) throws Exception
    {
        final String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--dir";
        all[args.length + 1] = dir();
        return ShmTool.run(all, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String dir()
    {
        return segments.directory().toString();
    }

    private static String text(final ByteArrayOutputStream bytes)
    {
        return bytes.toString(StandardCharsets.UTF_8);
    }


    /**
     * Child: opens the segment and holds it until killed: {@code (directory, segment)}.
     */
    public static final class Hold
    {
        public static void main(final String[] args) throws Exception
        {
            hold(ChildArgs.options(args), args[1]);
        }
    }

    /**
     * Child: creates and unlinks the segment until killed: {@code (directory, segment, size)}.
     */
    public static final class CreateLoop
    {
        public static void main(final String[] args) throws Exception
        {
            createLoop(ChildArgs.options(args).withSize(Long.parseLong(args[2])), args[1]);
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
}
