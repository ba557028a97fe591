package io.shm.examples;

import io.shm.channel.Channel;
import io.shm.channel.ChannelOptions;
import io.shm.channel.ChannelReceiver;
import io.shm.channel.ChannelSender;
import io.shm.process.JvmProcess;
import io.shm.segment.Segment;

/**
 * The tutorial's {@code FloatChannel}: the parent sends an array of 100,000 doubles 1,000 times to
 * a child process. The tutorial guards one shared array with two semaphores; here a ring-buffer
 * channel carries the arrays, so the sender fills the next slot while the receiver copies the last.
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
            receive(args[0]);
            return;
        }
        final Segment segment = Example.newSegment("float-channel");
        try
        {
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
            final double seconds = (System.nanoTime() - start) / 1e9;
            // The last array: element 0 carries the message number, the rest are 1, 2, 3, ...
            boolean ok = values[0] == MESSAGES - 1;
            for (int i = 1; i < LENGTH; i++)
            {
                ok &= values[i] == i;
            }
            final double gigabytes = (double)(MESSAGES - 1) * LENGTH * Double.BYTES / 1e9;
            System.out.printf("received %d arrays of %d doubles in %.3f s (%.2f GB/s); last array %s%n",
                MESSAGES, LENGTH, seconds, gigabytes / seconds, ok ? "verified" : "WRONG");
        }
    }
}
