package io.shm.channel;

import io.shm.exceptions.PeerDiedException;
import io.shm.process.JvmProcess;
import io.shm.segment.Segment;
import io.shm.test.Await;
import io.shm.test.ChildArgs;
import io.shm.test.TestSegments;
import io.shm.value.IntValue;
import io.shm.wait.WaitStrategy;
import io.shm.wait.linux.Futex;
import io.shm.wait.linux.Membarrier;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The channel between real, separate JVMs.
 */
@Timeout(300)
class CrossProcessChannelTest
{
    private static final int MESSAGES = 1_000_000;
    private static final int PREMISE_ATTEMPTS = 5;

    private final TestSegments segments = new TestSegments();
    private String name;
    private Segment segment;

    @BeforeEach
    void createSegment()
    {
        name = segments.name("xchannel");
        segment = Segment.create(name, segments.options().withSize(8 << 20));
    }

    @AfterEach
    void removeSegment()
    {
        segment.close();
        segments.close();
    }

    @Test
    void oneProducerStreamsAMillionSequencedMessages() throws Exception
    {
        final Channel channel = Channel.openOrCreate(segment, "c", ChannelOptions.defaults().withCapacity(64 * 1024));
        try (ChannelReceiver receiver = channel.receiver(); JvmProcess producer = child(SendSequence.class, "c", "0",
            Integer.toString(MESSAGES)))
        {
            final long[] next = new long[1];
            expectSequences(receiver, next);
            assertEquals(MESSAGES, next[0]);
            assertEquals(0, producer.join(60, TimeUnit.SECONDS), producer.output());
        }
    }

    @Test
    void oneProducerStreamsAMillionSequencedMessagesInBatches() throws Exception
    {
        final Channel channel = Channel.openOrCreate(segment, "c", ChannelOptions.defaults().withCapacity(64 * 1024));
        try (ChannelReceiver receiver = channel.receiver(); JvmProcess producer = child(SendSequenceBatches.class, "c", "0",
            Integer.toString(MESSAGES)))
        {
            final long[] next = new long[1];
            expectSequences(receiver, next);
            assertEquals(MESSAGES, next[0]);
            assertEquals(0, producer.join(60, TimeUnit.SECONDS), producer.output());
        }
    }

    @Test
    void threeProducerProcessesKeepTheirOwnOrder() throws Exception
    {
        final Channel channel = Channel.openOrCreate(segment, "c",
            ChannelOptions.defaults().withCapacity(64 * 1024).withMultiProducer(true));
        final List<JvmProcess> producers = new ArrayList<>();
        try (ChannelReceiver receiver = channel.receiver())
        {
            for (int p = 0; p < 3; p++)
            {
                producers.add(child(SendSequence.class, "c", Integer.toString(p), Integer.toString(MESSAGES / 3)));
            }
            for (final JvmProcess producer : producers)
            {
                producer.awaitOutput(line -> line.equals("sending"), 60, TimeUnit.SECONDS);
            }
            final long[] next = new long[3];
            expectSequences(receiver, next);
            for (int p = 0; p < 3; p++)
            {
                assertEquals(MESSAGES / 3, next[p], "all of producer " + p);
            }
            for (final JvmProcess producer : producers)
            {
                assertEquals(0, producer.join(60, TimeUnit.SECONDS), producer.output());
            }
        }
        finally
        {
            producers.forEach(JvmProcess::close);
        }
    }

