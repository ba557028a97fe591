package io.shm.bridge;

import io.shm.broadcast.Broadcast;
import io.shm.broadcast.BroadcastOptions;
import io.shm.broadcast.BroadcastReceiver;
import io.shm.broadcast.BroadcastSender;
import io.shm.exceptions.PeerDiedException;
import io.shm.process.JvmProcess;
import io.shm.segment.Segment;
import io.shm.test.ChildArgs;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Two "hosts" on this machine, each a JVM with its own media driver, bridged over loopback UDP: the
 * parent sends into host A's broadcast and reads host B's.
 */
@Timeout(300)
class BridgeTest
{
    static final int STREAM = 1001;
    static final BroadcastOptions BIG = BroadcastOptions.defaults().withBackPressure(true).withCapacity(1 << 20);
    static final BroadcastOptions SMALL = BroadcastOptions.defaults().withBackPressure(true).withCapacity(64 * 1024)
        .withMaxMessageLength(4096);

    private BridgeHosts hosts;
    private Segment hostA;
    private Segment hostB;
    private String channel;

    @BeforeEach
    void makeHosts() throws IOException
    {
        hosts = new BridgeHosts();
        hostA = hosts.hostA;
        hostB = hosts.hostB;
        channel = hosts.channel;
    }

    @AfterEach
    void removeHosts() throws IOException
    {
        hosts.close();
    }

