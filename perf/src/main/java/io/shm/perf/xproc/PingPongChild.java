package io.shm.perf.xproc;

import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One side of workloads W1 and W2: A sends 32 bytes, B echoes them, A waits for the echo and
 * records the round trip. {@code main(system, role, name, roundTrips, warmUp)}; A prints the
 * latency RESULT line and the CPU time both use is reported by each.
 */
public final class PingPongChild
{
    private static final int LENGTH = 32;
    private static final int CAPACITY = 64 * 1024;

    private PingPongChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final String system = args[0];
        final boolean ping = args[1].equals("a");
        final String name = args[2];
        final int roundTrips = Integer.parseInt(args[3]);
        final int warmUp = Integer.parseInt(args[4]);
        try (Transport out = Transport.open(system, name + (ping ? "-ab" : "-ba"), true, CAPACITY);
            Transport in = Transport.open(system, name + (ping ? "-ba" : "-ab"), false, CAPACITY))
        {
            final UnsafeBuffer message = Transport.message(LENGTH);
            final UnsafeBuffer received = Transport.message(LENGTH);
            if (!ping)
            {
                for (int i = 0; i < warmUp + roundTrips; i++)
                {
                    in.receive(received);
                    out.send(received, LENGTH);
                }
                System.out.println(Results.line("cpu_ns", Results.cpuNanos()));
                return;
            }
            final Histogram histogram = new Histogram(3);
            for (int i = 0; i < warmUp + roundTrips; i++)
            {
                message.putLong(0, i);
                final long start = System.nanoTime();
                out.send(message, LENGTH);
                in.receive(received);
                final long took = System.nanoTime() - start;
                if (received.getLong(0) != i)
                {
                    throw new IllegalStateException("echo " + received.getLong(0) + " for " + i);
                }
                if (i >= warmUp)
                {
                    histogram.recordValue(took);
                }
            }
            System.out.println(Latency.resultLine(system, histogram));
        }
    }
}