    @Test
    void singleProducerRoleIsTakenByOneAttacherAtATimeAcrossThreeChurningProcesses() throws Exception
    {
        final Channel channel = Channel.openOrCreate(segment, "c", ChannelOptions.defaults().withCapacity(64 * 1024));
        final List<JvmProcess> producers = new ArrayList<>();
        final long[] next = new long[3];
        try (ChannelReceiver receiver = channel.receiver())
        {
            for (int p = 0; p < 3; p++)
            {
                producers.add(child(AttachChurn.class, "c", Integer.toString(p), "3000"));
            }
            final byte[] into = new byte[32];
            final UnsafeBuffer view = new UnsafeBuffer(into);
            while (true)
            {
                final boolean running = producers.stream().anyMatch(JvmProcess::isAlive);
                int length;
                try
                {
                    length = receiver.receive(into, 100, TimeUnit.MILLISECONDS);
                }
                catch (final io.shm.exceptions.ChannelClosedException betweenSenders)
                {
                    // Every sender had closed at that moment; the next attach reopens the stream.
                    length = -1;
                }
                if (length < 0)
                {
                    if (!running)
                    {
                        break;
                    }
                    continue;
                }
                assertEquals(32, length);
                final int producer = (int)view.getLong(0);
                assertEquals(next[producer], view.getLong(8), "message of producer " + producer);
                next[producer]++;
            }
            for (int p = 0; p < 3; p++)
            {
                final JvmProcess producer = producers.get(p);
                assertEquals(0, producer.join(60, TimeUnit.SECONDS), producer.output());
                assertTrue(producer.output().contains("sent " + next[p] + " refused"),
                    "every message sent by producer " + p + " arrived once: " + next[p] + " received; " + producer.output());
            }
            assertTrue(next[0] + next[1] + next[2] > 3, "the producers took turns");
            for (int i = 0; i < 2 * ChannelDescriptor.MAX_PRODUCERS; i++)
            {
                channel.sender().close();
            }
        }
        finally
        {
            producers.forEach(JvmProcess::close);
        }
    }

    @Test
    void aSlotClaimedByASenderThatDiedBeforeActivatingItIsFreedByTheReceiver() throws Exception
    {
        final Channel channel = Channel.openOrCreate(segment, "c",
            ChannelOptions.defaults().withCapacity(4096).withMultiProducer(true));
        Channel.openOrCreate(segment, "other", ChannelOptions.defaults().withCapacity(4096));
        final io.shm.process.ProcessIdentity dead;
        try (JvmProcess child = child(ReceiveAndHang.class, "other"))
        {
            child.awaitOutput(line -> line.startsWith("attached"), 60, TimeUnit.SECONDS);
            dead = child.identity();
            child.killAndWait();
        }
        // What a sender killed between its CAS on a free slot's pid and activating the slot leaves.
        final var buffer = channel.object().buffer();
        final int slot = io.shm.segment.SharedObject.DATA_OFFSET + ChannelDescriptor.slotOffset(0);
        buffer.putLongVolatile(slot + ChannelDescriptor.SLOT_PID_OFFSET, dead.pid());
        buffer.putLongVolatile(slot + ChannelDescriptor.SLOT_START_TIME_OFFSET, dead.startTime());
        try (ChannelReceiver receiver = channel.receiver())
        {
            Await.await(() ->
            {
                try
                {
                    return receiver.receive(new byte[8], 3 * WaitStrategy.DEFAULT_SLICE_NANOS, TimeUnit.NANOSECONDS) < 0 &&
                        buffer.getLongVolatile(slot + ChannelDescriptor.SLOT_PID_OFFSET) == 0;
                }
                catch (final InterruptedException ex)
                {
                    throw new IllegalStateException(ex);
                }
            }, Await.PROMPT, "the receiver freeing the dead sender's claimed slot");
            final List<ChannelSender> senders = new ArrayList<>();
            for (int i = 0; i < ChannelDescriptor.MAX_PRODUCERS; i++)
            {
                senders.add(channel.sender());
            }
            senders.forEach(ChannelSender::close);
        }
    }

