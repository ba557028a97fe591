package io.shm.wait;

import io.shm.broadcast.Broadcast;
import io.shm.broadcast.BroadcastOptions;
import io.shm.broadcast.BroadcastReceiver;
import io.shm.broadcast.BroadcastSender;
import io.shm.channel.Channel;
import io.shm.channel.ChannelOptions;
import io.shm.channel.ChannelReceiver;
import io.shm.channel.ChannelSender;
import io.shm.channel.Connection;
import io.shm.channel.Pipe;
import io.shm.exceptions.ChannelClosedException;
import io.shm.exceptions.PeerDiedException;
import io.shm.process.JvmProcess;
import io.shm.segment.SegmentOptions;
import io.shm.test.ChildArgs;
import io.shm.test.SegmentTestCase;
import io.shm.wait.linux.Futex;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.*;

/**
 * One thread waits on 8 sources (5 channels, a pipe, 2 broadcast receivers) fed by 3 other JVMs
 * in bursts on random sources: every message arrives once and in order, the waiter sleeps between
 * bursts, and sources that end or whose sender dies while waited on come back ready.
 */
@Timeout(300)
class CrossProcessWaitManyTest extends SegmentTestCase
{
    private static final int BURSTS = 150;
    private static final ChannelOptions CHANNEL = ChannelOptions.defaults().withCapacity(64 * 1024);
    private static final BroadcastOptions BROADCAST = BroadcastOptions.defaults().withCapacity(64 * 1024)
        .withBackPressure(true);

    @Override
    protected SegmentOptions options(final SegmentOptions defaults)
    {
        return defaults.withSize(4 << 20);
    }

