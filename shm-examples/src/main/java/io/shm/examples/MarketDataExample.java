package io.shm.examples;

import io.shm.broadcast.Broadcast;
import io.shm.broadcast.BroadcastOptions;
import io.shm.broadcast.BroadcastReceiver;
import io.shm.broadcast.BroadcastSender;
import io.shm.exceptions.ChannelClosedException;
import io.shm.process.JvmProcess;
import io.shm.segment.Segment;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A market-data feed (not in Python's tutorial): one feed process publishes a tick every 2 µs on
 * a lossy {@link Broadcast}, which never makes it wait, and two reader processes read them, one
 * fast and one that spends at least 20 µs on each tick (it sleeps). The slow one falls a ring
 * behind, is lapped, and is told exactly how many ticks it lost. Each reader checks that the
 * ticks it got came in order and that what it got and what it lost add up to the whole feed, and
 * prints its report.
 */
public final class MarketDataExample
{
    static final int TICKS = 100_000;
    static final String[] READERS = {"fast", "slow"};
    private static final long SLOW_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    private static final long TICK_NANOS = TimeUnit.MICROSECONDS.toNanos(2);

    private MarketDataExample()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length > 1 && args[1].equals("feed"))
        {
            feed(args[0]);
            return;
        }
        if (args.length > 1)
        {
            read(args[0], args[1]);
            return;
        }
        final Segment segment = Example.newSegment("market-data");
        final List<JvmProcess> children = new ArrayList<>();
        try
        {
            // Lossy: the feed never waits for a reader. 1 MiB holds some 30 ms of ticks, enough for a
            // reader that keeps up but is descheduled now and then.
            final Broadcast ticks = Broadcast.create(segment, "ticks", BroadcastOptions.defaults().withCapacity(1 << 20));
            for (final String reader : READERS)
            {
                children.add(Example.start(MarketDataExample.class, segment.name(), reader));
            }
            // The readers join at the newest tick; the feed starts once both have joined.
            Example.awaitReceivers(ticks, children);
            children.add(Example.start(MarketDataExample.class, segment.name(), "feed"));
            for (final JvmProcess child : children)
            {
                Example.join(child);
            }
        }
        finally
        {
            children.forEach(JvmProcess::close);
            Example.remove(segment);
        }
    }

    /**
     * The feed: ticks 0 to {@link #TICKS} - 1, each its number and a price, one every 2 µs.
     */
    private static void feed(final String segmentName)
    {
        try (Segment segment = Example.openSegment(segmentName);
            BroadcastSender sender = Broadcast.open(segment, "ticks").sender())
        {
            final UnsafeBuffer tick = new UnsafeBuffer(new byte[2 * Long.BYTES]);
            long due = System.nanoTime();
            for (long i = 0; i < TICKS; i++)
            {
                while (System.nanoTime() < due)
                {
                    Thread.onSpinWait();
                }
                due += TICK_NANOS;
                tick.putLong(0, i);
                tick.putDouble(Long.BYTES, 100.0 + (i % 200) / 100.0);
                sender.send(tick, 0, tick.capacity());
            }
            System.out.println("feed: published " + TICKS + " ticks without waiting for any reader");
        }
        catch (final InterruptedException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * A reader: reads to the end of the feed, checks the order of what it got, and reports.
     */
    private static void read(final String segmentName, final String name) throws Exception
    {
        final boolean slow = name.equals("slow");
        try (Segment segment = Example.openSegment(segmentName);
            BroadcastReceiver receiver = Broadcast.open(segment, "ticks").receiver(BroadcastReceiver.Start.NEWEST))
        {
            final byte[] tick = new byte[2 * Long.BYTES];
            final UnsafeBuffer view = new UnsafeBuffer(tick);
            long received = 0;
            long skipped = 0;
            long next = 0;
            try
            {
                while (true)
                {
                    receiver.receive(tick);
                    final long number = view.getLong(0);
                    if (number < next)
                    {
                        throw new IllegalStateException(name + " got tick " + number + " after " + (next - 1));
                    }
                    skipped += number - next;
                    next = number + 1;
                    received++;
                    if (slow)
                    {
                        // Slow work on the tick, done asleep so that the fast reader has the CPU.
                        LockSupport.parkNanos(SLOW_NANOS);
                    }
                }
            }
            catch (final ChannelClosedException end)
            {
                final long lost = receiver.lostMessages();
                System.out.printf("%s reader: received %d, told it lost %d, together %d of %d; " +
                    "the gaps it saw in the tick numbers: %d%n", name, received, lost, received + lost, TICKS,
                    skipped + TICKS - next);
            }
        }
    }
}
