package io.shm.channel;

import io.shm.exceptions.ChannelClosedException;
import io.shm.exceptions.MessageTooLargeException;
import io.shm.exceptions.TypeMismatchException;
import io.shm.segment.Segment;
import io.shm.test.TestSegments;
import io.shm.wait.WaitStrategy;
import io.shm.wait.linux.Futex;
import io.shm.value.IntValue;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The channel's contract within one JVM, under both waiting strategies (futex and portable);
 * {@link CrossProcessChannelTest} checks it between JVMs.
 */
@Timeout(120)
@ParameterizedClass
@ValueSource(strings = {"futex", "portable"})
class ChannelTest
{
    @Parameter
    String strategyName;

    private final TestSegments segments = new TestSegments();
    private Segment segment;
    private WaitStrategy strategy;

    @BeforeEach
    void createSegment()
    {
        strategy = strategyName.equals("portable") ? WaitStrategy.portable() : WaitStrategy.futex();
        segment = Segment.create(segments.name("channel"), segments.options().withSize(8 << 20));
    }

    @AfterEach
    void removeSegment()
    {
        segment.close();
        segments.close();
    }

    @Test
    void messagesArriveInOrderWithTheirBytes() throws Exception
    {
        final Channel channel = Channel.openOrCreate(segment, "c", ChannelOptions.defaults().withCapacity(4096));
        try (ChannelSender sender = channel.sender(strategy); ChannelReceiver receiver = channel.receiver(strategy))
        {
            final byte[] into = new byte[100];
            for (int round = 0; round < 1000; round++)
            {
                final byte[] message = ("message " + round).getBytes();
                sender.send(message);
                final int length = receiver.receive(into);
                assertEquals(new String(message), new String(into, 0, length));
            }
            sender.send(new byte[0]);
            assertEquals(0, receiver.receive(into), "an empty message is a message");
        }
    }

    @Test
    void aBatchArrivesInOrderThroughWrapsAndSubBatches() throws Exception
    {
        for (final boolean many : new boolean[] {false, true})
        {
            final Channel channel = Channel.openOrCreate(segment, "batch-" + many,
                ChannelOptions.defaults().withCapacity(4096).withMultiProducer(many));
            try (ChannelSender sender = channel.sender(strategy); ChannelReceiver receiver = channel.receiver(strategy))
            {
                final int count = 300;
                final int[] lengths = new int[count];
                final UnsafeBuffer batch = new UnsafeBuffer(new byte[count * 200]);
                int at = 0;
                for (int i = 0; i < count; i++)
                {
                    lengths[i] = 8 + (i * 37) % 150;
                    batch.putLong(at, i);
                    at += lengths[i];
                }
                final List<Long> seen = new ArrayList<>();
                final Thread reader = new Thread(() ->
                {
                    while (seen.size() < 3 * count)
                    {
                        receiver.poll((buffer, offset, length) -> seen.add(buffer.getLong(offset) * 1000 + length), 64);
                    }
                });
                reader.start();
                for (int round = 0; round < 3; round++)
                {
                    // 300 messages of 8 to 157 bytes are several rings' worth: the batch waits for room.
                    sender.sendBatch(batch, 0, lengths, count);
                }
                reader.join(30_000);
                assertEquals(3 * count, seen.size());
                for (int i = 0; i < seen.size(); i++)
                {
                    assertEquals((i % count) * 1000L + lengths[i % count], seen.get(i), "message " + i);
                }
                final int[] tooLong = {8, channel.options().maxRecordPayload() + 1};
                assertThrows(MessageTooLargeException.class, () -> sender.sendBatch(batch, 0, tooLong, 2));
                assertThrows(IndexOutOfBoundsException.class, () -> sender.sendBatch(batch, batch.capacity() - 8, lengths, 2));
                assertEquals(0, receiver.poll((buffer, offset, length) -> fail("a refused batch sent something"), 10));
            }
        }
    }