    @Test
    void parkedReceiverIsWokenBySendAndParkedSenderByReceive() throws Exception
    {
        final Channel channel = Channel.openOrCreate(segment, "c", ChannelOptions.defaults().withCapacity(1024));
        try (ChannelReceiver receiver = channel.receiver(); JvmProcess producer = child(SendSequence.class, "c", "0", "200"))
        {
            producer.awaitOutput(line -> line.equals("sending"), 60, TimeUnit.SECONDS);
            // The sender fills the 1 KiB ring and sleeps; every 40 messages we let it fall asleep.
            final byte[] into = new byte[32];
            for (int i = 0; i < 200; i++)
            {
                if (i % 40 == 0)
                {
                    awaitWaiting(channel, ChannelDescriptor.PRODUCERS_WAITING_OFFSET, "the sender asleep on a full ring");
                }
                assertEquals(32, receiver.receive(into));
                assertEquals(i, new UnsafeBuffer(into).getLong(8));
            }
            assertEquals(0, producer.join(60, TimeUnit.SECONDS), producer.output());
        }
        try (Segment other = Segment.open(name, segments.options()))
        {
            final Channel second = Channel.openOrCreate(other, "d", ChannelOptions.defaults().withCapacity(1024));
            try (JvmProcess consumer = child(ReceiveCount.class, "d"))
            {
                consumer.awaitOutput(line -> line.equals("receiving"), 60, TimeUnit.SECONDS);
                awaitWaiting(second, ChannelDescriptor.CONSUMER_WAITING_OFFSET, "the receiver asleep on an empty ring");
                try (ChannelSender sender = second.sender())
                {
                    sender.send(new byte[] {1});
                    awaitWaiting(second, ChannelDescriptor.CONSUMER_WAITING_OFFSET, "the receiver asleep again");
                    sender.send(new byte[] {2});
                }
                assertEquals(0, consumer.join(60, TimeUnit.SECONDS));
                assertTrue(consumer.output().contains("received 2 then ChannelClosedException"), consumer.output());
            }
        }
    }

    @Test
    void receiverOfAPacedStreamLearnsToSpinThroughItsGapsInsteadOfSleepingInEach() throws Exception
    {
        // Gaps of 60 us outlast rounds of 20 spins: without adaptive spinning nearly every message
        // finds the receiver asleep; with it, only the odd late one. Both sides are pinned to CPUs
        // of their own, as rounds without yields need: unpinned on two CPUs, the scheduler may wake
        // the receiver onto the sender's CPU, where its spin holds the sender off until it ends.
        final int messages = 4000;
        long learned = 0;
        long rounds = 0;
        // The premise, that the gaps outlast the rounds, is the machine's: where wake-ups run late
        // (a burst of load on a shared VM), a receiver that slept finds the next message already
        // there and sleeps for fewer of them. Such a measurement is taken again, at most twice.
        for (int attempt = 0; attempt < PREMISE_ATTEMPTS && rounds <= messages / 16; attempt++)
        {
            learned = sleepsReceivingPaced("learned" + attempt, WaitStrategy.DEFAULT_ADAPTIVE_SPIN_NANOS / 1000, messages);
            rounds = sleepsReceivingPaced("rounds" + attempt, 0, messages);
        }
        // Without it, a busy machine (where the receiver, preempted, finds messages waiting) still
        // sleeps for hundreds of the 2,000 counted messages; with it, a handful. Where wake-ups run
        // so late, every attempt, that the premise never holds, the property cannot be observed
        // here: the test reports that, as an assumption not met, rather than a failure.
        Assumptions.assumeTrue(rounds > messages / 16, rounds + " sleeps without adaptive spinning for " + messages / 2 +
            " messages, in " + PREMISE_ATTEMPTS + " attempts: this machine's wake-ups outlast the gaps");
        assertTrue(learned < rounds / 4, learned + " sleeps with adaptive spinning, " + rounds + " without");
    }

    private long sleepsReceivingPaced(final String channelName, final long adaptiveSpinMicros, final int messages)
        throws Exception
    {
        Channel.openOrCreate(segment, channelName, ChannelOptions.defaults().withCapacity(64 * 1024));
        final String count = Integer.toString(messages);
        try (JvmProcess receiver = child(1, ReceivePaced.class, channelName, count, Long.toString(adaptiveSpinMicros)))
        {
            receiver.awaitOutput(line -> line.equals("receiving"), 60, TimeUnit.SECONDS);
            try (JvmProcess sender = child(0, SendPaced.class, channelName, count, "60"))
            {
                assertEquals(0, sender.join(60, TimeUnit.SECONDS), sender.output());
            }
            assertEquals(0, receiver.join(60, TimeUnit.SECONDS), receiver.output());
            final String last = receiver.output().lines().reduce((first, second) -> second).orElse("");
            assertTrue(last.startsWith("sleeps "), receiver.output());
            return Long.parseLong(last.substring("sleeps ".length()));
        }
    }

