package io.shm.perf.xproc;

import io.shm.channel.Channel;
import io.shm.channel.ChannelOptions;
import io.shm.channel.ChannelReceiver;
import io.shm.channel.ChannelSender;
import io.shm.segment.Segment;
import io.shm.segment.SegmentOptions;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import io.shm.wait.linux.Futex;
import org.agrona.IoUtil;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.MappedByteBuffer;

/**
 * One side of workload W4, the tutorial's FloatChannel: the sender sends an array of doubles
 * {@code messages} times, the receiver copies each into its own {@code double[]} and checks the
 * last. {@code main(system, role, name, messages, length, warmUp)}: first {@code warmUp} sends
 * that are not timed (0 for a cold start). The sender starts its clock once the receiver is set up
 * and has received the warm-up (a {@code .ready} file) and prints its start; the receiver prints
 * its end ({@code System.nanoTime}, one clock for the machine).
 */
public final class FloatChannelChild
{
    static final int LARGE_RING = 8 << 20;
    static final int SMALL_RING = 256 << 10;
    private static final long DOUBLES_BASE = UnsafeApi.arrayBaseOffset(double[].class);

    private FloatChannelChild()
    {
    }

    static int capacity(final String system)
    {
        return system.equals("shm-fragmented") ? SMALL_RING : LARGE_RING;
    }

    public static void main(final String[] args) throws Exception
    {
        final String system = args[0];
        final boolean sending = args[1].equals("send");
        final String name = args[2];
        final int messages = Integer.parseInt(args[3]);
        final double[] values = new double[Integer.parseInt(args[4])];
        final int warmUp = Integer.parseInt(args[5]);
        if (system.startsWith("agrona"))
        {
            agrona(sending, name, warmUp, messages, values);
            return;
        }
        if (system.equals("chronicle"))
        {
            chronicle(sending, name, warmUp, messages, values);
            return;
        }
        try (Segment segment = Segment.openOrCreate(name, SegmentOptions.defaults().withSize(LARGE_RING + (1 << 20))))
        {
            final Channel channel = Channel.openOrCreate(segment, "floats", ChannelOptions.defaults().withCapacity(capacity(system)));
            if (sending)
            {
                try (ChannelSender sender = channel.sender())
                {
                    long start = 0;
                    for (int m = -warmUp; m < messages; m++)
                    {
                        if (m == 0)
                        {
                            awaitReceiver(name);
                            start = System.nanoTime();
                        }
                        values[0] = m;
                        sender.sendDoubles(values, 0, values.length);
                    }
                    System.out.println(Results.line("start", start, "futex_waits", Futex.waitCalls(),
                        "futex_wakes", Futex.wakeCalls(), "cpu_ns", Results.cpuNanos()));
                }
                return;
            }
            try (ChannelReceiver receiver = channel.receiver())
            {
                for (int m = -warmUp; m < messages; m++)
                {
                    if (m == 0)
                    {
                        receiverReady(name);
                    }
                    receiver.receiveDoubles(values);
                }
                report(values, messages);
            }
        }
    }

    private static void agrona(final boolean sending, final String name, final int warmUp, final int messages,
        final double[] values)
        throws IOException
    {
        final MappedByteBuffer mapping = IoUtil.mapExistingFile(new File("/dev/shm", name + ".agrona"), name);
        try
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(mapping);
            final RingBuffer ring = new OneToOneRingBuffer(buffer);
            final int bytes = values.length * Double.BYTES;
            final long address = buffer.addressOffset();
            if (sending)
            {
                long start = 0;
                for (int m = -warmUp; m < messages; m++)
                {
                    if (m == 0)
                    {
                        awaitReceiver(name);
                        start = System.nanoTime();
                    }
                    values[0] = m;
                    int index;
                    while ((index = ring.tryClaim(Transport.MESSAGE_TYPE, bytes)) < 0)
                    {
                        Thread.onSpinWait();
                    }
                    // Agrona's fastest form: one bulk copy from the array into the claimed record.
                    UnsafeApi.copyMemory(values, DOUBLES_BASE, null, address + index, bytes);
                    ring.commit(index);
                }
                System.out.println(Results.line("start", start, "cpu_ns", Results.cpuNanos()));
                return;
            }
            int received = -warmUp;
            boolean ready = false;
            while (received < messages)
            {
                if (received == 0 && !ready)
                {
                    receiverReady(name);
                    ready = true;
                }
                final int read = ring.read((type, source, index, length) ->
                    UnsafeApi.copyMemory(null, address + index, values, DOUBLES_BASE, length), 1);
                if (read == 0)
                {
                    Thread.onSpinWait();
                }
                received += read;
            }
            report(values, messages);
        }
        finally
        {
            IoUtil.unmap(mapping);
        }
    }

    private static void chronicle(final boolean sending, final String name, final int warmUp, final int messages,
        final double[] values)
        throws IOException
    {
        final int bytes = values.length * Double.BYTES;
        try (ChronicleQueue queue = ChronicleQueue.singleBuilder(Transport.chronicleDirectory(name)).build())
        {
            if (sending)
            {
                final ExcerptAppender appender = queue.createAppender();
                long start = 0;
                for (int m = -warmUp; m < messages; m++)
                {
                    if (m == 0)
                    {
                        awaitReceiver(name);
                        start = System.nanoTime();
                    }
                    values[0] = m;
                    try (DocumentContext document = appender.writingDocument())
                    {
                        // Chronicle's bulk copy of the array's memory.
                        document.wire().bytes().unsafeWriteObject(values, (int)DOUBLES_BASE, bytes);
                    }
                }
                System.out.println(Results.line("start", start, "cpu_ns", Results.cpuNanos()));
                return;
            }
            final ExcerptTailer tailer = queue.createTailer();
            int received = -warmUp;
            boolean ready = false;
            while (received < messages)
            {
                if (received == 0 && !ready)
                {
                    receiverReady(name);
                    ready = true;
                }
                try (DocumentContext document = tailer.readingDocument())
                {
                    if (document.isPresent())
                    {
                        document.wire().bytes().unsafeReadObject(values, (int)DOUBLES_BASE, bytes);
                        received++;
                        continue;
                    }
                }
                Thread.onSpinWait();
            }
            report(values, messages);
        }
    }

    /**
     * Tells the sender the receiver is set up, so the clock does not count a JVM's start.
     */
    private static void receiverReady(final String name) throws IOException
    {
        Files.createFile(readyFile(name));
    }

    private static void awaitReceiver(final String name)
    {
        while (!Files.exists(readyFile(name)))
        {
            Thread.onSpinWait();
        }
    }

    static Path readyFile(final String name)
    {
        return Path.of("/dev/shm", name + ".ready");
    }

    private static void report(final double[] values, final int messages)
    {
        final long end = System.nanoTime();
        if (values[0] != messages - 1)
        {
            throw new IllegalStateException("the last array starts with " + values[0] + ", not " + (messages - 1));
        }
        System.out.println(Results.line("end", end, "futex_waits", Futex.waitCalls(), "futex_wakes", Futex.wakeCalls(),
            "cpu_ns", Results.cpuNanos()));
    }
}