    @Test
    void oneThreadReceivesEveryMessageOfEightSourcesInFourJvms() throws Exception
    {
        // The sources, named as the children name what they feed.
        final Map<Waitable, String> names = new LinkedHashMap<>();
        for (final String channel : new String[] {"c0", "c1", "c2", "c3", "c4"})
        {
            names.put(Channel.openOrCreate(segment, channel, CHANNEL).receiver(), channel);
        }
        names.put(Pipe.connect(segment, "p0", Pipe.End.FIRST), "p0");
        for (final String broadcast : new String[] {"b0", "b1"})
        {
            names.put(Broadcast.openOrCreate(segment, broadcast, BROADCAST).receiver(BroadcastReceiver.Start.OLDEST),
                broadcast);
        }
        final Map<String, Long> next = new HashMap<>();
        names.values().forEach(source -> next.put(source, 0L));
        final List<Waitable> open = new ArrayList<>(names.keySet());
        final Map<String, String> endings = new HashMap<>();
        final long sleepsBefore = Futex.waitCalls();
        int waits = 0;
        try (JvmProcess a = child("1", "c0", "c1", "c2"); JvmProcess b = child("2", "c3", "c4", "b0");
            JvmProcess c = child("3", "p0", "b1"))
        {
            boolean killed = false;
            final byte[] into = new byte[64];
            final UnsafeBuffer view = new UnsafeBuffer(into);
            final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!open.isEmpty())
            {
                assertTrue(System.nanoTime() - deadline < 0, "every source ended within 2 minutes; still open: " +
                    open.size() + "; " + a.output() + b.output() + c.output());
                final List<Waitable> ready = WaitMany.await(open, 1, TimeUnit.SECONDS);
                waits++;
                for (final Waitable source : ready)
                {
                    final String sourceName = names.get(source);
                    try
                    {
                        // Ready: a receive returns at once, or fails with the end of the stream.
                        do
                        {
                            receive(source, into);
                            assertEquals(next.get(sourceName), view.getLong(0), "the next message of " + sourceName);
                            next.merge(sourceName, 1L, Long::sum);
                        }
                        while (source.isReady());
                    }
                    catch (final ChannelClosedException | PeerDiedException end)
                    {
                        endings.put(sourceName, end.getClass().getSimpleName());
                        open.remove(source);
                    }
                }
                if (!killed && c.output().contains("sent all"))
                {
                    // The third child has sent everything and waits to be killed: its sources end by its death.
                    c.kill();
                    killed = true;
                }
            }
            for (final JvmProcess child : List.of(a, b))
            {
                assertEquals(0, child.join(30, TimeUnit.SECONDS), child.output());
            }
            for (final JvmProcess child : List.of(a, b, c))
            {
                for (final String line : child.lines())
                {
                    if (line.startsWith("sent "))
                    {
                        final String[] words = line.split(" ");
                        if (!words[1].equals("all"))
                        {
                            assertEquals(Long.parseLong(words[2]), next.get(words[1]), "every message of " + words[1] +
                                " arrived once: " + line);
                        }
                    }
                }
            }
        }
        assertEquals("ChannelClosedException", endings.get("c0"));
        assertEquals("ChannelClosedException", endings.get("b0"));
        assertEquals("PeerDiedException", endings.get("p0"));
        assertEquals("PeerDiedException", endings.get("b1"));
        final long sleeps = Futex.waitCalls() - sleepsBefore;
        assertTrue(sleeps >= BURSTS / 2, "the waiter slept between bursts: " + sleeps + " sleeps in " + waits + " waits");
    }

    private static void receive(final Waitable source, final byte[] into) throws InterruptedException
    {
        if (source instanceof ChannelReceiver receiver)
        {
            receiver.receive(into);
        }
        else if (source instanceof Connection connection)
        {
            connection.receive(into);
        }
        else
        {
            ((BroadcastReceiver)source).receive(into);
        }
    }

    private JvmProcess child(final String seed, final String... sources)
    {
        final List<String> args = new ArrayList<>(List.of(seed));
        args.addAll(List.of(sources));
        return ChildArgs.child(Feed.class, segments, segment.name(), args.toArray(String[]::new)).start();
    }

    /**
     * Child: sends {@value #BURSTS} bursts of 1 to 40 messages, each burst on one of its sources
     * chosen at random, with a pause of 1 to 10 ms between bursts; each message is 16 bytes, the
     * source's next sequence number first. Then reports "sent NAME COUNT" for each source and
     * closes them, unless its seed is 3: that one reports "sent all" and waits to be killed.
     * {@code (seed, source...)}: names starting with c are channels, p a pipe, b broadcasts.
     */
    public static final class Feed
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.open(args))
            {
                final int seed = child.getInt(0);
                final List<String> names = new ArrayList<>();
                final List<Object> senders = new ArrayList<>();
                for (int i = 1; child.has(i); i++)
                {
                    final String source = child.get(i);
                    names.add(source);
                    senders.add(switch (source.charAt(0))
                    {
                        case 'c' -> Channel.open(child.segment(), source).sender();
                        case 'p' -> Pipe.open(child.segment(), source, Pipe.End.SECOND);
                        default -> Broadcast.open(child.segment(), source).sender();
                    });
                }
                final long[] sent = new long[names.size()];
                final UnsafeBuffer message = new UnsafeBuffer(new byte[16]);
                final SplittableRandom random = new SplittableRandom(seed);
                for (int burst = 0; burst < BURSTS; burst++)
                {
                    final int source = random.nextInt(names.size());
                    for (int m = random.nextInt(1, 41); m > 0; m--)
                    {
                        message.putLong(0, sent[source]++);
                        send(senders.get(source), message);
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(random.nextInt(1, 11)));
                }
                for (int i = 0; i < names.size(); i++)
                {
                    System.out.println("sent " + names.get(i) + " " + sent[i]);
                }
                if (seed == 3)
                {
                    System.out.println("sent all");
                    Thread.sleep(Long.MAX_VALUE);
                }
                for (final Object sender : senders)
                {
                    ((AutoCloseable)sender).close();
                }
            }
        }

        private static void send(final Object sender, final UnsafeBuffer message) throws InterruptedException
        {
            if (sender instanceof ChannelSender channel)
            {
                channel.send(message, 0, 16);
            }
            else if (sender instanceof Connection connection)
            {
                connection.send(message.byteArray(), 0, 16);
            }
            else
            {
                ((BroadcastSender)sender).send(message, 0, 16);
            }
        }
    }
}
