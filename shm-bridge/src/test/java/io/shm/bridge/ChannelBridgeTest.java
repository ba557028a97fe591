package io.shm.bridge;

import io.shm.channel.Channel;
import io.shm.channel.ChannelOptions;
import io.shm.channel.ChannelReceiver;
import io.shm.channel.ChannelSender;
import io.shm.exceptions.PeerDiedException;
import io.shm.process.JvmProcess;
import io.shm.segment.Companion;
import io.shm.value.LongArray;
import io.shm.test.ChildArgs;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A one-to-one channel bridged between two "hosts" (JVMs with their own media drivers) over
 * loopback UDP: the parent sends into host A's channel and receives from host B's.
 */
@Timeout(300)
class ChannelBridgeTest
{
    static final int STREAM = 1002;
    /** On host A: every message of up to 64 KiB fits one record (an eighth of the ring). */
    static final ChannelOptions OUT = ChannelOptions.defaults().withCapacity(1 << 20).withMaxMessageLength(65_536);
    /** On host B: messages over 8 KiB take several records, so the bridge sends them with a blocking send. */
    static final ChannelOptions IN = ChannelOptions.defaults().withCapacity(64 * 1024).withMaxMessageLength(65_536);

    private BridgeHosts hosts;

    @BeforeEach
    void makeHosts() throws Exception
    {
        hosts = new BridgeHosts();
    }

    @AfterEach
    void removeHosts() throws Exception
    {
        hosts.close();
    }