    @Test
    void unfencedCommitsNeverMissASleepingReceiver() throws Exception
    {
        assumeTrue(Membarrier.isAvailable(), "this kernel has no expedited global membarrier");
        // Both sides answer 200 us late, past the spin rounds and the adaptive spin's limit, so each
        // sleeps before every message; sleeps last up to 10 s, so one missed wake-up fails the time.
        final int rounds = 1000;
        final Channel ping = Channel.openOrCreate(segment, "ping", ChannelOptions.defaults().withCapacity(4096));
        final Channel pong = Channel.openOrCreate(segment, "pong", ChannelOptions.defaults().withCapacity(4096));
        final WaitStrategy strategy = WaitStrategy.defaultStrategy().withCounts(20, 0, TimeUnit.SECONDS.toNanos(10));
        final long sleeps = Futex.waitCalls();
        final long fences = Membarrier.fenceCalls();
        final long start = System.nanoTime();
        try (ChannelReceiver receiver = ping.receiver(strategy); ChannelSender sender = pong.sender();
            JvmProcess child = child(SlowPing.class, "ping", "pong", Integer.toString(rounds), "200"))
        {
            final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
            boolean unfenced = true;
            for (int i = 0; i < rounds; i++)
            {
                receiver.receive(message, 0);
                assertEquals(i, message.getLong(0));
                busy(200);
                sender.send(message, 0, 8);
                unfenced &= sender.fencedByReceiver();
            }
            assertEquals(0, child.join(60, TimeUnit.SECONDS), child.output());
            final String report = child.output();
            assertTrue(report.contains("pinged " + rounds + ", commits unfenced true"), report);
            assertTrue(unfenced, "this side's commits went without a fence");
            final long barriers = Long.parseLong(report.substring(report.lastIndexOf(' ') + 1).trim());
            assertTrue(barriers > rounds / 2, barriers + " barriers sent by the child's receiver");
        }
        final long took = System.nanoTime() - start;
        assertTrue(Futex.waitCalls() - sleeps > rounds / 2, (Futex.waitCalls() - sleeps) + " sleeps here");
        assertTrue(Membarrier.fenceCalls() - fences > rounds / 2, "a barrier before each sleep");
        assertTrue(took < TimeUnit.SECONDS.toNanos(8), "took " + took / 1_000_000 + " ms: a wake-up was missed");
    }

    @Test
    void thousandArraysOfHundredThousandDoublesPassAQuarterMegabyteRing() throws Exception
    {
        final Channel channel = Channel.openOrCreate(segment, "c", ChannelOptions.defaults().withCapacity(256 * 1024));
        final int messages = 1000;
        final int length = 100_000;
        try (ChannelReceiver receiver = channel.receiver(); JvmProcess producer = child(SendDoubles.class, "c",
            Integer.toString(messages), Integer.toString(length)))
        {
            final double[] into = new double[length];
            for (int m = 0; m < messages; m++)
            {
                assertEquals(length, receiver.receiveDoubles(into));
                for (int i = 0; i < length; i++)
                {
                    if (into[i] != m * 1_000_000.0 + i)
                    {
                        fail("message " + m + " element " + i + " is " + into[i]);
                    }
                }
            }
            assertEquals(0, producer.join(60, TimeUnit.SECONDS), producer.output());
            assertTrue(receiver.isEndOfStream());
        }
    }

