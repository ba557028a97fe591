package io.shm.examples;

import io.shm.broadcast.Broadcast;
import io.shm.process.JvmProcess;
import io.shm.segment.Segment;
import io.shm.segment.SegmentOptions;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What the examples share: a segment of their own, removed when they end, and children started
 * as separate JVMs (the way the tutorial starts Python processes) that print to the same console.
 */
final class Example
{
    private Example()
    {
    }

    /**
     * @param prefix a name for the example.
     * @return a new segment in {@code /dev/shm}, unique to this run.
     */
    static Segment newSegment(final String prefix)
    {
        return Segment.create(prefix + "-" + ProcessHandle.current().pid(), SegmentOptions.defaults().withSize(16 << 20));
    }

    /**
     * @param name the segment's name, as a child received it.
     * @return the segment, opened.
     */
    static Segment openSegment(final String name)
    {
        return Segment.open(name, SegmentOptions.defaults());
    }

    /**
     * Removes the segment's file; processes that still map it keep it until they close.
     */
    static void remove(final Segment segment)
    {
        segment.close();
        Segment.unlink(segment.name(), SegmentOptions.defaults());
    }

    /**
     * Starts {@code main} of a class in a child JVM, sharing this console.
     */
    static JvmProcess start(final Class<?> main, final String... args)
    {
        return JvmProcess.builder(main).args(args).start();
    }

    /**
     * Waits until {@code readers}, started as children, have all joined {@code broadcast}.
     *
     * @throws IllegalStateException if one of them ends first.
     */
    static void awaitReceivers(final Broadcast broadcast, final List<JvmProcess> readers)
    {
        while (broadcast.receivers() < readers.size())
        {
            for (final JvmProcess reader : readers)
            {
                if (!reader.isAlive())
                {
                    throw new IllegalStateException(reader + " ended before it joined " + broadcast);
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /**
     * Waits for a child to finish and checks it succeeded.
     */
    static void join(final JvmProcess child) throws Exception
    {
        final int exitCode = child.join(120, TimeUnit.SECONDS);
        if (exitCode != 0)
        {
            throw new IllegalStateException(child + " failed with exit code " + exitCode);
        }
    }
}
