package io.shm.channel;

import io.shm.segment.Segment;
import io.shm.segment.SegmentOptions;
import io.shm.wait.WaitStrategy;
import io.shm.wait.linux.Futex;
import io.shm.wait.linux.Membarrier;
import io.shm.value.IntValue;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The child JVM of the channel tests: {@code main(command, directory, segment, channel, args...)}.
 */
public final class ChannelChild
{
    private ChannelChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final String command = args[0];
        final SegmentOptions options = SegmentOptions.defaults().withDirectory(Path.of(args[1]));
        try (Segment segment = Segment.open(args[2], options))
        {
            if (command.equals("echo-server"))
            {
                echoServer(segment, args[3]);
                return;
            }
            if (command.equals("slow-ping"))
            {
                slowPing(Channel.open(segment, args[3]), Channel.open(segment, args[4]), Integer.parseInt(args[5]),
                    Long.parseLong(args[6]));
                return;
            }
            final Channel channel = Channel.open(segment, args[3]);
            switch (command)
            {
                case "send-sequence" -> sendSequence(channel, Integer.parseInt(args[4]), Long.parseLong(args[5]));
                case "attach-churn" -> attachChurn(channel, Integer.parseInt(args[4]), Long.parseLong(args[5]));
                case "send-paced" -> sendPaced(channel, Integer.parseInt(args[4]), Long.parseLong(args[5]));
                case "send-doubles" -> sendDoubles(channel, Integer.parseInt(args[4]), Integer.parseInt(args[5]));
                case "receive-count" -> receiveCount(channel);
                case "receive-paced" -> receivePaced(channel, Integer.parseInt(args[4]), Long.parseLong(args[5]));
                case "claim-and-hang" -> claimAndHang(segment, channel, Integer.parseInt(args[4]));
                case "claim-only-and-hang" -> claimOnlyAndHang(channel, Integer.parseInt(args[4]));
                case "send-and-hang" -> sendAndHang(channel, Integer.parseInt(args[4]));
                case "receive-and-hang" -> receiveAndHang(channel);
                default -> throw new IllegalArgumentException("unknown command " + command);
            }
        }
    }

    /**
     * Sends {@code count} 32-byte messages: producer id, sequence number, padding.
     */
    private static void sendSequence(final Channel channel, final int producer, final long count) throws Exception
    {
        final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(32));
        try (ChannelSender sender = channel.sender())
        {
            System.out.println("sending");
            for (long i = 0; i < count; i++)
            {
                message.putLong(0, producer);
                message.putLong(8, i);
                sender.send(message, 0, 32);
            }
        }
        System.out.println("sent " + count);
    }

    /**
     * For {@code millis}: attaches a sender, sends one 32-byte message (producer id, sequence
     * number) and closes it, over and over; an attach refused because another sender is attached
     * is counted and retried.
     */
    private static void attachChurn(final Channel channel, final int producer, final long millis) throws Exception
    {
        final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(32));
        final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long sent = 0;
        long refused = 0;
        System.out.println("churning");
        while (System.nanoTime() - end < 0)
        {
            final ChannelSender sender;
            try
            {
                sender = channel.sender();
            }
            catch (final IllegalStateException attached)
            {
                refused++;
                continue;
            }
            try (sender)
            {
                message.putLong(0, producer);
                message.putLong(8, sent);
                sender.send(message, 0, 32);
                sent++;
            }
        }
        System.out.println("sent " + sent + " refused " + refused);
    }

    /**
     * Sends {@code count} 32-byte messages (sequence number, padding), one every {@code gapMicros}
     * microseconds, busy-waiting between them.
     */
    private static void sendPaced(final Channel channel, final int count, final long gapMicros) throws Exception
    {
        final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(32));
        try (ChannelSender sender = channel.sender())
        {
            System.out.println("sending");
            long next = System.nanoTime();
            for (int i = 0; i < count; i++)
            {
                next += gapMicros * 1_000;
                while (System.nanoTime() - next < 0)
                {
                    Thread.onSpinWait();
                }
                message.putLong(0, i);
                sender.send(message, 0, 32);
            }
        }
        System.out.println("sent " + count);
    }

    private static void sendDoubles(final Channel channel, final int messages, final int length) throws Exception
    {
        final double[] values = new double[length];
        try (ChannelSender sender = channel.sender())
        {
            for (int m = 0; m < messages; m++)
            {
                for (int i = 0; i < length; i++)
                {
                    values[i] = m * 1_000_000.0 + i;
                }
                sender.sendDoubles(values, 0, length);
            }
        }
        System.out.println("sent " + messages);
    }

    /**
     * Sends {@code i} on {@code out} and waits for it back on {@code in}, {@code count} times, each
     * send {@code delayMicros} after the answer, so that both sides go to sleep every time. Sleeps
     * last up to 10 s: a wake-up that went missing shows as a stall, not a slice's pause.
     */
    private static void slowPing(final Channel out, final Channel in, final int count, final long delayMicros)
        throws Exception
    {
        final WaitStrategy strategy = WaitStrategy.defaultStrategy().withCounts(20, 0, TimeUnit.SECONDS.toNanos(10));
        final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
        try (ChannelSender sender = out.sender(); ChannelReceiver receiver = in.receiver(strategy))
        {
            System.out.println("pinging");
            final long fences = Membarrier.fenceCalls();
            boolean unfenced = true;
            for (int i = 0; i < count; i++)
            {
                busy(delayMicros);
                message.putLong(0, i);
                sender.send(message, 0, 8);
                unfenced &= sender.fencedByReceiver();
                receiver.receive(message, 0);
                if (message.getLong(0) != i)
                {
                    throw new IllegalStateException("answer " + message.getLong(0) + " to " + i);
                }
            }
            System.out.println("pinged " + count + ", commits unfenced " + unfenced + ", barriers sent " +
                (Membarrier.fenceCalls() - fences));
        }
    }

    static void busy(final long micros)
    {
        final long end = System.nanoTime() + micros * 1_000;
        while (System.nanoTime() - end < 0)
        {
            Thread.onSpinWait();
        }
    }

    /**
     * Receives the {@code count} messages of {@code send-paced} with rounds of 20 spins and the
     * given adaptive spin limit, checking their order, and prints how many times it slept over the
     * second half, once both JVMs have compiled their paths.
     */
    private static void receivePaced(final Channel channel, final int count, final long adaptiveSpinMicros)
        throws Exception
    {
        final WaitStrategy strategy = WaitStrategy.defaultStrategy()
            .withCounts(20, 0, WaitStrategy.DEFAULT_SLICE_NANOS)
            .withAdaptiveSpin(TimeUnit.MICROSECONDS.toNanos(adaptiveSpinMicros));
        final UnsafeBuffer into = new UnsafeBuffer(new byte[32]);
        try (ChannelReceiver receiver = channel.receiver(strategy))
        {
            System.out.println("receiving");
            long before = 0;
            for (int i = 0; i < count; i++)
            {
                if (i == count / 2)
                {
                    before = Futex.waitCalls();
                }
                if (receiver.receive(into, 0) != 32 || into.getLong(0) != i)
                {
                    throw new IllegalStateException("message " + i + " out of order: " + into.getLong(0));
                }
            }
            System.out.println("sleeps " + (Futex.waitCalls() - before));
        }
    }

    private static void receiveCount(final Channel channel) throws Exception
    {
        final byte[] message = new byte[1024];
        long count = 0;
        try (ChannelReceiver receiver = channel.receiver())
        {
            System.out.println("receiving");
            while (true)
            {
                receiver.receive(message);
                count++;
            }
        }
        catch (final RuntimeException ex)
        {
            System.out.println("received " + count + " then " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
        }
    }

    private static void claimAndHang(final Segment segment, final Channel channel, final int length) throws Exception
    {
        final ChannelSender sender = channel.sender();
        sender.send(new byte[] {1, 2, 3});
        final int index = sender.tryClaim(length);
        if (index < 0)
        {
            throw new IllegalStateException("no room");
        }
        sender.buffer().putLong(index, 42);
        System.out.println("claimed");
        if (length > 8)
        {
            // Stopped (not killed) in the middle of a claim, the record is committed once the test
            // has continued this process and says "go".
            final io.shm.value.IntValue go = IntValue.openOrCreate(segment, "go");
            while (go.get() == 0)
            {
                Thread.onSpinWait();
            }
            sender.commit(index);
            System.out.println("committed");
            sender.close();
            return;
        }
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void claimOnlyAndHang(final Channel channel, final int length) throws Exception
    {
        final ChannelSender sender = channel.sender();
        if (sender.tryClaim(length) < 0)
        {
            throw new IllegalStateException("no room");
        }
        System.out.println("claimed");
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void sendAndHang(final Channel channel, final int messages) throws Exception
    {
        final ChannelSender sender = channel.sender();
        for (int i = 0; i < messages; i++)
        {
            sender.send(new byte[] {(byte)i});
        }
        System.out.println("sent " + messages);
        Thread.sleep(Long.MAX_VALUE);
    }

    /**
     * The tutorial's echo server: receives (x, y) and answers x + y until the client closes.
     */
    private static void echoServer(final Segment segment, final String pipe) throws Exception
    {
        try (Connection connection = Pipe.connect(segment, pipe, Pipe.End.SECOND))
        {
            final long[] pair = new long[2];
            while (true)
            {
                try
                {
                    connection.receiveLongs(pair);
                }
                catch (final io.shm.exceptions.ChannelClosedException eof)
                {
                    System.out.println("server saw EOF");
                    return;
                }
                connection.sendLongs(new long[] {pair[0] + pair[1]});
            }
        }
    }

    private static void receiveAndHang(final Channel channel) throws Exception
    {
        final ChannelReceiver receiver = channel.receiver();
        System.out.println("attached " + receiver);
        Thread.sleep(Long.MAX_VALUE);
    }
}
