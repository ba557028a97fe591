package io.shm.perf.xproc;

import io.shm.broadcast.Broadcast;
import io.shm.broadcast.BroadcastOptions;
import io.shm.broadcast.BroadcastReceiver;
import io.shm.broadcast.BroadcastSender;
import io.shm.channel.MessageHandler;
import io.shm.segment.Segment;
import io.shm.segment.SegmentOptions;
import io.shm.wait.WaitStrategy;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.broadcast.BroadcastBufferDescriptor;
import org.agrona.concurrent.broadcast.BroadcastTransmitter;

import java.io.File;
import java.nio.MappedByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * One process of workload W10: the broadcast's sender or one of its receivers, for shm's lossy or
 * back-pressured broadcast or Agrona's {@code BroadcastTransmitter}/{@code BroadcastReceiver}.
 * Messages are 32 bytes: a send time and a sequence number.
 * <ul>
 *     <li>{@code latency}: the sender sends every {@code gapMicros} µs, busy-waiting in between;
 *     a receiver waits as its system waits (shm: spin, then sleep; Agrona: BackoffIdleStrategy,
 *     or busy-spinning for {@code agrona-broadcast-spin})
 *     and records the one-way latency of the messages after the warm-up.</li>
 *     <li>{@code throughput}: the sender sends flat out; a receiver polls, waiting as above when
 *     it finds nothing (two receivers share a CPU), takes
 *     the time from the first message after the warm-up to the last, and counts what it lost
 *     (from the sequence numbers).</li>
 * </ul>
 * A receiver prints {@code ready} once joined; the harness starts the sender after every receiver
 * is ready. {@code main(system, role, name, mode, messages, warmUp, gapMicros)}.
 */
public final class BroadcastChild
{
    static final int CAPACITY = 256 * 1024;
    private static final int LENGTH = 32;

    private BroadcastChild()
    {
    }

    /**
     * Makes the shared file of a broadcast before its processes start.
     *
     * @return the file to remove afterwards.
     */
    static File prepare(final String system, final String name)
    {
        if (system.startsWith("agrona"))
        {
            final File file = Transport.agronaFile(name);
            IoUtil.unmap(IoUtil.mapNewFile(file, CAPACITY + BroadcastBufferDescriptor.TRAILER_LENGTH, true));
            return file;
        }
        try (Segment segment = Segment.create(name, SegmentOptions.defaults().withSize(CAPACITY + (1 << 20))))
        {
            Broadcast.create(segment, "b", options(system));
        }
        return new File("/dev/shm", name);
    }

    private static BroadcastOptions options(final String system)
    {
        return BroadcastOptions.defaults().withCapacity(CAPACITY).withMaxReceivers(4)
            .withBackPressure(system.equals("shm-back-pressured"));
    }

    public static void main(final String[] args) throws Exception
    {
        final String system = args[0];
        final boolean sending = args[1].equals("send");
        final String name = args[2];
        final boolean latency = args[3].equals("latency");
        final long warmUp = Long.parseLong(args[5]);
        final long total = Long.parseLong(args[4]) + warmUp;
        final long gapNanos = TimeUnit.MICROSECONDS.toNanos(Long.parseLong(args[6]));
        if (system.startsWith("agrona"))
        {
            final MappedByteBuffer mapped = IoUtil.mapExistingFile(Transport.agronaFile(name), "broadcast");
            try
            {
                final UnsafeBuffer buffer = new UnsafeBuffer(mapped);
                if (sending)
                {
                    final BroadcastTransmitter transmitter = new BroadcastTransmitter(buffer);
                    send((message, length) -> transmitter.transmit(Transport.MESSAGE_TYPE, message, 0, length), total,
                        latency ? gapNanos : 0);
                }
                else
                {
                    receive(new AgronaSource(new org.agrona.concurrent.broadcast.BroadcastReceiver(buffer),
                        system.equals("agrona-broadcast-spin") ? new BusySpinIdleStrategy() : new BackoffIdleStrategy()), system,
                        latency, total, warmUp);
                }
            }
            finally
            {
                IoUtil.unmap(mapped);
            }
            return;
        }
        try (Segment segment = Segment.open(name, SegmentOptions.defaults()))
        {
            final Broadcast broadcast = Broadcast.open(segment, "b");
            if (sending)
            {
                try (BroadcastSender sender = broadcast.sender())
                {
                    send((message, length) -> sender.send(message, 0, length), total, latency ? gapNanos : 0);
                }
            }
            else
            {
                // shm-lossy-newest goes on from the newest message after a lap, as Agrona's receiver does.
                try (BroadcastReceiver receiver = broadcast.receiver(BroadcastReceiver.Start.NEWEST,
                    system.equals("shm-lossy-newest") ? BroadcastReceiver.Start.NEWEST : BroadcastReceiver.Start.OLDEST,
                    WaitStrategy.defaultStrategy()))
                {
                    receive(new ShmSource(receiver), system, latency, total, warmUp);
                }
            }
        }
    }

