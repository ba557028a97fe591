package io.shm.perf.xproc;

import io.shm.channel.MessageHandler;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * One side of workload W3: the sender streams 32-byte messages (sequence number + padding); the
 * receiver reads them with its system's batch read, checks the sequence, and reports messages per
 * second. The first {@code warmUp} messages are not timed (the JIT compiles both sides' paths
 * meanwhile): the time runs from the batch that passes them to the last message.
 * A {@code -batch} system's sender sends {@value #BATCH} messages at a time with its batch send.
 * {@code main(system, role, name, count, warmUp)}.
 */
public final class ThroughputChild
{
    private static final int LENGTH = 32;
    static final int CAPACITY = 256 * 1024;

    /**
     * The messages a {@code -batch} system's sender commits at a time.
     */
    static final int BATCH = 64;

    private ThroughputChild()
    {
    }

    private static void sendBatches(final Transport transport, final long total) throws InterruptedException
    {
        final UnsafeBuffer batch = Transport.message(LENGTH * BATCH);
        final int[] lengths = new int[BATCH];
        java.util.Arrays.fill(lengths, LENGTH);
        for (long i = 0; i < total; )
        {
            final int size = (int)Math.min(BATCH, total - i);
            for (int m = 0; m < size; m++)
            {
                batch.putLong(m * LENGTH, i + m);
            }
            transport.sendBatch(batch, lengths, size);
            i += size;
        }
        System.out.println(Results.line("cpu_ns", Results.cpuNanos()));
    }

    public static void main(final String[] args) throws Exception
    {
        final String system = args[0];
        final boolean sending = args[1].equals("send");
        final long warmUp = Long.parseLong(args[4]);
        final long total = Long.parseLong(args[3]) + warmUp;
        try (Transport transport = Transport.open(system, args[2], sending, CAPACITY))
        {
            final UnsafeBuffer message = Transport.message(LENGTH);
            if (sending && system.endsWith("-batch"))
            {
                sendBatches(transport, total);
                return;
            }
            if (sending)
            {
                for (long i = 0; i < total; i++)
                {
                    message.putLong(0, i);
                    transport.send(message, LENGTH);
                }
                System.out.println(Results.line("cpu_ns", Results.cpuNanos()));
                return;
            }
            // Each system's batch read hands over messages in place; the handler checks the sequence.
            final long[] next = {0};
            final MessageHandler check = (buffer, index, length) ->
            {
                if (buffer.getLong(index) != next[0])
                {
                    throw new IllegalStateException("message " + buffer.getLong(index) + " where " + next[0] + " was due");
                }
                next[0]++;
            };
            while (next[0] < warmUp || next[0] == 0)
            {
                if (transport.poll(check) == 0)
                {
                    Thread.onSpinWait();
                }
            }
            final long first = next[0];
            final long start = System.nanoTime();
            while (next[0] < total)
            {
                if (transport.poll(check) == 0)
                {
                    Thread.onSpinWait();
                }
            }
            final long took = System.nanoTime() - start;
            System.out.println(Results.line("system", system, "count", total - first, "ns", took, "cpu_ns", Results.cpuNanos()));
        }
    }
}
