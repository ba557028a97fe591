package io.shm.perf.xproc;

import io.shm.wait.linux.Futex;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One side of workload W7: the sender sends a 32-byte message (its send time first) every
 * {@code gapMicros} microseconds, busy-waiting in between; the receiver waits as its system waits
 * and records the one-way latency ({@link System#nanoTime()} is one clock for the machine).
 * {@code main(system, role, name, messages, warmUp, gapMicros)}. The receiver prints the latency
 * RESULT line with its own CPU time and sleeps, which show what its waiting costs; the sender a
 * line with how long its sends took, which shows what the receiver's waiting costs it.
 */
public final class PacedChild
{
    private static final int LENGTH = 32;
    private static final int CAPACITY = 64 * 1024;
    static final long SLOW_SEND_NANOS = 20_000;

    private PacedChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final String system = args[0];
        final boolean sending = args[1].equals("send");
        final int messages = Integer.parseInt(args[3]);
        final int warmUp = Integer.parseInt(args[4]);
        final long gapNanos = Long.parseLong(args[5]) * 1_000;
        try (Transport transport = Transport.open(system, args[2], sending, CAPACITY))
        {
            final UnsafeBuffer message = Transport.message(LENGTH);
            if (sending)
            {
                // How long each send takes: a wake call, or a receiver that holds this CPU, shows here.
                final Histogram sends = new Histogram(3);
                long next = System.nanoTime();
                for (int i = 0; i < warmUp + messages; i++)
                {
                    next += gapNanos;
                    while (System.nanoTime() - next < 0)
                    {
                        Thread.onSpinWait();
                    }
                    final long sent = System.nanoTime();
                    message.putLong(0, sent);
                    message.putLong(8, i);
                    transport.send(message, LENGTH);
                    if (i >= warmUp)
                    {
                        sends.recordValue(Math.max(0, System.nanoTime() - sent));
                    }
                }
                System.out.println(Results.line("futex_wakes", Futex.wakeCalls(), "send_p99", sends.getValueAtPercentile(99),
                    "slow_sends", messages - sends.getCountBetweenValues(0, SLOW_SEND_NANOS)));
                return;
            }
            final Histogram histogram = new Histogram(3);
            // The first look at the CPU time loads the management classes, and at the sleeps JNA:
            // both before the stream, not in the middle of it.
            long cpuBefore = Results.cpuNanos();
            long sleepsBefore = Futex.waitCalls();
            long start = 0;
            for (int i = 0; i < warmUp + messages; i++)
            {
                if (i == warmUp)
                {
                    cpuBefore = Results.cpuNanos();
                    sleepsBefore = Futex.waitCalls();
                    start = System.nanoTime();
                }
                transport.receive(message);
                final long took = System.nanoTime() - message.getLong(0);
                if (message.getLong(8) != i)
                {
                    throw new IllegalStateException("message " + message.getLong(8) + " where " + i + " was due");
                }
                if (i >= warmUp)
                {
                    histogram.recordValue(Math.max(0, took));
                }
            }
            final double core = (double)(Results.cpuNanos() - cpuBefore) / (System.nanoTime() - start);
            System.out.println(Latency.resultLine(system, histogram) + " p90=" + histogram.getValueAtPercentile(90) +
                " receiver_core=" + String.format("%.3f", core) + " receiver_sleeps=" + (Futex.waitCalls() - sleepsBefore));
        }
    }
}
