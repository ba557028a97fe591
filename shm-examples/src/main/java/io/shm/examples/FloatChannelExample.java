package io.shm.examples;

import io.shm.channel.Channel;
import io.shm.channel.ChannelOptions;
import io.shm.channel.ChannelReceiver;
import io.shm.channel.ChannelSender;
import io.shm.process.JvmProcess;
import io.shm.segment.Segment;
import io.shm.sync.ShmSemaphore;
import io.shm.value.DoubleArray;

/**
 * The tutorial's {@code FloatChannel}: the parent sends an array of 100,000 doubles 1,000 times to
 * a child process, first as the tutorial does (one shared array, {@code RawArray}, guarded by two
 * semaphores: the writer waits for "consumed", the reader for "produced"), then through a
 * ring-buffer channel, where the sender fills the next slot while the receiver copies the last.
 * Both timings are printed.
 */
public final class FloatChannelExample
{
    static final int MESSAGES = 1000;
    static final int LENGTH = 100_000;

    private FloatChannelExample()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length > 0)
        {
            if (args.length > 1)
            {
                receiveLiteral(args[0]);
                return;
            }
            receive(args[0]);
            return;
        }
        final Segment segment = Example.newSegment("float-channel");
        try
        {
            sendLiteral(segment);
            // An 8 MiB ring: each 800 KB array goes as one record.
            final Channel channel = Channel.openOrCreate(segment, "floats", ChannelOptions.defaults().withCapacity(8 << 20));
            final JvmProcess consumer = Example.start(FloatChannelExample.class, segment.name());
            final double[] values = new double[LENGTH];
            for (int i = 0; i < LENGTH; i++)
            {
                values[i] = i;
            }
            try (ChannelSender sender = channel.sender())
            {
                for (int m = 0; m < MESSAGES; m++)
                {
                    values[0] = m;
                    sender.sendDoubles(values, 0, LENGTH);
                }
            }
            System.out.println("Produce done");
            Example.join(consumer);
        }
        finally
        {
            Example.remove(segment);
        }
    }

    /**
     * The tutorial's version: one shared array and two semaphores, the writer and the reader
     * taking turns.
     */
    private static void sendLiteral(final Segment segment) throws Exception
    {
        final DoubleArray shared = DoubleArray.openOrCreate(segment, "literal.array", LENGTH);
        final ShmSemaphore produced = ShmSemaphore.openOrCreate(segment, "literal.produced", 0);
        final ShmSemaphore consumed = ShmSemaphore.openOrCreate(segment, "literal.consumed", 1);
        final JvmProcess reader = Example.start(FloatChannelExample.class, segment.name(), "literal");
        final double[] values = new double[LENGTH];
        for (int i = 0; i < LENGTH; i++)
        {
            values[i] = i;
        }
        for (int m = 0; m < MESSAGES; m++)
        {
            values[0] = m;
            consumed.acquire();
            shared.set(0, values, 0, LENGTH);
            produced.release();
        }
        Example.join(reader);
    }

    private static void receiveLiteral(final String segmentName) throws Exception
    {
        try (Segment segment = Example.openSegment(segmentName))
        {
            final DoubleArray shared = DoubleArray.open(segment, "literal.array");
            final ShmSemaphore produced = ShmSemaphore.open(segment, "literal.produced");
            final ShmSemaphore consumed = ShmSemaphore.open(segment, "literal.consumed");
            final double[] values = new double[LENGTH];
            long start = 0;
            for (int m = 0; m < MESSAGES; m++)
            {
                produced.acquire();
                shared.get(0, values, 0, LENGTH);
                consumed.release();
                if (m == 0)
                {
                    start = System.nanoTime();
                }
            }
            report("RawArray + 2 semaphores", (System.nanoTime() - start) / 1e9, values);
        }
    }

    private static void receive(final String segmentName) throws Exception
    {
        try (Segment segment = Example.openSegment(segmentName);
            ChannelReceiver receiver = Channel.open(segment, "floats").receiver())
        {
            final double[] values = new double[LENGTH];
            long start = 0;
            for (int m = 0; m < MESSAGES; m++)
            {
                receiver.receiveDoubles(values);
                if (m == 0)
                {
                    start = System.nanoTime();
                }
            }
            report("ring-buffer channel", (System.nanoTime() - start) / 1e9, values);
        }
    }

    private static void report(final String how, final double seconds, final double[] values)
    {
        // The last array: element 0 carries the message number, the rest are 1, 2, 3, ...
        boolean ok = values[0] == MESSAGES - 1;
        for (int i = 1; i < LENGTH; i++)
        {
            ok &= values[i] == i;
        }
        final double gigabytes = (double)(MESSAGES - 1) * LENGTH * Double.BYTES / 1e9;
        System.out.printf("%s: received %d arrays of %d doubles in %.3f s (%.2f GB/s); last array %s%n",
            how, MESSAGES, LENGTH, seconds, gigabytes / seconds, ok ? "verified" : "WRONG");
    }
}