    @Test
    void messagesOfMixedSizesCrossWholeAndInOrder() throws Exception
    {
        final Channel out = Channel.create(hosts.hostA, "out", OUT);
        final Channel in = Channel.create(hosts.hostB, "in", IN);
        try (ChannelReceiver receiver = in.receiver();
             JvmProcess bridgeIn = hosts.host(ChannelInHost.class, hosts.hostB, "in", hosts.channel);
             JvmProcess bridgeOut = hosts.host(ChannelOutHost.class, hosts.hostA, "out", hosts.channel))
        {
            bridgeIn.awaitOutput(line -> line.equals("delivering"), 60, TimeUnit.SECONDS);
            bridgeOut.awaitOutput(line -> line.equals("bridging"), 60, TimeUnit.SECONDS);
            final int messages = 300_000;
            final CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> send(out, messages));
            final BridgeTest.Check check = new BridgeTest.Check(IN.maxMessageLength());
            check.receiveUntilEnd(receiver::receive);
            sending.get(60, TimeUnit.SECONDS);
            assertEquals(messages, check.count);
            assertTrue(check.missing.isEmpty(), check.missing.toString());
            assertTrue(check.largest >= 65_536, "messages of several records crossed whole: " + check.largest);
            bridgeIn.awaitOutput(line -> line.startsWith("ended"), 60, TimeUnit.SECONDS);
        }
    }

    /**
     * The sending bridge is the channel's receiver: killed, its successor resumes from the count
     * and stream position it recorded, so nothing goes out twice; what the dead one's Aeron had
     * taken but not yet delivered is reported by the far side, exactly.
     */
    @Test
    void aSendingBridgeKilledAndRestartedSendsNothingTwiceAndWhatWasLostIsReported() throws Exception
    {
        final Channel out = Channel.create(hosts.hostA, "out", OUT);
        final Channel in = Channel.create(hosts.hostB, "in", IN);
        final int messages = 300_000;
        try (ChannelReceiver receiver = in.receiver();
             JvmProcess bridgeIn = hosts.host(ChannelInHost.class, hosts.hostB, "in", hosts.channel))
        {
            bridgeIn.awaitOutput(line -> line.equals("delivering"), 60, TimeUnit.SECONDS);
            final BridgeTest.Check check = new BridgeTest.Check(IN.maxMessageLength());
            final CompletableFuture<Void> sending;
            try (JvmProcess first = hosts.host(ChannelOutHost.class, hosts.hostA, "out", hosts.channel))
            {
                first.awaitOutput(line -> line.equals("bridging"), 60, TimeUnit.SECONDS);
                sending = CompletableFuture.runAsync(() -> send(out, messages));
                while (check.count < 50_000)
                {
                    check.receiveSome(receiver::receive);
                }
                first.killAndWait();
            }
            try (JvmProcess second = hosts.host(ChannelOutHost.class, hosts.hostA, "out", hosts.channel))
            {
                check.receiveUntilEnd(receiver::receive);
                sending.get(60, TimeUnit.SECONDS);
                bridgeIn.awaitOutput(line -> line.startsWith("ended"), 60, TimeUnit.SECONDS);
                assertEquals(check.missing.size(), BridgeHosts.gaps(bridgeIn.output()),
                    "every message missed was reported, and only those: " + bridgeIn.output());
                assertEquals(messages, check.count + check.missing.size());
                final java.util.regex.Matcher resumed = java.util.regex.Pattern.compile("resumed after (\\d+)").matcher(second.output());
                assertTrue(resumed.find() && Long.parseLong(resumed.group(1)) > 0, "the second bridge numbers on: " + second.output());
            }
        }
    }

    @Test
    void aReceivingBridgeKilledAndRestartedReportsExactlyWhatItMissed() throws Exception
    {
        final Channel out = Channel.create(hosts.hostA, "out", OUT);
        final Channel in = Channel.create(hosts.hostB, "in", IN);
        final int messages = 300_000;
        try (ChannelReceiver receiver = in.receiver();
             JvmProcess bridgeOut = hosts.host(ChannelOutHost.class, hosts.hostA, "out", hosts.channel))
        {
            final BridgeTest.Check check = new BridgeTest.Check(IN.maxMessageLength());
            final CompletableFuture<Void> sending;
            try (JvmProcess first = hosts.host(ChannelInHost.class, hosts.hostB, "in", hosts.channel))
            {
                first.awaitOutput(line -> line.equals("delivering"), 60, TimeUnit.SECONDS);
                bridgeOut.awaitOutput(line -> line.equals("bridging"), 60, TimeUnit.SECONDS);
                sending = CompletableFuture.runAsync(() -> send(out, messages));
                while (check.count < 50_000)
                {
                    check.receiveSome(receiver::receive);
                }
                first.killAndWait();
            }
            check.drainAfterDeath(receiver::receive);
            try (JvmProcess second = hosts.host(ChannelInHost.class, hosts.hostB, "in", hosts.channel))
            {
                // Until the new bridge is a sender, the channel says its only sender died.
                second.awaitOutput(line -> line.equals("delivering"), 60, TimeUnit.SECONDS);
                check.receiveUntilEnd(receiver::receive);
                sending.get(60, TimeUnit.SECONDS);
                second.awaitOutput(line -> line.startsWith("ended"), 60, TimeUnit.SECONDS);
                assertEquals(check.missing.size(), BridgeHosts.gaps(second.output()),
                    "every message missed was reported, and only those: " + second.output());
                assertEquals(messages, check.count + check.missing.size());
            }
        }
    }

    /**
     * The record of what went out has two slots, written count first and end last: a bridge that
     * died between the two stores left a slot whose count is new and whose end is old, and the
     * next bridge resumes from the other, whole one.
     */
    @Test
    void aRestartedBridgeResumesFromTheWholeSlotOfItsRecord() throws Exception
    {
        final Channel out = Channel.create(hosts.hostA, "out", OUT);
        final LongArray record = LongArray.create(hosts.hostA,
            Companion.FORWARDED.of(hosts.hostA.name(), "out"), 4);
        withLocalHost(host ->
        {
            // Slot 0 whole (5 sent, the last ending at 640); slot 1 torn (count 6 stored, end not yet).
            record.set(0, 5);
            record.set(1, 640);
            record.set(2, 6);
            record.set(3, 128);
            try (BridgeOut bridge = BridgeOut.start(out, host.aeron(), "aeron:ipc", STREAM))
            {
                assertEquals(5, bridge.resumedAfter());
            }
            // The store of the end came: slot 1 is the newer.
            record.set(3, 704);
            try (BridgeOut bridge = BridgeOut.start(out, host.aeron(), "aeron:ipc", STREAM))
            {
                assertEquals(6, bridge.resumedAfter());
            }
        });
    }

    /**
     * A channel whose messages can be longer than Aeron's, or that already has a receiver, is
     * refused with the reason, and the bridge leaves nothing behind: the channel can then be
     * bridged.
     */
    @Test
    void aChannelThatCannotBeBridgedIsRefusedWithTheReason() throws Exception
    {
        final Channel unbounded = Channel.create(hosts.hostA, "unbounded", ChannelOptions.defaults());
        final Channel taken = Channel.create(hosts.hostA, "taken", OUT);
        withLocalHost(host ->
        {
            final IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> BridgeOut.start(unbounded, host.aeron(), "aeron:ipc", STREAM));
            assertTrue(tooLong.getMessage().contains("67108864") && tooLong.getMessage().contains("raise the term"),
                tooLong.getMessage());
            try (ChannelReceiver receiver = taken.receiver())
            {
                final IllegalStateException held = assertThrows(IllegalStateException.class,
                    () -> BridgeOut.start(taken, host.aeron(), "aeron:ipc", STREAM));
                assertTrue(held.getMessage().contains("already has a receiver"), held.getMessage());
            }
            try (BridgeOut bridge = BridgeOut.start(taken, host.aeron(), "aeron:ipc", STREAM))
            {
                assertEquals(0, bridge.resumedAfter());
            }
        });
    }

    /**
     * Runs {@code test} with a media driver in this JVM, in a directory of its own.
     */
    private static void withLocalHost(final HostTest test) throws Exception
    {
        final Path driver = java.nio.file.Files.createTempDirectory(Path.of("/dev/shm"), "aeron-bridge-test-");
        try (AeronHost host = AeronHost.launch(driver))
        {
            test.run(host);
        }
        finally
        {
            // The host removes its directory when it closes; this is for a host that failed to start.
            if (java.nio.file.Files.exists(driver))
            {
                try (var files = java.nio.file.Files.walk(driver))
                {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
        }
    }

    @FunctionalInterface
    private interface HostTest
    {
        void run(AeronHost host) throws Exception;
    }

    /**
     * Sends messages 0 to {@code count - 1} as {@link BridgeTest#send} does, then closes. A send
     * refused because the receiver (the bridge) died is sent again once a new one is there.
     */
    static void send(final Channel out, final long count)
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[65_536]);
        try (ChannelSender sender = out.sender())
        {
            for (long i = 0; i < count; i++)
            {
                message.putLong(0, i);
                message.putLong(8, ~i);
                while (true)
                {
                    try
                    {
                        sender.send(message, 0, BridgeTest.size(i));
                        break;
                    }
                    catch (final PeerDiedException bridgeDied)
                    {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                    }
                }
            }
        }
        catch (final InterruptedException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Child, host A: its own media driver, bridging its channel out: {@code (channel, driver dir, aeron channel)}.
     */
    public static final class ChannelOutHost
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.open(args);
                 AeronHost host = AeronHost.launch(Path.of(child.get(1)));
                 BridgeOut bridge = BridgeOut.start(Channel.open(child.segment(), child.get(0)), host.aeron(),
                     child.get(2), STREAM))
            {
                System.out.println("resumed after " + bridge.resumedAfter());
                System.out.println("bridging");
                bridge.run(() -> false);
                System.out.println("forwarded " + bridge.forwarded() + ", refused " + bridge.refusals() + " times");
                Thread.sleep(Long.MAX_VALUE);
            }
        }
    }

    /**
     * Child, host B: its own media driver, delivering into its channel: {@code (channel, driver dir, aeron channel)}.
     */
    public static final class ChannelInHost
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.open(args);
                 AeronHost host = AeronHost.launch(Path.of(child.get(1)));
                 BridgeIn bridge = BridgeIn.start(host.aeron(), child.get(2), STREAM,
                     Channel.open(child.segment(), child.get(0)), new BridgeIn.Listener()
                     {
                         @Override
                         public void onGap(final long from, final long to)
                         {
                             System.out.println("gap " + from + ".." + to);
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
