package io.shm.perf.xproc;

import java.lang.management.ManagementFactory;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One side of workload W3: the sender streams 32-byte messages (sequence number + padding); the
 * receiver checks the sequence and reports messages per second, timed from its first message to
 * its last. {@code main(system, role, name, count)}.
 */
public final class ThroughputChild
{
    private static final int LENGTH = 32;
    private static final int CAPACITY = 256 * 1024;

    private ThroughputChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final String system = args[0];
        final boolean sending = args[1].equals("send");
        final long count = Long.parseLong(args[3]);
        try (Transport transport = Transport.open(system, args[2], sending, CAPACITY))
        {
            final UnsafeBuffer message = Transport.message(LENGTH);
            if (sending)
            {
                for (long i = 0; i < count; i++)
                {
                    message.putLong(0, i);
                    transport.send(message, LENGTH);
                }
                return;
            }
            transport.receive(message);
            final long start = System.nanoTime();
            for (long i = 1; i < count; i++)
            {
                transport.receive(message);
                if (message.getLong(0) != i)
                {
                    throw new IllegalStateException("message " + message.getLong(0) + " where " + i + " was due");
                }
            }
            final long took = System.nanoTime() - start;
            final long cpu = ((com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
            System.out.println(Results.line("system", system, "count", count, "ns", took, "cpu_ns", cpu));
        }
    }
}