    @Test
    void killedSenderGivesTheReceiverAnExceptionAfterItsMessages() throws Exception
    {
        final Channel channel = Channel.openOrCreate(segment, "c", ChannelOptions.defaults().withCapacity(4096));
        try (ChannelReceiver receiver = channel.receiver(); JvmProcess producer = child(SendAndHang.class, "c", "3"))
        {
            producer.awaitOutput(line -> line.equals("sent 3"), 60, TimeUnit.SECONDS);
            producer.killAndWait();
            final byte[] into = new byte[8];
            for (int i = 0; i < 3; i++)
            {
                assertEquals(1, receiver.receive(into));
                assertEquals(i, into[0]);
            }
            final PeerDiedException ex = assertThrows(PeerDiedException.class, () -> receiver.receive(into));
            assertTrue(ex.getMessage().contains("died"), ex.getMessage());
            assertThrows(PeerDiedException.class, () -> receiver.receive(into), "said again while nobody came");
        }
    }

    /**
     * Once the receiver has reported a sender's death, a sender that comes after it, sends and
     * closes (even before the receiver looks again) ends the stream as closed, not as died.
     */
    @Test
    void aSenderThatComesAfterAReportedDeathEndsTheStreamAsClosed() throws Exception
    {
        final Channel channel = Channel.openOrCreate(segment, "c", ChannelOptions.defaults().withCapacity(4096));
        try (ChannelReceiver receiver = channel.receiver())
        {
            try (JvmProcess producer = child(SendAndHang.class, "c", "1"))
            {
                producer.awaitOutput(line -> line.equals("sent 1"), 60, TimeUnit.SECONDS);
                producer.killAndWait();
            }
            final byte[] into = new byte[8];
            assertEquals(1, receiver.receive(into));
            assertThrows(PeerDiedException.class, () -> receiver.receive(into));
            try (ChannelSender next = channel.sender())
            {
                next.send(new byte[] {7});
            }
            assertEquals(1, receiver.receive(into));
            assertEquals(7, into[0]);
            assertThrows(io.shm.exceptions.ChannelClosedException.class, () -> receiver.receive(into));
        }
    }

    @Test
    void killedReceiverGivesTheBlockedSenderAnException() throws Exception
    {
        final Channel channel = Channel.openOrCreate(segment, "c", ChannelOptions.defaults().withCapacity(1024));
        try (JvmProcess consumer = child(ReceiveAndHang.class, "c"); ChannelSender sender = channel.sender())
        {
            consumer.awaitOutput(line -> line.startsWith("attached"), 60, TimeUnit.SECONDS);
            consumer.killAndWait();
            final PeerDiedException ex = assertThrows(PeerDiedException.class, () ->
            {
                while (true)
                {
                    sender.send(new byte[100]);
                }
            });
            assertTrue(ex.getMessage().contains(Long.toString(consumer.pid())), ex.getMessage());
        }
    }