    @Test
    void aMillionMessagesOfMixedSizesCrossWholeAndInOrder() throws Exception
    {
        final Broadcast out = Broadcast.create(hostA, "out", BIG);
        final Broadcast in = Broadcast.create(hostB, "in", BIG);
        try (BroadcastReceiver receiver = in.receiver(BroadcastReceiver.Start.OLDEST);
             JvmProcess bridgeIn = host(BridgeInHost.class, hostB, "in");
             JvmProcess bridgeOut = host(BridgeOutHost.class, hostA, "out"))
        {
            awaitBridging(bridgeIn, bridgeOut);
            final int messages = 1_000_000;
            final CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> send(out, 0, messages, true));
            final Check check = new Check(in.options().maxMessageLength());
            check.receiveUntilEnd(receiver::receive);
            sending.get(60, TimeUnit.SECONDS);
            assertEquals(messages, check.count);
            assertTrue(check.missing.isEmpty(), check.missing.toString());
            assertTrue(check.largest >= 65_536, "messages larger than the MTU crossed whole: " + check.largest);
        }
    }

    @Test
    void aSlowReceiverHoldsTheFarSenderBack() throws Exception
    {
        final Broadcast out = Broadcast.create(hostA, "out", SMALL);
        final Broadcast in = Broadcast.create(hostB, "in", SMALL);
        try (BroadcastReceiver receiver = in.receiver(BroadcastReceiver.Start.OLDEST);
             JvmProcess bridgeIn = host(BridgeInHost.class, hostB, "in");
             JvmProcess bridgeOut = host(BridgeOutHost.class, hostA, "out"))
        {
            awaitBridging(bridgeIn, bridgeOut);
            final int messages = 20_000;
            final Check check = new Check(in.options().maxMessageLength());
            final CompletableFuture<Long> sending = CompletableFuture.supplyAsync(() ->
            {
                send(out, 0, messages, true);
                return check.count;
            });
            check.slowNanos = TimeUnit.MICROSECONDS.toNanos(100);
            check.receiveUntilEnd(receiver::receive);
            final long receivedWhenSent = sending.get(60, TimeUnit.SECONDS);
            assertEquals(messages, check.count);
            bridgeOut.awaitOutput(line -> line.startsWith("forwarded"), 60, TimeUnit.SECONDS);
            bridgeIn.awaitOutput(line -> line.startsWith("ended"), 60, TimeUnit.SECONDS);
            // What can be in flight is bounded by the two rings, Aeron's window and half a term:
            // a few thousand messages here, so the sender could finish only near the receiver.
            assertTrue(receivedWhenSent >= messages / 2, "the sender was held back: when it finished, the slow " +
                "receiver had taken " + receivedWhenSent + " of " + messages + "; " + bridgeOut.output() + bridgeIn.output());
        }
    }

    @Test
    void aReceivingBridgeKilledAndRestartedReportsExactlyWhatItMissed() throws Exception
    {
        final Broadcast out = Broadcast.create(hostA, "out", SMALL);
        final Broadcast in = Broadcast.create(hostB, "in", SMALL);
        final int messages = 300_000;
        try (BroadcastReceiver receiver = in.receiver(BroadcastReceiver.Start.OLDEST);
             JvmProcess bridgeOut = host(BridgeOutHost.class, hostA, "out"))
        {
            final Check check = new Check(in.options().maxMessageLength());
            final CompletableFuture<Void> sending;
            try (JvmProcess first = host(BridgeInHost.class, hostB, "in"))
            {
                first.awaitOutput(line -> line.equals("delivering"), 60, TimeUnit.SECONDS);
                bridgeOut.awaitOutput(line -> line.equals("bridging"), 60, TimeUnit.SECONDS);
                sending = CompletableFuture.runAsync(() -> send(out, 0, messages, true));
                while (check.count < 50_000)
                {
                    check.receiveSome(receiver::receive);
                }
                first.killAndWait();
            }
            check.drainAfterDeath(receiver::receive);
            try (JvmProcess second = host(BridgeInHost.class, hostB, "in"))
            {
                second.awaitOutput(line -> line.equals("delivering"), 60, TimeUnit.SECONDS);
                check.receiveUntilEnd(receiver::receive);
                sending.get(60, TimeUnit.SECONDS);
                second.awaitOutput(line -> line.startsWith("ended"), 60, TimeUnit.SECONDS);
                final long reported = BridgeHosts.gaps(second.output());
                assertEquals(check.missing.size(), reported, "every message missed was reported, and only those: " +
                    second.output());
                assertEquals(messages, check.count + check.missing.size());
            }
        }
    }

    @Test
    void twoHostsReceiveOneStreamOverAMultiDestinationChannel() throws Exception
    {
        final String control = "127.0.0.1:" + BridgeHosts.freePort();
        final Broadcast out = Broadcast.create(hostA, "out", SMALL);
        final Broadcast inB = Broadcast.create(hostB, "in", SMALL);
        final Broadcast inC = Broadcast.create(hostA, "inC", SMALL);
        final int messages = 100_000;
        try (BroadcastReceiver receiverB = inB.receiver(BroadcastReceiver.Start.OLDEST);
             BroadcastReceiver receiverC = inC.receiver(BroadcastReceiver.Start.OLDEST);
             JvmProcess hostB = hosts.host(BridgeInHost.class, this.hostB, "in",
                 "aeron:udp?endpoint=127.0.0.1:" + BridgeHosts.freePort() + "|control=" + control + "|control-mode=dynamic");
             JvmProcess hostC = hosts.host(BridgeInHost.class, hostA, "inC",
                 "aeron:udp?endpoint=127.0.0.1:" + BridgeHosts.freePort() + "|control=" + control + "|control-mode=dynamic");
             JvmProcess bridgeOut = hosts.host(BridgeOutHost.class, hostA, "out",
                 "aeron:udp?control=" + control + "|control-mode=dynamic|fc=min,g:/2"))
        {
            hostB.awaitOutput(line -> line.startsWith("delivering"), 60, TimeUnit.SECONDS);
            hostC.awaitOutput(line -> line.startsWith("delivering"), 60, TimeUnit.SECONDS);
            bridgeOut.awaitOutput(line -> line.equals("bridging"), 60, TimeUnit.SECONDS);
            final CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> send(out, 0, messages, true));
            final Check checkC = new Check(inC.options().maxMessageLength());
            final CompletableFuture<Void> receivingC = CompletableFuture.runAsync(() ->
            {
                try
                {
                    checkC.receiveUntilEnd(receiverC::receive);
                }
                catch (final InterruptedException ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            final Check checkB = new Check(inB.options().maxMessageLength());
            checkB.receiveUntilEnd(receiverB::receive);
            receivingC.get(120, TimeUnit.SECONDS);
            sending.get(60, TimeUnit.SECONDS);
            assertEquals(messages, checkB.count, hostB.output());
            assertEquals(messages, checkC.count, hostC.output());
        }
    }

    @Test
    void aSendingBridgeKilledIsReportedToTheReceiver() throws Exception
    {
        final Broadcast out = Broadcast.create(hostA, "out", SMALL);
        Broadcast.create(hostB, "in", SMALL);
        try (JvmProcess bridgeIn = host(BridgeInHost.class, hostB, "in");
             JvmProcess bridgeOut = host(BridgeOutHost.class, hostA, "out"))
        {
            awaitBridging(bridgeIn, bridgeOut);
            final BroadcastSender sender = out.sender();
            sender.send(new byte[16]);
            bridgeIn.awaitOutput(line -> line.startsWith("connected"), 60, TimeUnit.SECONDS);
            final long killed = System.nanoTime();
            bridgeOut.killAndWait();
            bridgeIn.awaitOutput(line -> line.startsWith("disconnected"), 30, TimeUnit.SECONDS);
            assertTrue(System.nanoTime() - killed < TimeUnit.SECONDS.toNanos(15));
            sender.close();
        }
    }

    /**
     * Waits until each bridge process says it is running.
     */
    private static void awaitBridging(final JvmProcess... bridges) throws Exception
    {
        for (final JvmProcess bridge : bridges)
        {
            bridge.awaitOutput(line -> line.startsWith("delivering") || line.equals("bridging"), 60, TimeUnit.SECONDS);
        }
    }

    private JvmProcess host(final Class<?> main, final Segment segment, final String broadcast) throws IOException
    {
        return hosts.host(main, segment, broadcast, channel);
    }

    static int size(final long i)
    {
        return i % 1000 == 999 ? 65_536 : 16 + (int)(i % 32) * 8;
    }

    /**
     * Sends messages {@code from} to {@code to - 1}: each its number, its complement, then zeros to its size.
     */
    static void send(final Broadcast out, final long from, final long to, final boolean close)
    {
        final BroadcastSender sender = out.sender();
        final UnsafeBuffer message = new UnsafeBuffer(new byte[65_536]);
        final int max = out.options().maxMessageLength();
        try
        {
            for (long i = from; i < to; i++)
            {
                message.putLong(0, i);
                message.putLong(8, ~i);
                sender.send(message, 0, Math.min(size(i), max));
            }
        }
        catch (final InterruptedException ex)
        {
            throw new IllegalStateException(ex);
        }
        finally
        {
            if (close)
            {
                sender.close();
            }
        }
    }

    /**
     * A local end the parent reads host B's stream from: a broadcast's or a channel's receiver.
     */
    @FunctionalInterface
    interface Receive
    {
        byte[] receive() throws InterruptedException;
    }

    /**
     * The parent's view of host B's stream: every message whole, in order, and which were missing.
     */
    static final class Check
    {
        long next;
        // Read by the sending thread too.
        volatile long count;
        int largest;
        long slowNanos;
        final List<Long> missing = new ArrayList<>();
        final int max;

        Check(final int max)
        {
            this.max = max;
        }

        void receiveUntilEnd(final Receive receiver) throws InterruptedException
        {
            while (true)
            {
                try
                {
                    take(receiver.receive());
                }
                catch (final io.shm.exceptions.ChannelClosedException end)
                {
                    return;
                }
            }
        }

        void receiveSome(final Receive receiver) throws InterruptedException
        {
            take(receiver.receive());
        }

        void drainAfterDeath(final Receive receiver) throws InterruptedException
        {
            while (true)
            {
                try
                {
                    take(receiver.receive());
                }
                catch (final PeerDiedException died)
                {
                    return;
                }
            }
        }

        private void take(final byte[] message)
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(message);
            final long i = buffer.getLong(0);
            assertEquals(~i, buffer.getLong(8));
            assertEquals(Math.min(size(i), max), message.length, "message " + i);
            assertTrue(i >= next, "message " + i + " after " + (next - 1));
            for (long lost = next; lost < i; lost++)
            {
                missing.add(lost);
            }
            next = i + 1;
            count++;
            largest = Math.max(largest, message.length);
            if (slowNanos > 0)
            {
                final long until = System.nanoTime() + slowNanos;
                while (System.nanoTime() < until)
                {
                    Thread.onSpinWait();
                }
            }
        }
    }

    /**
     * Child, host A: its own media driver, bridging its broadcast out: {@code (broadcast, driver dir, channel)}.
     */
    public static final class BridgeOutHost
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.open(args);
                 AeronHost host = AeronHost.launch(Path.of(child.get(1)));
                 BridgeOut bridge = BridgeOut.start(Broadcast.open(child.segment(), child.get(0)), host.aeron(),
                     child.get(2), STREAM))
            {
                System.out.println("bridging");
                bridge.run(() -> false);
                System.out.println("forwarded " + bridge.forwarded() + ", refused " + bridge.refusals() + " times");
                // Stay until killed: the publication keeps what the far side has not yet taken.
                Thread.sleep(Long.MAX_VALUE);
            }
        }
    }

    /**
     * Child, host B: its own media driver, delivering into its broadcast: {@code (broadcast, driver dir, channel)}.
     */
    public static final class BridgeInHost
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.open(args);
                 AeronHost host = AeronHost.launch(Path.of(child.get(1)));
                 BridgeIn bridge = BridgeIn.start(host.aeron(), child.get(2), STREAM, Broadcast.open(child.segment(),
                     child.get(0)), new BridgeIn.Listener()
                     {
                         @Override
                         public void onGap(final long from, final long to)
                         {
                             System.out.println("gap " + from + ".." + to);
                         }

                         @Override
                         public void onConnected(final String source)
                         {
                             System.out.println("connected " + source);
                         }

                         @Override
                         public void onDisconnected(final String source)
                         {
                             System.out.println("disconnected " + source);
                         }
                     }))
            {
                System.out.println("delivering");
                bridge.run(() -> false);
                System.out.println("ended; received " + bridge.received() + ", refused " + bridge.refusals() + " times");
                Thread.sleep(Long.MAX_VALUE);
            }
        }
    }
}
