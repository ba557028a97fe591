package io.shm.broadcast;

import io.shm.exceptions.ChannelClosedException;
import io.shm.exceptions.LengthMismatchException;
import io.shm.exceptions.MessageTooLargeException;
import io.shm.test.SegmentTestCase;
import io.shm.wait.linux.Futex;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.shm.broadcast.BroadcastReceiver.Start.NEWEST;
import static io.shm.broadcast.BroadcastReceiver.Start.OLDEST;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The broadcast channel within one process; {@code CrossProcessBroadcastTest} runs it between JVMs.
 */
@Timeout(60)
class BroadcastTest extends SegmentTestCase
{
    private static final int CAPACITY = 4096;

    private final UnsafeBuffer message = new UnsafeBuffer(new byte[512]);

    private Broadcast broadcast(final boolean backPressured)
    {
        return Broadcast.openOrCreate(segment, "b", BroadcastOptions.defaults().withCapacity(CAPACITY)
            .withMaxReceivers(4).withBackPressure(backPressured));
    }

    private void send(final BroadcastSender sender, final long value, final int length) throws InterruptedException
    {
        message.putLong(0, value);
        sender.send(message, 0, length);
    }

    private static long receiveLong(final BroadcastReceiver receiver) throws InterruptedException
    {
        final byte[] into = new byte[512];
        final int length = receiver.receive(into);
        assertTrue(length >= 8, "length " + length);
        return new UnsafeBuffer(into).getLong(0);
    }

    @Test
    void everyReceiverGetsEveryMessageInOrderThroughManyWraps() throws Exception
    {
        final Broadcast broadcast = broadcast(true);
        try (BroadcastReceiver first = broadcast.receiver(OLDEST); BroadcastReceiver second = broadcast.receiver(OLDEST);
            BroadcastSender sender = broadcast.sender())
        {
            for (long i = 0; i < 10_000; i++)
            {
                // Lengths from 8 to 207 bytes: records of every alignment meet the ring's end.
                send(sender, i, 8 + (int)(i % 200));
                assertEquals(i, receiveLong(first));
                assertEquals(i, receiveLong(second));
            }
            assertEquals(0, first.lostMessages());
            assertEquals(10_000, sender.nextSequence());
        }
    }

    @Test
    void aLossyReceiverThatFallsARingBehindIsToldExactlyHowManyItLost() throws Exception
    {
        final Broadcast broadcast = broadcast(false);
        try (BroadcastReceiver slow = broadcast.receiver(OLDEST); BroadcastSender sender = broadcast.sender())
        {
            final int sent = 1000;
            for (long i = 0; i < sent; i++)
            {
                send(sender, i, 40);
            }
            final List<Long> received = new ArrayList<>();
            while (slow.poll((buffer, offset, length) -> received.add(buffer.getLong(offset)), 10) > 0)
            {
                assertFalse(received.isEmpty());
            }
            assertTrue(slow.lostMessages() > 0, "a ring of " + CAPACITY + " bytes cannot hold " + sent + " messages");
            assertEquals(sent, received.size() + slow.lostMessages(), "received " + received.size() + ", lost " +
                slow.lostMessages());
            for (int i = 1; i < received.size(); i++)
            {
                assertEquals(received.get(i - 1) + 1, received.get(i), "what is kept is in order, with no gap");
            }
            assertEquals(sent - 1, received.get(received.size() - 1));
            assertTrue(slow.laps() > 0);
        }
    }

