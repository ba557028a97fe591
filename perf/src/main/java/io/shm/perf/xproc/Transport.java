package io.shm.perf.xproc;

import io.shm.channel.Channel;
import io.shm.channel.ChannelOptions;
import io.shm.channel.ChannelReceiver;
import io.shm.channel.ChannelSender;
import io.shm.channel.MessageHandler;
import io.shm.segment.Segment;
import io.shm.segment.SegmentOptions;
import io.shm.wait.WaitStrategy;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.File;
import java.nio.MappedByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * One direction of a message stream between two processes, for the latency and throughput
 * workloads: shm's channel (spinning or blocking) or Agrona's ring buffer over a mapped file.
 * Each process loads one implementation, so the JIT inlines it.
 */
abstract class Transport implements AutoCloseable
{
    static final int MESSAGE_TYPE = 1;
    static final int BATCH = 1024;

    /**
     * Sends, spinning (or backing off) until there is room.
     */
    abstract void send(DirectBuffer message, int length) throws InterruptedException;

    /**
     * Sends {@code count} messages laid end to end in {@code messages}, as the system sends a
     * batch: one by one unless it has a batch send.
     */
    void sendBatch(final DirectBuffer messages, final int[] lengths, final int count) throws InterruptedException
    {
        int at = 0;
        for (int i = 0; i < count; i++)
        {
            send(new UnsafeBuffer(messages, at, lengths[i]), lengths[i]);
            at += lengths[i];
        }
    }

    /**
     * Receives one message into {@code into}, waiting as the system waits.
     */
    abstract void receive(UnsafeBuffer into) throws InterruptedException;

    /**
     * Hands every message available now to {@code handler}, in place, with the system's batch read.
     *
     * @return the number of messages handed over.
     */
    abstract int poll(MessageHandler handler);

    @Override
    public abstract void close();

    /**
     * @param system   the system's name.
     * @param name     a unique name for this stream.
     * @param sending  whether this process sends on it.
     * @param capacity the ring's capacity in bytes.
     */
    static Transport open(final String system, final String name, final boolean sending, final int capacity)
    {
        return switch (system)
        {
            case "shm-spin", "shm-spin-batch" -> new Shm(name, sending, capacity, false, WaitStrategy.defaultStrategy());
            case "shm" -> new Shm(name, sending, capacity, true, WaitStrategy.defaultStrategy());
            case "shm-no-adaptive" -> new Shm(name, sending, capacity, true, WaitStrategy.defaultStrategy().withAdaptiveSpin(0));
            case "shm-park-only" -> new Shm(name, sending, capacity, true,
                WaitStrategy.defaultStrategy().withCounts(0, 0, WaitStrategy.DEFAULT_SLICE_NANOS));
            case "agrona-spin" -> new Agrona(name, capacity, false);
            case "agrona-backoff" -> new Agrona(name, capacity, true);
            case "chronicle" -> new Chronicle(name, sending);
            default -> throw new IllegalArgumentException("unknown system " + system);
        };
    }

    private static final class Shm extends Transport
    {
        private final Segment segment;
        private final ChannelSender sender;
        private final ChannelReceiver receiver;

        Shm(final String name, final boolean sending, final int capacity, final boolean blocking, final WaitStrategy strategy)
        {
            segment = Segment.openOrCreate(name, SegmentOptions.defaults().withSize(capacity + (1 << 20)));
            final Channel channel = Channel.openOrCreate(segment, "stream",
                ChannelOptions.defaults().withCapacity(capacity).withBlocking(blocking));
            sender = sending ? channel.sender(strategy) : null;
            receiver = sending ? null : channel.receiver(strategy);
        }

        @Override
        void send(final DirectBuffer message, final int length) throws InterruptedException
        {
            sender.send(message, 0, length);
        }

        @Override
        void sendBatch(final DirectBuffer messages, final int[] lengths, final int count) throws InterruptedException
        {
            sender.sendBatch(messages, 0, lengths, count);
        }

        @Override
        void receive(final UnsafeBuffer into) throws InterruptedException
        {
            receiver.receive(into, 0);
        }

        @Override
        int poll(final MessageHandler handler)
        {
            return receiver.poll(handler, BATCH);
        }

        @Override
        public void close()
        {
            // The sender or the receiver is null on the side that does not play it.
            CloseHelper.closeAll(sender, receiver, segment);
        }
    }

    private static final class Agrona extends Transport
    {
        private final MappedByteBuffer mapping;
        private final RingBuffer ring;
        private final BackoffIdleStrategy idle;
        private final int[] length = new int[1];