    @Test
    void killedReceiverIsReplacedByANewOneThatHearsTheSender() throws Exception
    {
        final Channel channel = Channel.openOrCreate(segment, "c", ChannelOptions.defaults().withCapacity(1024));
        try (JvmProcess consumer = child(ReceiveAndHang.class, "c"); ChannelSender sender = channel.sender())
        {
            consumer.awaitOutput(line -> line.startsWith("attached"), 60, TimeUnit.SECONDS);
            final IllegalStateException taken = assertThrows(IllegalStateException.class, channel::receiver);
            assertTrue(taken.getMessage().contains("already has a receiver: process " + consumer.pid()), taken.getMessage());
            consumer.killAndWait();
            try (ChannelReceiver successor = channel.receiver())
            {
                sender.send(new byte[] {1, 2, 3});
                final byte[] into = new byte[3];
                assertEquals(3, successor.receive(into, 10, TimeUnit.SECONDS));
                assertArrayEquals(new byte[] {1, 2, 3}, into);
                // A sender waiting on a full ring checks the newcomer's liveness and finds it alive.
                final CompletableFuture<Void> sending = CompletableFuture.runAsync(() ->
                {
                    try
                    {
                        for (int i = 0; i < 30; i++)
                        {
                            sender.send(new byte[100]);
                        }
                    }
                    catch (final InterruptedException e)
                    {
                        throw new IllegalStateException(e);
                    }
                });
                Thread.sleep(4 * WaitStrategy.DEFAULT_SLICE_NANOS / 1_000_000);
                assertFalse(sending.isDone(), "the ring should be full and the sender waiting");
                for (int i = 0; i < 30; i++)
                {
                    assertEquals(100, successor.receive(new byte[100], 10, TimeUnit.SECONDS));
                }
                sending.get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void senderKilledBetweenClaimAndCommitIsSkippedAndCounted() throws Exception
    {
        final Channel channel = Channel.openOrCreate(segment, "c",
            ChannelOptions.defaults().withCapacity(4096).withMultiProducer(true));
        try (ChannelReceiver receiver = channel.receiver(); JvmProcess victim = child(ClaimAndHang.class, "c", "8"))
        {
            victim.awaitOutput(line -> line.equals("claimed"), 60, TimeUnit.SECONDS);
            // A live sender queues a message behind the hole.
            try (ChannelSender survivor = channel.sender())
            {
                survivor.send(new byte[] {9, 9});
                final byte[] into = new byte[8];
                assertEquals(3, receiver.receive(into), "the message committed before the claim");
                assertEquals(-1, receiver.receive(into, 300, TimeUnit.MILLISECONDS), "a live claimer is waited for");
                assertEquals(0, receiver.skippedBytes());
                victim.killAndWait();
                assertEquals(2, receiver.receive(into), "the hole is skipped once its sender is proven dead");
                assertEquals(ChannelDescriptor.recordLength(8), receiver.skippedBytes());
            }
        }
    }

    @Test
    void singleSenderKilledBetweenClaimAndCommitIsSkippedAndCountedAndItsSuccessorIsHeard() throws Exception
    {
        final Channel channel = Channel.openOrCreate(segment, "c", ChannelOptions.defaults().withCapacity(4096));
        try (ChannelReceiver receiver = channel.receiver(); JvmProcess victim = child(ClaimAndHang.class, "c", "8"))
        {
            victim.awaitOutput(line -> line.equals("claimed"), 60, TimeUnit.SECONDS);
            final byte[] into = new byte[8];
            assertEquals(3, receiver.receive(into), "the message committed before the claim");
            assertEquals(-1, receiver.receive(into, 300, TimeUnit.MILLISECONDS), "a live claimer is waited for");
            victim.killAndWait();
            // The successor starts after the room its predecessor had claimed in advance.
            try (ChannelSender successor = channel.sender())
            {
                successor.send(new byte[] {9, 9});
                assertEquals(2, receiver.receive(into), "the hole is skipped once its sender is proven dead");
                assertEquals(9, into[1]);
            }
            assertEquals(ChannelDescriptor.recordLength(8), receiver.skippedBytes(),
                "only the claimed record counts, not the rest of the dead sender's batch");
        }
    }

    @Test
    void singleSenderKilledBetweenSendsLosesNothingAndItsSuccessorIsHeard() throws Exception
    {
        final Channel channel = Channel.openOrCreate(segment, "c", ChannelOptions.defaults().withCapacity(4096));
        try (ChannelReceiver receiver = channel.receiver())
        {
            try (JvmProcess producer = child(SendAndHang.class, "c", "3"))
            {
                producer.awaitOutput(line -> line.equals("sent 3"), 60, TimeUnit.SECONDS);
                producer.killAndWait();
            }
            try (ChannelSender successor = channel.sender())
            {
                successor.send(new byte[] {42});
                final byte[] into = new byte[8];
                for (int i = 0; i < 3; i++)
                {
                    assertEquals(1, receiver.receive(into));
                    assertEquals(i, into[0]);
                }
                assertEquals(1, receiver.receive(into));
                assertEquals(42, into[0], "the successor's message, after the dead sender's unused batch");
            }
            assertEquals(0, receiver.skippedBytes(), "the dead sender had claimed nothing it did not commit");
        }
    }

    @Test
    void senderKilledAfterPaddingTheRingButBeforeCommittingIsSkipped() throws Exception
    {
        final Channel channel = Channel.openOrCreate(segment, "c",
            ChannelOptions.defaults().withCapacity(1024).withMultiProducer(true));
        try (ChannelReceiver receiver = channel.receiver(); ChannelSender survivor = channel.sender())
        {
            // Bring the tail to one line before the end of the ring: the victim's two-line claim pads, then wraps.
            final byte[] into = new byte[200];
            for (int i = 0; i < 7; i++)
            {
                survivor.send(new byte[112]);
                receiver.receive(into);
            }
            survivor.send(new byte[48]);
            receiver.receive(into);
            assertEquals(1024 - 64, 7 * ChannelDescriptor.recordLength(112) + ChannelDescriptor.recordLength(48));
            try (JvmProcess victim = child(ClaimOnlyAndHang.class, "c", "100"))
            {
                victim.awaitOutput(line -> line.equals("claimed"), 60, TimeUnit.SECONDS);
                survivor.send(new byte[] {7});
                assertEquals(-1, receiver.receive(into, 200, TimeUnit.MILLISECONDS), "the claimer lives");
                victim.killAndWait();
                assertEquals(1, receiver.receive(into));
                assertEquals(7, into[0]);
                assertEquals(ChannelDescriptor.recordLength(100), receiver.skippedBytes(),
                    "the padding was read; the record behind it was skipped");
            }
        }
    }

    @Test
    void stoppedSenderIsNeverSkippedAndItsMessageArrivesAfterContinue() throws Exception
    {
        final Channel channel = Channel.openOrCreate(segment, "c", ChannelOptions.defaults().withCapacity(4096));
        try (ChannelReceiver receiver = channel.receiver(); JvmProcess stopped = child(ClaimAndHang.class, "c", "16"))
        {
            stopped.awaitOutput(line -> line.equals("claimed"), 60, TimeUnit.SECONDS);
            stopped.signal("STOP");
            final byte[] into = new byte[16];
            try
            {
                assertEquals(3, receiver.receive(into));
                assertEquals(-1, receiver.receive(into, 1, TimeUnit.SECONDS), "longer than many liveness checks");
                assertEquals(0, receiver.skippedBytes());
            }
            finally
            {
                stopped.signal("CONT");
            }
            IntValue.openOrCreate(segment, "go").set(1);
            assertEquals(16, receiver.receive(into));
            assertEquals(42, new UnsafeBuffer(into).getLong(0));
            assertEquals(0, stopped.join(60, TimeUnit.SECONDS), stopped.output());
        }
    }

    /**
     * Waits until a side has announced in the control block that it sleeps (a waiting count or flag).
     */
    private static void awaitWaiting(final Channel channel, final int offset, final String what) throws InterruptedException
    {
        final var buffer = channel.object().buffer();
        Await.await(() -> buffer.getIntVolatile(io.shm.segment.SharedObject.DATA_OFFSET + offset) > 0, Await.PROMPT, what);
    }

    private static void expectSequences(final ChannelReceiver receiver, final long[] next) throws InterruptedException
    {
        final byte[] into = new byte[32];
        final UnsafeBuffer view = new UnsafeBuffer(into);
        while (true)
        {
            try
            {
                assertEquals(32, receiver.receive(into));
            }
            catch (final io.shm.exceptions.ChannelClosedException endOfStream)
            {
                return;
            }
            final int producer = (int)view.getLong(0);
            final long sequence = view.getLong(8);
            if (sequence != next[producer])
            {
                fail("producer " + producer + " sent " + sequence + ", expected " + next[producer]);
            }
            next[producer]++;
        }
    }

    private JvmProcess child(final Class<?> scenario, final String channel, final String... args)
    {
        return child(-1, scenario, channel, args);
    }

    private JvmProcess child(final int cpu, final Class<?> scenario, final String channel, final String... args)
    {
        final List<String> all = new ArrayList<>(List.of(channel));
        all.addAll(List.of(args));
        return ChildArgs.child(scenario, segments, name, all.toArray(String[]::new)).pinnedTo(cpu).start();
    }

    /**
     * Child: sends 32-byte messages of its producer id and sequence: {@code (channel, producer, count)}.
     */
    public static final class SendSequence
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.open(args))
            {
                sendSequence(Channel.open(child.segment(), child.get(0)), child.getInt(1), child.getLong(2));
            }
        }
    }