    /**
     * A receiver that goes on from the newest message once lapped: everything the ring held when
     * it was lapped is lost at once and counted, and it gets every message sent after.
     */
    @Test
    void aLossyReceiverThatGoesOnFromTheNewestCountsExactlyWhatItSkipped() throws Exception
    {
        final Broadcast broadcast = broadcast(false);
        try (BroadcastReceiver slow = broadcast.receiver(OLDEST, BroadcastReceiver.Start.NEWEST,
                 io.shm.wait.WaitStrategy.defaultStrategy());
             BroadcastSender sender = broadcast.sender())
        {
            final int sent = 1000;
            for (long i = 0; i < sent; i++)
            {
                send(sender, i, 40);
            }
            final List<Long> received = new ArrayList<>();
            assertEquals(0, slow.poll((buffer, offset, length) -> received.add(buffer.getLong(offset)), 10),
                "lapped at once, it goes on at the next message sent");
            assertEquals(1, slow.laps());
            for (long i = sent; i < sent + 5; i++)
            {
                send(sender, i, 40);
            }
            while (slow.poll((buffer, offset, length) -> received.add(buffer.getLong(offset)), 10) > 0)
            {
                assertFalse(received.isEmpty());
            }
            assertEquals(List.of(1000L, 1001L, 1002L, 1003L, 1004L), received);
            assertEquals(sent, slow.lostMessages(), "every message it skipped is counted once the next one comes");
            // Lapped again while reading: the count stays exact.
            for (long i = sent + 5; i < 3 * sent; i++)
            {
                send(sender, i, 40);
            }
            send(sender, 3 * sent, 40);
            received.clear();
            while (slow.poll((buffer, offset, length) -> received.add(buffer.getLong(offset)), 10) > 0)
            {
                assertFalse(received.isEmpty());
            }
            sender.close();
            assertTrue(slow.isEndOfStream());
            assertEquals(3L * sent + 1, 5 + received.size() + slow.lostMessages(),
                "at the end of the stream what no later message accounted for is counted: received " + received);
        }
    }

