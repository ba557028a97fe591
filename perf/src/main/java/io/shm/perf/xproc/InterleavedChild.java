package io.shm.perf.xproc;

import io.shm.channel.Channel;
import io.shm.channel.ChannelOptions;
import io.shm.channel.ChannelReceiver;
import io.shm.channel.ChannelSender;
import io.shm.channel.MessageHandler;
import io.shm.segment.Segment;
import io.shm.segment.SegmentOptions;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.io.File;
import java.nio.MappedByteBuffer;
import java.util.StringJoiner;

/**
 * One side of an interleaved comparison: the same two processes stream through two systems in
 * turn, a batch at a time (A B, B A, A B, ...), so both systems meet the same machine, whose speed
 * here changes within a second. Each batch is timed from the sender's start (after the receiver
 * has finished the batch before) to the receiver's last message.
 * {@code main(workload, role, name, systemA, systemB, pairs, perBatch, warmUp)}: {@code w3} streams
 * 32-byte messages (sequence checked, read in place with each system's batch read), {@code w4}
 * arrays of 100,000 doubles (the receiver copies each into its {@code double[]}); one warm-up
 * batch of {@code warmUp} per system first, not timed. The receiver prints one RESULT line per
 * system with its batch times in nanoseconds.
 */
public final class InterleavedChild
{
    static final int CONTROL_LENGTH = 64 * 1024;
    private static final int ACK = 0;
    private static final int STARTS = 64;
    private static final int W3_LENGTH = 32;
    private static final int W4_LENGTH = 100_000;
    private static final long DOUBLES_BASE = UnsafeApi.arrayBaseOffset(double[].class);

    private InterleavedChild()
    {
    }

    /**
     * One system's stream, open in this process on the side it plays.
     */
    private interface Stream extends AutoCloseable
    {
        void send(int count) throws InterruptedException;

        void receive(int count) throws InterruptedException;

        @Override
        void close();
    }

    public static void main(final String[] args) throws Exception
    {
        final boolean w4 = args[0].equals("w4");
        final boolean sending = args[1].equals("send");
        final String name = args[2];
        final String[] systems = {args[3], args[4]};
        final int pairs = Integer.parseInt(args[5]);
        final int perBatch = Integer.parseInt(args[6]);
        final int warmUp = Integer.parseInt(args[7]);
        final MappedByteBuffer mapping = IoUtil.mapExistingFile(controlFile(name), name);
        final UnsafeBuffer control = new UnsafeBuffer(mapping);
        final Stream[] streams = new Stream[2];
        try
        {
            for (int s = 0; s < 2; s++)
            {
                streams[s] = w4 ? floats(systems[s], name + "-" + s, sending) : messages(systems[s], name + "-" + s, sending);
            }
            // Batches 0 and 1 warm each system up; then pairs, the order swapped every other pair.
            final int batches = 2 + 2 * pairs;
            if (batches * Long.BYTES + STARTS > CONTROL_LENGTH)
            {
                throw new IllegalArgumentException(pairs + " pairs do not fit the control file");
            }
            final StringJoiner[] times = {new StringJoiner(","), new StringJoiner(",")};
            for (int batch = 0; batch < batches; batch++)
            {
                final int s = batch < 2 ? batch : ((batch / 2) % 2 == 0 ? batch % 2 : 1 - batch % 2);
                final int count = batch < 2 ? warmUp : perBatch;
                if (sending)
                {
                    while (control.getLongVolatile(ACK) != batch)
                    {
                        Thread.onSpinWait();
                    }
                    control.putLongVolatile(STARTS + batch * Long.BYTES, System.nanoTime());
                    streams[s].send(count);
                }
                else
                {
                    control.putLongVolatile(ACK, batch);
                    streams[s].receive(count);
                    final long took = System.nanoTime() - control.getLongVolatile(STARTS + batch * Long.BYTES);
                    if (batch >= 2)
                    {
                        times[s].add(Long.toString(took));
                    }
                }
            }
            if (!sending)
            {
                for (int s = 0; s < 2; s++)
                {
                    System.out.println(Results.line("system", systems[s], "per_batch", perBatch, "ns", times[s]));
                }
            }
        }
        finally
        {
            CloseHelper.closeAll(streams);
            IoUtil.unmap(mapping);
        }
    }