    @Test
    void pollHandsMessagesOverInPlaceAndNeverWaits() throws Exception
    {
        final Channel channel = Channel.openOrCreate(segment, "c", ChannelOptions.defaults().withCapacity(4096));
        try (ChannelSender sender = channel.sender(strategy); ChannelReceiver receiver = channel.receiver(strategy))
        {
            final List<String> seen = new ArrayList<>();
            assertEquals(0, receiver.poll((buffer, offset, length) -> seen.add("unexpected"), 10));
            for (int i = 0; i < 5; i++)
            {
                assertTrue(sender.trySend(("m" + i).getBytes(), 0, 2));
            }
            assertEquals(3, receiver.poll((buffer, offset, length) -> seen.add(buffer.getStringWithoutLengthAscii(offset, length)), 3));
            assertEquals(2, receiver.poll((buffer, offset, length) -> seen.add(buffer.getStringWithoutLengthAscii(offset, length)), 10));
            assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), seen);
        }
    }

    @Test
    void fullRingRefusesTrySendAndFreesUpAsTheReceiverReads() throws Exception
    {
        final Channel channel = Channel.openOrCreate(segment, "c", ChannelOptions.defaults().withCapacity(1024));
        try (ChannelSender sender = channel.sender(strategy); ChannelReceiver receiver = channel.receiver(strategy))
        {
            int sent = 0;
            while (sender.trySend(new byte[100], 0, 100))
            {
                sent++;
            }
            assertEquals(1024 / ChannelDescriptor.recordLength(100), sent);
            final byte[] into = new byte[100];
            receiver.receive(into);
            receiver.poll((b, o, l) -> { }, 0);
            assertFalse(sender.trySend(new byte[100], 0, 100), "the receiver publishes its position in batches");
            for (int i = 1; i < sent; i++)
            {
                receiver.receive(into);
            }
            assertEquals(0, receiver.poll((b, o, l) -> { }, 10));
            assertTrue(sender.trySend(new byte[100], 0, 100), "an empty ring publishes the position");
        }
    }

    @Test
    void messagesLargerThanTheRingGoAsFragments() throws Exception
    {
        final Channel channel = Channel.openOrCreate(segment, "c", ChannelOptions.defaults().withCapacity(64 * 1024));
        try (ChannelSender sender = channel.sender(strategy); ChannelReceiver receiver = channel.receiver(strategy))
        {
            final double[] values = new double[100_000];
            final double[] into = new double[100_000];
            final CompletableFuture<Void> sending = CompletableFuture.runAsync(() ->
            {
                try
                {
                    for (int m = 0; m < 20; m++)
                    {
                        for (int i = 0; i < values.length; i++)
                        {
                            values[i] = m + i * 0.5;
                        }
                        sender.sendDoubles(values, 0, values.length);
                    }
                    sender.send(new byte[200_001]);
                }
                catch (final InterruptedException ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            for (int m = 0; m < 20; m++)
            {
                assertEquals(100_000, receiver.receiveDoubles(into));
                for (int i = 0; i < into.length; i++)
                {
                    assertEquals(m + i * 0.5, into[i], "message " + m + " element " + i);
                }
            }
            final byte[] odd = new byte[200_001];
            assertEquals(200_001, receiver.receive(odd));
            sending.get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void tooSmallReceiveBufferFailsAndLeavesTheMessage() throws Exception
    {
        final Channel channel = Channel.openOrCreate(segment, "c", ChannelOptions.defaults().withCapacity(16 * 1024));
        try (ChannelSender sender = channel.sender(strategy); ChannelReceiver receiver = channel.receiver(strategy))
        {
            sender.send(new byte[50]);
            sender.send(new byte[5000]);
            final MessageTooLargeException ex = assertThrows(MessageTooLargeException.class, () -> receiver.receive(new byte[10]));
            assertTrue(ex.getMessage().contains("10") && ex.getMessage().contains("50"), ex.getMessage());
            assertEquals(50, receiver.receive(new byte[50]));
            assertThrows(MessageTooLargeException.class, () -> receiver.receive(new byte[4999]));
            assertEquals(5000, receiver.receive(new byte[5000]), "a fragmented message too");
        }
    }

    @Test
    void messageOverTheMaximumIsRefusedBeforeAnythingIsWritten() throws Exception
    {
        final Channel channel = Channel.openOrCreate(segment, "c",
            ChannelOptions.defaults().withCapacity(4096).withMaxMessageLength(1000));
        try (ChannelSender sender = channel.sender(strategy); ChannelReceiver receiver = channel.receiver(strategy))
        {
            final MessageTooLargeException ex = assertThrows(MessageTooLargeException.class, () -> sender.send(new byte[1001]));
            assertTrue(ex.getMessage().contains("1001") && ex.getMessage().contains("1000"), ex.getMessage());
            assertThrows(MessageTooLargeException.class, () -> sender.trySend(new byte[600], 0, 600), "more than one record");
            assertThrows(MessageTooLargeException.class, () -> sender.sendDoubles(new double[126], 0, 126));
            assertEquals(0, receiver.poll((b, o, l) -> fail("nothing was written"), 10));
            sender.send(new byte[1000]);
            assertEquals(1000, receiver.receive(new byte[1000]));
        }
    }

    @Test
    void zeroCopyClaimCommitAndAbort() throws Exception
    {
        final Channel channel = Channel.openOrCreate(segment, "c", ChannelOptions.defaults().withCapacity(4096));
        try (ChannelSender sender = channel.sender(strategy); ChannelReceiver receiver = channel.receiver(strategy))
        {
            final int aborted = sender.tryClaim(16);
            sender.buffer().putLong(aborted, 7);
            assertThrows(IllegalStateException.class, () -> sender.tryClaim(8), "one claim at a time");
            sender.abort(aborted);
            final int index = sender.tryClaim(16);
            sender.buffer().putLong(index, 42);
            sender.buffer().putLong(index + 8, 43);
            assertThrows(IllegalStateException.class, () -> sender.commit(index + 8));
            sender.commit(index);
            final long[] into = new long[2];
            assertEquals(2, receiver.receiveLongs(into));
            assertArrayEquals(new long[] {42, 43}, into);
        }
    }

    @Test
    void closingWithAnOpenClaimAbortsItAndTheStreamStillEnds() throws Exception
    {
        for (final boolean many : new boolean[] {false, true})
        {
            final Channel channel = Channel.openOrCreate(segment, "c" + many,
                ChannelOptions.defaults().withCapacity(4096).withMultiProducer(many));
            try (ChannelReceiver receiver = channel.receiver(strategy))
            {
                final ChannelSender sender = channel.sender(strategy);
                sender.send(new byte[] {1});
                sender.buffer().putLong(sender.tryClaim(8), 7);
                sender.close();
                final byte[] into = new byte[8];
                assertEquals(1, receiver.receive(into, 1, TimeUnit.SECONDS));
                assertThrows(ChannelClosedException.class, () -> receiver.receive(into, 1, TimeUnit.SECONDS),
                    "the aborted claim is skipped, not waited for");
                assertEquals(0, receiver.skippedBytes());
                try (ChannelSender next = channel.sender(strategy))
                {
                    next.send(new byte[] {2, 2});
                    assertEquals(2, receiver.receive(into, 1, TimeUnit.SECONDS), "a later sender is heard");
                }
            }
        }
    }

    @Test
    void closeGivesEndOfStreamAfterTheLastMessage() throws Exception
    {
        final Channel channel = Channel.openOrCreate(segment, "c", ChannelOptions.defaults().withCapacity(4096));
        try (ChannelReceiver receiver = channel.receiver(strategy))
        {
            final ChannelSender sender = channel.sender(strategy);
            sender.send(new byte[] {1});
            sender.send(ByteBuffer.wrap(new byte[] {2, 3}));
            sender.close();
            assertFalse(receiver.isEndOfStream(), "messages are still to be received");
            assertEquals(1, receiver.receive(new byte[8]));
            assertEquals(2, receiver.receive(new UnsafeBuffer(new byte[8]), 0));
            assertTrue(receiver.isEndOfStream());
            assertThrows(ChannelClosedException.class, () -> receiver.receive(new byte[8]));
            assertThrows(IllegalStateException.class, () -> sender.send(new byte[1]), "a closed sender");
        }
    }

    @Test
    void closedReceiverFailsTheSender() throws Exception
    {
        final Channel channel = Channel.openOrCreate(segment, "c", ChannelOptions.defaults().withCapacity(1024));
        final ChannelReceiver receiver = channel.receiver(strategy);
        try (ChannelSender sender = channel.sender(strategy))
        {
            receiver.close();
            while (sender.trySend(new byte[100], 0, 100))
            {
                // fill the ring
            }
            assertThrows(ChannelClosedException.class, () -> sender.send(new byte[100]));
            assertThrows(ChannelClosedException.class, () -> channel.sender(strategy));
        }
    }

    @Test
    void timedReceiveAndSendGiveUpWithoutConsumingOrWriting() throws Exception
    {
        final Channel channel = Channel.openOrCreate(segment, "c", ChannelOptions.defaults().withCapacity(1024));
        try (ChannelSender sender = channel.sender(strategy); ChannelReceiver receiver = channel.receiver(strategy))
        {
            assertEquals(-1, receiver.receive(new byte[8], 20, TimeUnit.MILLISECONDS));
            while (sender.trySend(new byte[100], 0, 100))
            {
                // fill the ring
            }
            assertFalse(sender.send(new byte[100], 0, 100, 20, TimeUnit.MILLISECONDS));
            assertEquals(100, receiver.receive(new byte[100]));
        }
    }

    @Test
    void everySourceAndDestinationHasATimedFormAndSlicesOfPrimitives() throws Exception
    {
        // 4096 bytes: messages of 1000 doubles go as fragments, 3 doubles as one record.
        final Channel channel = Channel.openOrCreate(segment, "c", ChannelOptions.defaults().withCapacity(4096));
        try (ChannelSender sender = channel.sender(strategy); ChannelReceiver receiver = channel.receiver(strategy))
        {
            for (final int count : new int[] {3, 1000})
            {
                final double[] values = new double[count + 2];
                for (int i = 0; i < values.length; i++)
                {
                    values[i] = i * 0.5;
                }
                final CompletableFuture<Boolean> sent = CompletableFuture.supplyAsync(() -> timed(() ->
                    sender.sendDoubles(values, 1, count, 10, TimeUnit.SECONDS)));
                final double[] into = new double[count + 5];
                assertEquals(count, receiver.receiveDoubles(into, 4, 10, TimeUnit.SECONDS));
                assertTrue(sent.get(10, TimeUnit.SECONDS));
                assertEquals(0.0, into[3]);
                for (int i = 0; i < count; i++)
                {
                    assertEquals(values[1 + i], into[4 + i], "double " + i);
                }

                final long[] longs = new long[count];
                for (int i = 0; i < count; i++)
                {
                    longs[i] = -i * 7L;
                }
                final CompletableFuture<Boolean> sentLongs = CompletableFuture.supplyAsync(() -> timed(() ->
                    sender.sendLongs(longs, 0, count, 10, TimeUnit.SECONDS)));
                final long[] longsInto = new long[count + 1];
                assertEquals(count, receiver.receiveLongs(longsInto, 1));
                assertTrue(sentLongs.get(10, TimeUnit.SECONDS));
                for (int i = 0; i < count; i++)
                {
                    assertEquals(longs[i], longsInto[1 + i], "long " + i);
                }
            }

            // A ByteBuffer is sent from its position without moving it, and received at its position, moving it.
            final ByteBuffer source = ByteBuffer.allocateDirect(16).put(new byte[] {9, 9, 1, 2, 3});
            source.flip().position(2);
            assertTrue(sender.trySend(source));
            assertTrue(sender.send(source, 1, TimeUnit.SECONDS));
            assertEquals(2, source.position());
            final ByteBuffer into = ByteBuffer.allocate(8).put((byte)7);
            assertEquals(3, receiver.receive(into));
            assertEquals(3, receiver.receive(into, 1, TimeUnit.SECONDS));
            assertEquals(7, into.position());
            assertArrayEquals(new byte[] {7, 1, 2, 3, 1, 2, 3, 0}, into.array());

            // An Agrona buffer, timed both ways, at offsets.
            final UnsafeBuffer agrona = new UnsafeBuffer(new byte[8]);
            agrona.putInt(4, 0x01020304);
            assertTrue(sender.send(agrona, 4, 4, 1, TimeUnit.SECONDS));
            final UnsafeBuffer agronaInto = new UnsafeBuffer(new byte[12]);
            assertEquals(4, receiver.receive(agronaInto, 8, 1, TimeUnit.SECONDS));
            assertEquals(0x01020304, agronaInto.getInt(8));

            // Nothing there: every timed receive gives up, and moves nothing.
            assertEquals(-1, receiver.receive(into, 10, TimeUnit.MILLISECONDS));
            assertEquals(7, into.position());
            assertEquals(-1, receiver.receive(agronaInto, 0, 10, TimeUnit.MILLISECONDS));
            assertEquals(-1, receiver.receiveDoubles(new double[1], 0, 10, TimeUnit.MILLISECONDS));
            assertEquals(-1, receiver.receiveLongs(new long[1], 0, 10, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void badDestinationsAreRefusedAndTheMessageStays() throws Exception
    {
        final Channel channel = Channel.openOrCreate(segment, "c", ChannelOptions.defaults().withCapacity(4096));
        try (ChannelSender sender = channel.sender(strategy); ChannelReceiver receiver = channel.receiver(strategy))
        {
            sender.sendDoubles(new double[] {1, 2, 3}, 0, 3);
            assertThrows(MessageTooLargeException.class, () -> receiver.receiveDoubles(new double[4], 2));
            assertThrows(IndexOutOfBoundsException.class, () -> receiver.receiveDoubles(new double[4], 5));
            assertThrows(IndexOutOfBoundsException.class, () -> receiver.receive(new UnsafeBuffer(new byte[8]), -1));
            final ByteBuffer small = ByteBuffer.allocate(30).position(10);
            assertThrows(MessageTooLargeException.class, () -> receiver.receive(small));
            assertEquals(10, small.position());
            assertThrows(java.nio.ReadOnlyBufferException.class, () -> receiver.receive(ByteBuffer.allocate(64).asReadOnlyBuffer()));
            assertThrows(IndexOutOfBoundsException.class, () ->
                sender.send(new UnsafeBuffer(new byte[8]), 4, 8, 1, TimeUnit.SECONDS));
            final double[] into = new double[4];
            assertEquals(3, receiver.receiveDoubles(into, 1));
            assertArrayEquals(new double[] {0, 1, 2, 3}, into);
        }
    }

    private interface Timed
    {
        boolean run() throws InterruptedException;
    }

    private static boolean timed(final Timed send)
    {
        try
        {
            return send.run();
        }
        catch (final InterruptedException e)
        {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void secondReceiverOrSingleProducerIsRefused()
    {
        final Channel channel = Channel.openOrCreate(segment, "c", ChannelOptions.defaults().withCapacity(1024));
        try (ChannelReceiver receiver = channel.receiver(strategy); ChannelSender sender = channel.sender(strategy))
        {
            assertThrows(IllegalStateException.class, () -> channel.receiver(strategy));
            assertThrows(IllegalStateException.class, () -> channel.sender(strategy));
            assertNotNull(receiver.toString() + sender);
        }
    }

    @Test
    void closedSendersLeaveTheirSlotsForLaterOnes() throws Exception
    {
        final Channel channel = Channel.openOrCreate(segment, "c",
            ChannelOptions.defaults().withCapacity(4096).withMultiProducer(true));
        try (ChannelReceiver receiver = channel.receiver(strategy))
        {
            final byte[] into = new byte[8];
            for (int i = 0; i < 3 * ChannelDescriptor.MAX_PRODUCERS; i++)
            {
                try (ChannelSender sender = channel.sender(strategy))
                {
                    sender.send(new byte[] {(byte)i});
                }
                assertEquals(1, receiver.receive(into));
                assertEquals((byte)i, into[0]);
                receiver.poll((b, o, l) -> fail("nothing more"), 1);
            }
            assertTrue(receiver.isEndOfStream());
        }
    }

    @Test
    void closedSendersSlotsAreReusedAtOnceWhileTheReceiverHasNotRead() throws Exception
    {
        for (final boolean multiProducer : new boolean[] {false, true})
        {
            final Channel channel = Channel.openOrCreate(segment, "c" + multiProducer,
                ChannelOptions.defaults().withCapacity(64 * 1024).withMultiProducer(multiProducer));
            final int senders = 3 * ChannelDescriptor.MAX_PRODUCERS;
            try (ChannelReceiver receiver = channel.receiver(strategy))
            {
                for (int i = 0; i < senders; i++)
                {
                    try (ChannelSender sender = channel.sender(strategy))
                    {
                        sender.send(new byte[] {(byte)i});
                    }
                }
                final byte[] into = new byte[8];
                for (int i = 0; i < senders; i++)
                {
                    assertEquals(1, receiver.receive(into));
                    assertEquals((byte)i, into[0], "message " + i + " of " + channel);
                }
                assertTrue(receiver.isEndOfStream());
            }
        }
    }

    @Test
    void wrongTypeOrOptionsOnOpenAreRefused()
    {
        IntValue.openOrCreate(segment, "not-a-channel");
        assertThrows(TypeMismatchException.class, () -> Channel.open(segment, "not-a-channel"));
        Channel.openOrCreate(segment, "c", ChannelOptions.defaults().withCapacity(4096));
        assertThrows(io.shm.exceptions.LengthMismatchException.class,
            () -> Channel.openOrCreate(segment, "c", ChannelOptions.defaults().withCapacity(8192)));
        assertThrows(IllegalArgumentException.class, () -> ChannelOptions.defaults().withCapacity(1000));
    }

    @Test
    void awakeReceiverCostsTheSenderNoSystemCall() throws Exception
    {
        final Channel channel = Channel.openOrCreate(segment, "c", ChannelOptions.defaults().withCapacity(4096));
        try (ChannelSender sender = channel.sender(strategy); ChannelReceiver receiver = channel.receiver(strategy))
        {
            final long waits = Futex.waitCalls();
            final long wakes = Futex.wakeCalls();
            final byte[] into = new byte[32];
            for (int i = 0; i < 100_000; i++)
            {
                sender.send(into);
                receiver.receive(into);
            }
            assertEquals(waits, Futex.waitCalls());
            assertEquals(wakes, Futex.wakeCalls());
        }
    }

    @Test
    void fragmentedArraysOfTwoProducersThatInterleaveArriveWhole() throws Exception
    {
        // 8,000-byte arrays through a 4096-byte ring: 16 fragments each, so the two senders'
        // fragments interleave and the receiver reassembles one of them aside while streaming the other.
        final Channel channel = Channel.openOrCreate(segment, "c",
            ChannelOptions.defaults().withCapacity(4096).withMultiProducer(true));
        final int perProducer = 200;
        final int doubles = 1000;
        final List<Thread> senders = new ArrayList<>();
        final List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ChannelReceiver receiver = channel.receiver(strategy))
        {
            for (int p = 0; p < 2; p++)
            {
                final int producer = p;
                final Thread thread = new Thread(() ->
                {
                    try (ChannelSender sender = channel.sender(strategy))
                    {
                        final double[] values = new double[doubles];
                        final long[] longs = new long[doubles];
                        for (int m = 0; m < perProducer; m++)
                        {
                            for (int k = 0; k < doubles; k++)
                            {
                                values[k] = producer * 1e9 + m * 1e4 + k;
                                longs[k] = (long)values[k];
                            }
                            if (m % 2 == 0)
                            {
                                sender.sendDoubles(values, 0, doubles);
                            }
                            else
                            {
                                sender.sendLongs(longs, 0, doubles);
                            }
                        }
                    }
                    catch (final Throwable ex)
                    {
                        failures.add(ex);
                    }
                });
                thread.start();
                senders.add(thread);
            }
            final int[] next = new int[2];
            final double[] into = new double[doubles];
            for (int received = 0; received < 2 * perProducer; received++)
            {
                // Every message is 8,000 bytes of 8-byte values: read each as doubles, then check by its first value.
                assertEquals(doubles, receiver.receiveDoubles(into, 0, 30, TimeUnit.SECONDS));
                final double first = Double.doubleToRawLongBits(into[0]) < 1L << 52 ?
                    Double.doubleToRawLongBits(into[0]) : into[0];
                final int producer = first >= 1e9 ? 1 : 0;
                final int message = next[producer]++;
                for (int k = 0; k < doubles; k++)
                {
                    final double expected = producer * 1e9 + message * 1e4 + k;
                    final double actual = message % 2 == 0 ? into[k] : Double.doubleToRawLongBits(into[k]);
                    assertEquals(expected, actual, "producer " + producer + " message " + message + " value " + k);
                }
            }
            for (final Thread thread : senders)
            {
                thread.join(30_000);
            }
            assertEquals(List.of(), failures);
            assertArrayEquals(new int[] {perProducer, perProducer}, next);
        }
    }

    @Test
    void manyProducerThreadsKeepTheirOwnOrder() throws Exception
    {
        final Channel channel = Channel.openOrCreate(segment, "c",
            ChannelOptions.defaults().withCapacity(8192).withMultiProducer(true));
        final int producers = 3;
        final int count = 50_000;
        final List<CompletableFuture<Void>> sending = new ArrayList<>();
        try (ChannelReceiver receiver = channel.receiver(strategy))
        {
            for (int p = 0; p < producers; p++)
            {
                final int producer = p;
                sending.add(CompletableFuture.runAsync(() ->
                {
                    try (ChannelSender sender = channel.sender(strategy))
                    {
                        final byte[] message = new byte[16];
                        final UnsafeBuffer view = new UnsafeBuffer(message);
                        for (long i = 0; i < count; i++)
                        {
                            view.putLong(0, producer);
                            view.putLong(8, i);
                            sender.send(message);
                        }
                        sender.send(new byte[20_000]);
                    }
                    catch (final InterruptedException ex)
                    {
                        throw new IllegalStateException(ex);
                    }
                }));
            }
            final long[] next = new long[producers];
            final byte[] into = new byte[20_000];
            final UnsafeBuffer view = new UnsafeBuffer(into);
            int big = 0;
            while (true)
            {
                final int length;
                try
                {
                    length = receiver.receive(into);
                }
                catch (final ChannelClosedException endOfStream)
                {
                    break;
                }
                if (length == 20_000)
                {
                    big++;
                    continue;
                }
                final int producer = (int)view.getLong(0);
                assertEquals(next[producer]++, view.getLong(8), "order of producer " + producer);
            }
            for (int p = 0; p < producers; p++)
            {
                assertEquals(count, next[p]);
            }
            assertEquals(producers, big, "fragmented messages of interleaved producers are reassembled");
        }
        for (final CompletableFuture<Void> future : sending)
        {
            future.get(60, TimeUnit.SECONDS);
        }
    }
}