    @Test
    void aBackPressuredSenderWaitsForTheSlowestReceiverAndGoesOnOnceItReads() throws Exception
    {
        final Broadcast broadcast = broadcast(true);
        try (BroadcastReceiver slow = broadcast.receiver(OLDEST); BroadcastSender sender = broadcast.sender())
        {
            int sent = 0;
            message.putLong(0, sent);
            while (sender.trySend(message, 0, 64))
            {
                message.putLong(0, ++sent);
            }
            assertTrue(sent > 0 && sent * 80 <= CAPACITY, sent + " messages of 80-byte records before the ring is full");
            assertFalse(sender.send(message, 0, 64, 50, TimeUnit.MILLISECONDS), "a full ring waits, then times out");
            final int total = sent + 100;
            final CompletableFuture<Void> rest = CompletableFuture.runAsync(() ->
            {
                try
                {
                    for (long i = total - 100; i < total; i++)
                    {
                        send(sender, i, 64);
                    }
                }
                catch (final InterruptedException ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            for (long i = 0; i < total; i++)
            {
                assertEquals(i, receiveLong(slow));
            }
            rest.get(10, TimeUnit.SECONDS);
            assertEquals(0, slow.lostMessages());
        }
    }

    @Test
    void aReceiverJoinsAtTheNewestOrTheOldestMessage() throws Exception
    {
        final Broadcast broadcast = broadcast(false);
        try (BroadcastSender sender = broadcast.sender())
        {
            for (long i = 0; i < 5; i++)
            {
                send(sender, i, 16);
            }
            try (BroadcastReceiver newest = broadcast.receiver(NEWEST); BroadcastReceiver oldest = broadcast.receiver(OLDEST))
            {
                assertEquals(0, newest.poll((buffer, offset, length) -> fail("nothing new yet"), 10));
                assertEquals(0, receiveLong(oldest));
                send(sender, 5, 16);
                assertEquals(5, receiveLong(newest));
                assertEquals(0, newest.lostMessages());
                assertEquals(1, receiveLong(oldest));
            }
        }
    }

    @Test
    void aClosedSenderEndsTheStreamOnceEveryMessageIsTaken() throws Exception
    {
        final Broadcast broadcast = broadcast(true);
        try (BroadcastReceiver receiver = broadcast.receiver(OLDEST))
        {
            final BroadcastSender sender = broadcast.sender();
            send(sender, 7, 8);
            sender.close();
            assertEquals(7, receiveLong(receiver));
            assertThrows(ChannelClosedException.class, () -> receiver.receive(new byte[8]));
            try (BroadcastSender next = broadcast.sender())
            {
                send(next, 8, 8);
                assertEquals(8, receiveLong(receiver), "a new sender goes on with the stream");
                assertEquals(2, next.nextSequence());
            }
        }
    }

    @Test
    void aReceiverThatLeavesNoLongerHoldsTheSenderBack() throws Exception
    {
        final Broadcast broadcast = broadcast(true);
        final BroadcastReceiver leaving = broadcast.receiver(OLDEST);
        try (BroadcastSender sender = broadcast.sender())
        {
            while (sender.trySend(message, 0, 64))
            {
                assertEquals(1, broadcast.receivers());
            }
            leaving.close();
            assertEquals(0, broadcast.receivers());
            assertTrue(sender.send(message, 0, 64, 1, TimeUnit.SECONDS));
        }
    }

    @Test
    void aMessageWaitedForWakesTheReceiver() throws Exception
    {
        final Broadcast broadcast = broadcast(true);
        try (BroadcastReceiver receiver = broadcast.receiver(NEWEST); BroadcastSender sender = broadcast.sender())
        {
            final CompletableFuture<Long> got = CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    return receiveLong(receiver);
                }
                catch (final InterruptedException ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            assertFalse(receiver.awaitMessage(0, TimeUnit.MILLISECONDS));
            Thread.sleep(200);
            send(sender, 42, 8);
            assertEquals(42, got.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aMessageReceivedAsAnArrayHasItsOwnLength() throws Exception
    {
        final Broadcast broadcast = broadcast(false);
        try (BroadcastReceiver receiver = broadcast.receiver(OLDEST); BroadcastSender sender = broadcast.sender())
        {
            sender.send(new byte[] {1, 2, 3});
            sender.send(new byte[0]);
            assertArrayEquals(new byte[] {1, 2, 3}, receiver.receive());
            assertArrayEquals(new byte[0], receiver.receive());
        }
    }

    @Test
    void aSenderMakesNoSystemCallWhileNoReceiverSleeps() throws Exception
    {
        final Broadcast broadcast = broadcast(true);
        try (BroadcastReceiver receiver = broadcast.receiver(OLDEST); BroadcastSender sender = broadcast.sender())
        {
            final long wakesBefore = Futex.wakeCalls();
            final long[] received = {0};
            for (long i = 0; i < 10_000; i++)
            {
                send(sender, i, 24);
                assertEquals(1, receiver.poll((buffer, offset, length) -> received[0]++, 10));
            }
            assertEquals(10_000, received[0]);
            assertEquals(wakesBefore, Futex.wakeCalls(), "no wake call with nobody asleep");
        }
    }

    @Test
    void badInputIsRefusedWithItsReason() throws Exception
    {
        final Broadcast broadcast = broadcast(true);
        try (BroadcastSender sender = broadcast.sender(); BroadcastReceiver receiver = broadcast.receiver(OLDEST))
        {
            final MessageTooLargeException large = assertThrows(MessageTooLargeException.class,
                () -> sender.send(new byte[CAPACITY / 8]));
            assertTrue(large.getMessage().contains("limit"), large.getMessage());
            assertThrows(IllegalStateException.class, broadcast::sender, "one sender at a time");
            assertThrows(IndexOutOfBoundsException.class, () -> sender.send(new UnsafeBuffer(new byte[8]), 0, 16));
            assertThrows(IndexOutOfBoundsException.class, () -> sender.send(new byte[8], 4, 8));
            sender.send(new byte[100]);
            final IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> receiver.receive(new byte[10]));
            assertTrue(small.getMessage().contains("does not fit"), small.getMessage());
            assertEquals(100, receiver.receive(new byte[100]), "the message too long for the array was kept");
        }
        assertThrows(IllegalArgumentException.class, () -> BroadcastOptions.defaults().withCapacity(1000));
        assertThrows(IllegalArgumentException.class, () -> BroadcastOptions.defaults().withMaxReceivers(0));
        assertThrows(IllegalArgumentException.class,
            () -> BroadcastOptions.defaults().withCapacity(4096).withMaxMessageLength(4096));
        assertThrows(LengthMismatchException.class, () -> Broadcast.openOrCreate(segment, "b",
            BroadcastOptions.defaults().withCapacity(2 * CAPACITY).withMaxReceivers(4)));
    }

    @Test
    void receiversBeyondTheMaximumAreRefused()
    {
        final Broadcast broadcast = broadcast(false);
        final List<BroadcastReceiver> receivers = new ArrayList<>();
        for (int i = 0; i < 4; i++)
        {
            receivers.add(broadcast.receiver(NEWEST));
        }
        final IllegalStateException full = assertThrows(IllegalStateException.class, () -> broadcast.receiver(NEWEST));
        assertTrue(full.getMessage().contains("maxReceivers"), full.getMessage());
        receivers.remove(0).close();
        receivers.add(broadcast.receiver(NEWEST));
        receivers.forEach(BroadcastReceiver::close);
    }
}