    static File controlFile(final String name)
    {
        return new File("/dev/shm", name + ".control");
    }

    /**
     * W3: 32-byte messages, the first word a sequence number the receiver checks.
     */
    private static Stream messages(final String system, final String name, final boolean sending)
    {
        final Transport transport = Transport.open(system, name, sending, ThroughputChild.CAPACITY);
        final UnsafeBuffer message = Transport.message(W3_LENGTH);
        final long[] next = {0};
        final MessageHandler check = (buffer, index, length) ->
        {
            if (buffer.getLong(index) != next[0])
            {
                throw new IllegalStateException(system + ": message " + buffer.getLong(index) + " where " + next[0] + " was due");
            }
            next[0]++;
        };
        return new Stream()
        {
            @Override
            public void send(final int count) throws InterruptedException
            {
                for (int i = 0; i < count; i++)
                {
                    message.putLong(0, next[0]++);
                    transport.send(message, W3_LENGTH);
                }
            }

            @Override
            public void receive(final int count)
            {
                final long end = next[0] + count;
                while (next[0] < end)
                {
                    if (transport.poll(check) == 0)
                    {
                        Thread.onSpinWait();
                    }
                }
            }

            @Override
            public void close()
            {
                transport.close();
            }
        };
    }

    /**
     * W4: arrays of doubles, the first element a sequence number the receiver checks.
     */
    private static Stream floats(final String system, final String name, final boolean sending)
    {
        final double[] values = new double[W4_LENGTH];
        final long[] next = {0};
        if (system.startsWith("agrona"))
        {
            return agronaFloats(name, values, next);
        }
        final Segment segment = Segment.openOrCreate(name,
            SegmentOptions.defaults().withSize(FloatChannelChild.LARGE_RING + (1 << 20)));
        final Channel channel = Channel.openOrCreate(segment, "floats",
            ChannelOptions.defaults().withCapacity(FloatChannelChild.capacity(system)));
        final ChannelSender sender = sending ? channel.sender() : null;
        final ChannelReceiver receiver = sending ? null : channel.receiver();
        return new Stream()
        {
            @Override
            public void send(final int count) throws InterruptedException
            {
                for (int i = 0; i < count; i++)
                {
                    values[0] = next[0]++;
                    sender.sendDoubles(values, 0, values.length);
                }
            }

            @Override
            public void receive(final int count) throws InterruptedException
            {
                for (int i = 0; i < count; i++)
                {
                    receiver.receiveDoubles(values);
                    check(system, values, next);
                }
            }

            @Override
            public void close()
            {
                // The sender or the receiver is null on the side that does not play it.
                CloseHelper.closeAll(sender, receiver, segment);
            }
        };
    }

    private static Stream agronaFloats(final String name, final double[] values, final long[] next)
    {
        final MappedByteBuffer mapping = IoUtil.mapExistingFile(Transport.agronaFile(name), name);
        final UnsafeBuffer buffer = new UnsafeBuffer(mapping);
        final RingBuffer ring = new OneToOneRingBuffer(buffer);
        final long address = buffer.addressOffset();
        final int bytes = values.length * Double.BYTES;
        final org.agrona.concurrent.MessageHandler copy = (type, source, index, length) ->
            UnsafeApi.copyMemory(null, address + index, values, DOUBLES_BASE, length);
        return new Stream()
        {
            @Override
            public void send(final int count)
            {
                for (int i = 0; i < count; i++)
                {
                    values[0] = next[0]++;
                    int index;
                    while ((index = ring.tryClaim(Transport.MESSAGE_TYPE, bytes)) < 0)
                    {
                        Thread.onSpinWait();
                    }
                    UnsafeApi.copyMemory(values, DOUBLES_BASE, null, address + index, bytes);
                    ring.commit(index);
                }
            }

            @Override
            public void receive(final int count)
            {
                for (int i = 0; i < count; i++)
                {
                    while (ring.read(copy, 1) == 0)
                    {
                        Thread.onSpinWait();
                    }
                    check("agrona", values, next);
                }
            }

            @Override
            public void close()
            {
                IoUtil.unmap(mapping);
            }
        };
    }

    private static void check(final String system, final double[] values, final long[] next)
    {
        if (values[0] != next[0])
        {
            throw new IllegalStateException(system + ": array " + values[0] + " where " + next[0] + " was due");
        }
        next[0]++;
    }
}