    @FunctionalInterface
    private interface Send
    {
        void send(DirectBuffer message, int length) throws InterruptedException;
    }

    private static void send(final Send send, final long total, final long gapNanos) throws InterruptedException
    {
        final UnsafeBuffer message = Transport.message(LENGTH);
        long next = System.nanoTime();
        for (long i = 0; i < total; i++)
        {
            if (gapNanos > 0)
            {
                next += gapNanos;
                while (System.nanoTime() - next < 0)
                {
                    Thread.onSpinWait();
                }
            }
            message.putLong(0, System.nanoTime());
            message.putLong(8, i);
            send.send(message, LENGTH);
        }
        System.out.println(Results.line("cpu_ns", Results.cpuNanos()));
    }

    /**
     * A receiver as the workload drives it: a batch read that hands each whole message to
     * {@link #take} (Agrona's receiver copies it into a scratch buffer and validates the copy, as
     * shm's lossy receiver does inside its poll), and a wait.
     */
    private abstract static class Source
    {
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[LENGTH]);
        long lastSequence = -1;
        long received;
        long lost;
        /** The stream ended before the last message came: a lap to the newest skipped it. */
        boolean ended;
        Histogram latencies;
        long warmUp;

        /**
         * Reads what is there now, one message at a time, calling {@link #take}.
         *
         * @return the messages read.
         */
        abstract int poll();

        /**
         * Waits as the system waits for a receiver with nothing to read.
         */
        abstract void idle() throws InterruptedException;

        /**
         * Tells the waiting that a poll found messages.
         */
        void worked()
        {
        }

        void take(final DirectBuffer buffer, final int index)
        {
            final long sequence = buffer.getLong(index + 8);
            if (sequence <= lastSequence)
            {
                throw new IllegalStateException("message " + sequence + " after " + lastSequence);
            }
            if (lastSequence >= 0)
            {
                lost += sequence - lastSequence - 1;
            }
            lastSequence = sequence;
            received++;
            if (latencies != null && sequence >= warmUp)
            {
                latencies.recordValue(Math.max(0, System.nanoTime() - buffer.getLong(index)));
            }
        }
    }

    private static final class ShmSource extends Source
    {
        private final BroadcastReceiver receiver;
        // shm hands over a message already whole: a copy of it in lossy mode (checked against
        // overwriting), the ring's bytes in back-pressured mode (which the sender cannot overwrite).
        private final MessageHandler handler = (buffer, index, length) -> take(buffer, index);

        ShmSource(final BroadcastReceiver receiver)
        {
            this.receiver = receiver;
        }

        @Override
        int poll()
        {
            return receiver.poll(handler, Transport.BATCH);
        }

        @Override
        void idle() throws InterruptedException
        {
            try
            {
                receiver.awaitMessage(1, TimeUnit.SECONDS);
            }
            catch (final io.shm.exceptions.ChannelClosedException end)
            {
                ended = true;
            }
        }
    }

    private static final class AgronaSource extends Source
    {
        private final org.agrona.concurrent.broadcast.BroadcastReceiver receiver;
        private final IdleStrategy backoff;

        AgronaSource(final org.agrona.concurrent.broadcast.BroadcastReceiver receiver, final IdleStrategy backoff)
        {
            this.receiver = receiver;
            this.backoff = backoff;
        }

        @Override
        int poll()
        {
            int count = 0;
            while (count < Transport.BATCH && receiver.receiveNext())
            {
                scratch.putBytes(0, receiver.buffer(), receiver.offset(), LENGTH);
                if (receiver.validate())
                {
                    take(scratch, 0);
                    count++;
                }
            }
            return count;
        }

        @Override
        void idle()
        {
            backoff.idle();
        }

        @Override
        void worked()
        {
            backoff.reset();
        }
    }

    private static void receive(final Source source, final String system, final boolean latency, final long total,
        final long warmUp) throws InterruptedException
    {
        final Histogram histogram = new Histogram(3);
        source.latencies = latency ? histogram : null;
        source.warmUp = warmUp;
        System.out.println("ready");
        long start = 0;
        long receivedBefore = 0;
        long lostBefore = 0;
        while (source.lastSequence < total - 1 && !source.ended)
        {
            if (source.poll() == 0)
            {
                source.idle();
                continue;
            }
            source.worked();
            if (start == 0 && source.lastSequence >= warmUp)
            {
                start = System.nanoTime();
                receivedBefore = source.received;
                lostBefore = source.lost;
            }
        }
        final long took = System.nanoTime() - start;
        // What a last lap to the newest skipped at the end of the stream.
        source.lost += total - 1 - source.lastSequence;
        if (latency)
        {
            System.out.println(Latency.resultLine(system, histogram) + " lost=" + source.lost);
        }
        else
        {
            System.out.println(Results.line("system", system, "count", source.received - receivedBefore,
                "lost", source.lost - lostBefore, "ns", took, "cpu_ns", Results.cpuNanos()));
        }
    }
}