    /**
     * Child: as {@link SendSequence}, in batches of 1 to 100 messages: {@code (channel, producer, count)}.
     */
    public static final class SendSequenceBatches
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.open(args); ChannelSender sender = Channel.open(child.segment(), child.get(0)).sender())
            {
                final int producer = child.getInt(1);
                final long count = child.getLong(2);
                final UnsafeBuffer batch = new UnsafeBuffer(ByteBuffer.allocateDirect(100 * 32));
                final int[] lengths = new int[100];
                java.util.Arrays.fill(lengths, 32);
                for (long i = 0; i < count; )
                {
                    final int size = (int)Math.min(count - i, 1 + i % 100);
                    for (int m = 0; m < size; m++)
                    {
                        batch.putLong(m * 32, producer);
                        batch.putLong(m * 32 + 8, i + m);
                    }
                    sender.sendBatch(batch, 0, lengths, size);
                    i += size;
                }
            }
        }
    }

    /**
     * Child: attaches, sends one message and closes, over and over: {@code (channel, producer, millis)}.
     */
    public static final class AttachChurn
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.open(args))
            {
                attachChurn(Channel.open(child.segment(), child.get(0)), child.getInt(1), child.getLong(2));
            }
        }
    }

    /**
     * Child: sends messages a gap apart: {@code (channel, count, gapMicros)}.
     */
    public static final class SendPaced
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.open(args))
            {
                sendPaced(Channel.open(child.segment(), child.get(0)), child.getInt(1), child.getLong(2));
            }
        }
    }

    /**
     * Child: sends arrays of doubles: {@code (channel, messages, length)}.
     */
    public static final class SendDoubles
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.open(args))
            {
                sendDoubles(Channel.open(child.segment(), child.get(0)), child.getInt(1), child.getInt(2));
            }
        }
    }

    /**
     * Child: receives until the stream ends and prints how it ended: {@code (channel)}.
     */
    public static final class ReceiveCount
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.open(args))
            {
                receiveCount(Channel.open(child.segment(), child.get(0)));
            }
        }
    }

    /**
     * Child: receives paced messages and reports its sleeps: {@code (channel, count, adaptiveSpinMicros)}.
     */
    public static final class ReceivePaced
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.open(args))
            {
                receivePaced(Channel.open(child.segment(), child.get(0)), child.getInt(1), child.getLong(2));
            }
        }
    }

    /**
     * Child: sends one message, then claims a record and hangs: {@code (channel, length)}.
     */
    public static final class ClaimAndHang
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.open(args))
            {
                claimAndHang(child.segment(), Channel.open(child.segment(), child.get(0)), child.getInt(1));
            }
        }
    }

    /**
     * Child: claims a record and hangs: {@code (channel, length)}.
     */
    public static final class ClaimOnlyAndHang
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.open(args))
            {
                claimOnlyAndHang(Channel.open(child.segment(), child.get(0)), child.getInt(1));
            }
        }
    }

    /**
     * Child: sends messages, then hangs: {@code (channel, messages)}.
     */
    public static final class SendAndHang
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.open(args))
            {
                sendAndHang(Channel.open(child.segment(), child.get(0)), child.getInt(1));
            }
        }
    }

    /**
     * Child: attaches a receiver and hangs: {@code (channel)}.
     */
    public static final class ReceiveAndHang
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.open(args))
            {
                receiveAndHang(Channel.open(child.segment(), child.get(0)));
            }
        }
    }

    /**
     * Child: answers pings after a busy delay: {@code (out, in, count, delayMicros)}.
     */
    public static final class SlowPing
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.open(args))
            {
                slowPing(Channel.open(child.segment(), child.get(0)), Channel.open(child.segment(), child.get(1)), child.getInt(2),
                    child.getLong(3));
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

    private static void receiveAndHang(final Channel channel) throws Exception
    {
        final ChannelReceiver receiver = channel.receiver();
        System.out.println("attached " + receiver);
        Thread.sleep(Long.MAX_VALUE);
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
}
