package io.shm.examples;

import io.shm.broadcast.Broadcast;
import io.shm.broadcast.BroadcastOptions;
import io.shm.broadcast.BroadcastReceiver;
import io.shm.broadcast.BroadcastSender;
import io.shm.channel.Channel;
import io.shm.channel.ChannelOptions;
import io.shm.channel.ChannelReceiver;
import io.shm.channel.ChannelSender;
import io.shm.exceptions.ChannelClosedException;
import io.shm.process.JvmProcess;
import io.shm.segment.Segment;
import io.shm.wait.WaitMany;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A price feed read by several processes (not in Python's tutorial; its
 * {@code multiprocessing.connection.wait} is the second half). The parent broadcasts 1,000 ticks
 * to three reader processes through a back-pressured {@link Broadcast}, so that none is lost; each
 * reader sums what it read and reports on a channel of its own; the parent waits on the three
 * report channels at once with {@link WaitMany} and prints each report as it comes.
 */
public final class BroadcastFeedExample
{
    static final int READERS = 3;
    static final int TICKS = 1000;

    private BroadcastFeedExample()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length > 0)
        {
            read(args[0], args[1]);
            return;
        }
        final Segment segment = Example.newSegment("broadcast-feed");
        final List<JvmProcess> readers = new ArrayList<>();
        try
        {
            final Broadcast feed = Broadcast.create(segment, "prices",
                BroadcastOptions.defaults().withCapacity(64 * 1024).withBackPressure(true));
            final List<ChannelReceiver> reports = new ArrayList<>();
            for (int i = 1; i <= READERS; i++)
            {
                reports.add(Channel.create(segment, "report-" + i, ChannelOptions.defaults().withCapacity(4096)).receiver());
                readers.add(Example.start(BroadcastFeedExample.class, segment.name(), "reader-" + i));
            }
            // The readers join at the oldest tick; the feed starts once all have joined.
            Example.awaitReceivers(feed, readers);
            try (BroadcastSender sender = feed.sender())
            {
                final UnsafeBuffer tick = new UnsafeBuffer(new byte[Long.BYTES]);
                for (long price = 0; price < TICKS; price++)
                {
                    tick.putLong(0, price);
                    sender.send(tick, 0, Long.BYTES);
                }
            }
            System.out.println("parent sent " + TICKS + " ticks to " + READERS + " readers");
            // One report from each reader, in the order they come; a report channel is waited on
            // no more once heard (its reader then closes it, and a closed one counts as ready).
            final List<ChannelReceiver> waiting = new ArrayList<>(reports);
            while (!waiting.isEmpty())
            {
                for (final ChannelReceiver report : WaitMany.await(waiting))
                {
                    System.out.println("parent heard: " + new String(report.receive(), StandardCharsets.UTF_8));
                    waiting.remove(report);
                }
            }
            for (final JvmProcess reader : readers)
            {
                Example.join(reader);
            }
        }
        finally
        {
            readers.forEach(JvmProcess::close);
            Example.remove(segment);
        }
    }

    /**
     * A reader: joins the feed at its oldest tick, reads to its end, and reports.
     */
    private static void read(final String segmentName, final String name) throws Exception
    {
        try (Segment segment = Example.openSegment(segmentName);
            BroadcastReceiver receiver = Broadcast.open(segment, "prices").receiver(BroadcastReceiver.Start.OLDEST);
            ChannelSender report = Channel.open(segment, "report-" + name.substring(name.indexOf('-') + 1)).sender())
        {
            final byte[] tick = new byte[Long.BYTES];
            final UnsafeBuffer view = new UnsafeBuffer(tick);
            long count = 0;
            long sum = 0;
            try
            {
                while (true)
                {
                    receiver.receive(tick);
                    sum += view.getLong(0);
                    count++;
                }
            }
            catch (final ChannelClosedException end)
            {
                report.send((name + ": " + count + " ticks, sum " + sum + ", lost " + receiver.lostMessages())
                    .getBytes(StandardCharsets.UTF_8));
            }
        }
    }
}