        Agrona(final String name, final int capacity, final boolean backOff)
        {
            // The harness made the file (prepare): both processes map the same one.
            mapping = IoUtil.mapExistingFile(agronaFile(name), name);
            ring = new OneToOneRingBuffer(new UnsafeBuffer(mapping));
            idle = backOff ? new BackoffIdleStrategy(100, 10, TimeUnit.MICROSECONDS.toNanos(1),
                TimeUnit.MICROSECONDS.toNanos(100)) : null;
        }

        @Override
        void send(final DirectBuffer message, final int length)
        {
            while (!ring.write(MESSAGE_TYPE, message, 0, length))
            {
                if (idle != null)
                {
                    idle.idle();
                }
                else
                {
                    Thread.onSpinWait();
                }
            }
            if (idle != null)
            {
                idle.reset();
            }
        }

        @Override
        void receive(final UnsafeBuffer into)
        {
            while (ring.read((type, buffer, index, count) -> into.putBytes(0, buffer, index, count), 1) == 0)
            {
                if (idle != null)
                {
                    idle.idle();
                }
                else
                {
                    Thread.onSpinWait();
                }
            }
            if (idle != null)
            {
                idle.reset();
            }
        }

        private org.agrona.concurrent.MessageHandler agronaHandler;

        @Override
        int poll(final MessageHandler handler)
        {
            if (agronaHandler == null)
            {
                agronaHandler = (type, buffer, index, length) -> handler.onMessage(buffer, index, length);
            }
            return ring.read(agronaHandler, BATCH);
        }

        @Override
        public void close()
        {
            IoUtil.unmap(mapping);
        }
    }

    /**
     * Chronicle Queue in a directory on {@code /dev/shm}, both sides busy-polling.
     */
    private static final class Chronicle extends Transport
    {
        private final ChronicleQueue queue;
        private final ExcerptAppender appender;
        private final ExcerptTailer tailer;
        private final byte[] scratch = new byte[1 << 20];
        private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);

        Chronicle(final String name, final boolean sending)
        {
            queue = ChronicleQueue.singleBuilder(chronicleDirectory(name)).build();
            appender = sending ? queue.createAppender() : null;
            tailer = sending ? null : queue.createTailer();
        }

        @Override
        void send(final DirectBuffer message, final int length)
        {
            message.getBytes(0, scratch, 0, length);
            try (DocumentContext document = appender.writingDocument())
            {
                document.wire().bytes().write(scratch, 0, length);
            }
        }

        @Override
        void receive(final UnsafeBuffer into)
        {
            while (true)
            {
                try (DocumentContext document = tailer.readingDocument())
                {
                    if (document.isPresent())
                    {
                        final Bytes<?> bytes = document.wire().bytes();
                        final int length = (int)bytes.readRemaining();
                        bytes.read(scratch, 0, length);
                        into.putBytes(0, scratch, 0, length);
                        return;
                    }
                }
                Thread.onSpinWait();
            }
        }

        @Override
        int poll(final MessageHandler handler)
        {
            int count = 0;
            while (count < BATCH)
            {
                try (DocumentContext document = tailer.readingDocument())
                {
                    if (!document.isPresent())
                    {
                        return count;
                    }
                    final Bytes<?> bytes = document.wire().bytes();
                    final int length = (int)bytes.readRemaining();
                    bytes.read(scratch, 0, length);
                    view.wrap(scratch, 0, length);
                    handler.onMessage(view, 0, length);
                    count++;
                }
            }
            return count;
        }

        @Override
        public void close()
        {
            queue.close();
        }
    }

    static File chronicleDirectory(final String name)
    {
        return new File("/dev/shm", name + ".chronicle");
    }

    /**
     * Makes the shared files of a stream before its processes start, so they cannot race to make them.
     *
     * @return the files to remove afterwards.
     */
    static File[] prepare(final String system, final String name, final int capacity)
    {
        if (system.startsWith("agrona"))
        {
            final File file = agronaFile(name);
            IoUtil.unmap(IoUtil.mapNewFile(file, capacity + RingBufferDescriptor.TRAILER_LENGTH, true));
            return new File[] {file};
        }
        if (system.equals("chronicle"))
        {
            return new File[] {chronicleDirectory(name)};
        }
        return new File[] {new File("/dev/shm", name)};
    }

    /**
     * Removes what {@link #prepare} listed, directories included.
     */
    static void remove(final File[] files)
    {
        for (final File file : files)
        {
            final File[] inside = file.listFiles();
            if (inside != null)
            {
                remove(inside);
            }
            file.delete();
        }
    }

    static File agronaFile(final String name)
    {
        return new File("/dev/shm", name + ".agrona");
    }

    static UnsafeBuffer message(final int length)
    {
        return new UnsafeBuffer(BufferUtil.allocateDirectAligned(Math.max(length, 64), 64));
    }
}
