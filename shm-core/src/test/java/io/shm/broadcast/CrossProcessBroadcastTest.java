package io.shm.broadcast;

import io.shm.exceptions.ChannelClosedException;
import io.shm.exceptions.PeerDiedException;
import io.shm.process.JvmProcess;
import io.shm.segment.SegmentOptions;
import io.shm.segment.SharedObject;
import io.shm.test.Await;
import io.shm.test.ChildArgs;
import io.shm.test.SegmentTestCase;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.shm.broadcast.BroadcastReceiver.Start.NEWEST;
import static io.shm.broadcast.BroadcastReceiver.Start.OLDEST;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The broadcast channel between real, separate JVMs: every receiver a process of its own.
 */
@Timeout(300)
class CrossProcessBroadcastTest extends SegmentTestCase
{
    private static final int MESSAGES = 1_000_000;
    private static final BroadcastOptions OPTIONS = BroadcastOptions.defaults().withCapacity(64 * 1024).withMaxReceivers(8);

    @Override
    protected SegmentOptions options(final SegmentOptions defaults)
    {
        return defaults.withSize(4 << 20);
    }

    @Test
    void aBackPressuredStreamReachesThreeReceiversWholeAndInOrder() throws Exception
    {
        final Broadcast broadcast = Broadcast.create(segment, "b", OPTIONS.withBackPressure(true));
        final List<JvmProcess> receivers = new ArrayList<>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                receivers.add(child(Receive.class, "OLDEST"));
            }
            Await.await(() -> broadcast.receivers() == 3, Await.PROMPT, "three receivers to join");
            try (JvmProcess sender = child(Send.class, String.valueOf(MESSAGES)))
            {
                assertEquals(0, sender.join(120, TimeUnit.SECONDS), sender.output());
            }
            for (final JvmProcess receiver : receivers)
            {
                assertEquals(0, receiver.join(60, TimeUnit.SECONDS), receiver.output());
                assertTrue(receiver.output().contains("received " + MESSAGES + " lost 0 from 0 to " + (MESSAGES - 1) +
                    " in order, then the end"), receiver.output());
            }
        }
        finally
        {
            receivers.forEach(JvmProcess::close);
        }
    }

    @Test
    void aStoppedLossyReceiverNeverHoldsTheSenderAndCountsItsLossExactly() throws Exception
    {
        final Broadcast broadcast = Broadcast.create(segment, "b", OPTIONS);
        try (JvmProcess stopped = child(Receive.class, "OLDEST"); JvmProcess running = child(Receive.class, "OLDEST"))
        {
            Await.await(() -> broadcast.receivers() == 2, Await.PROMPT, "two receivers to join");
            stopped.signal("STOP");
            try (JvmProcess sender = child(Send.class, String.valueOf(MESSAGES)))
            {
                assertEquals(0, sender.join(120, TimeUnit.SECONDS), "the sender finished while a receiver was stopped: " +
                    sender.output());
            }
            stopped.signal("CONT");
            for (final JvmProcess receiver : List.of(stopped, running))
            {
                assertEquals(0, receiver.join(60, TimeUnit.SECONDS), receiver.output());
                final long[] counts = counts(receiver.output());
                assertEquals(MESSAGES, counts[0] + counts[1], "received + lost: " + receiver.output());
                assertEquals(MESSAGES - 1, counts[2], "the last message is kept: " + receiver.output());
            }
            assertTrue(counts(stopped.output())[1] > 0, "a receiver stopped for a million messages lost some: " +
                stopped.output());
        }
    }

    @Test
    void aKilledReceiverStopsHoldingBackTheSenderAndAStoppedOneNever() throws Exception
    {
        final Broadcast broadcast = Broadcast.create(segment, "b", OPTIONS.withBackPressure(true));
        final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
        try (JvmProcess holder = child(JoinWithoutReading.class, "OLDEST"); BroadcastSender sender = broadcast.sender())
        {
            Await.await(() -> broadcast.receivers() == 1, Await.PROMPT, "the holder to join");
            while (sender.trySend(message, 0, 64))
            {
                assertTrue(holder.isAlive());
            }
            holder.signal("STOP");
            assertFalse(sender.send(message, 0, 64, 500, TimeUnit.MILLISECONDS), "a stopped receiver still holds");
            holder.kill();
            final long killed = System.nanoTime();
            assertTrue(sender.send(message, 0, 64, 10, TimeUnit.SECONDS), "a dead receiver no longer holds");
            final long unblocked = System.nanoTime() - killed;
            assertEquals(0, broadcast.receivers());
            assertTrue(unblocked < TimeUnit.SECONDS.toNanos(2), "unblocked " + unblocked / 1_000_000 + " ms after the kill");
        }
    }

    @Test
    void receiversJoiningMidStreamGetAWholeSuffix() throws Exception
    {
        final Broadcast broadcast = Broadcast.create(segment, "b", OPTIONS.withBackPressure(true));
        final List<JvmProcess> late = new ArrayList<>();
        try (BroadcastReceiver first = broadcast.receiver(OLDEST); JvmProcess sender = child(Send.class, String.valueOf(MESSAGES)))
        {
            final byte[] into = new byte[64];
            final UnsafeBuffer view = new UnsafeBuffer(into);
            for (long i = 0; i < MESSAGES; i++)
            {
                assertEquals(32, first.receive(into));
                assertEquals(i, view.getLong(0));
                if (i == MESSAGES / 5 || i == MESSAGES / 2)
                {
                    late.add(child(Receive.class, i == MESSAGES / 5 ? "NEWEST" : "OLDEST"));
                    // This receiver reads no further until the child has joined: the sender, held
                    // back by it, is mid-stream meanwhile.
                    final int joined = 1 + late.size();
                    Await.await(() -> broadcast.receivers() == joined, Await.PROMPT, "a receiver to join mid-stream");
                }
            }
            assertEquals(0, sender.join(60, TimeUnit.SECONDS), sender.output());
            assertThrows(ChannelClosedException.class, () -> first.receive(into));
            for (final JvmProcess receiver : late)
            {
                assertEquals(0, receiver.join(60, TimeUnit.SECONDS), receiver.output());
                final long[] counts = counts(receiver.output());
                assertTrue(counts[3] > MESSAGES / 5, receiver.output());
                assertEquals(MESSAGES - counts[3], counts[0], "every message from its first on: " + receiver.output());
                assertEquals(0, counts[1], receiver.output());
            }
        }
        finally
        {
            late.forEach(JvmProcess::close);
        }
    }

    @Test
    void aSenderKilledMidStreamIsReportedAndAnotherGoesOn() throws Exception
    {
        final Broadcast broadcast = Broadcast.create(segment, "b", OPTIONS.withBackPressure(true));
        try (BroadcastReceiver receiver = broadcast.receiver(OLDEST); JvmProcess sender = child(Send.class,
            String.valueOf(Long.MAX_VALUE)))
        {
            final byte[] into = new byte[64];
            final UnsafeBuffer view = new UnsafeBuffer(into);
            long next = 0;
            for (; next < 100_000; next++)
            {
                receiver.receive(into);
                assertEquals(next, view.getLong(0));
            }
            sender.kill();
            sender.join(10, TimeUnit.SECONDS);
            try
            {
                while (true)
                {
                    receiver.receive(into);
                    assertEquals(next++, view.getLong(0), "what the dead sender finished is whole and in order");
                }
            }
            catch (final PeerDiedException ex)
            {
                assertTrue(ex.getMessage().contains(String.valueOf(sender.pid())), ex.getMessage());
            }
            try (BroadcastSender successor = broadcast.sender())
            {
                assertTrue(successor.nextSequence() >= next, "the numbering goes on");
                view.putLong(0, -7);
                successor.send(into, 0, 32);
                assertEquals(32, receiver.receive(into));
                assertEquals(-7, view.getLong(0));
                assertTrue(receiver.lostMessages() <= 1, "at most the message being written when it died: " +
                    receiver.lostMessages());
            }
        }
    }

    @Test
    void aSenderKilledMidRecordLeavesSpaceThatTheNextSenderPads() throws Exception
    {
        for (final String where : new String[] {"inside", "across"})
        {
            final Broadcast broadcast = Broadcast.create(segment, where, OPTIONS.withBackPressure(true));
            try (BroadcastReceiver receiver = broadcast.receiver(OLDEST);
                JvmProcess dying = ChildArgs.child(DieMidRecord.class, segments, segment.name(), where).start())
            {
                final byte[] into = new byte[64];
                final UnsafeBuffer view = new UnsafeBuffer(into);
                long next = 0;
                try
                {
                    while (true)
                    {
                        receiver.receive(into);
                        assertEquals(next++, view.getLong(0), "what the sender finished arrives whole and in order");
                    }
                }
                catch (final PeerDiedException ex)
                {
                    assertEquals(3, dying.join(30, TimeUnit.SECONDS), dying.output());
                    assertTrue(dying.output().contains("sent " + next + ", dying"), next + " received: " + dying.output());
                }
                try (BroadcastSender successor = broadcast.sender())
                {
                    for (long i = 0; i < 3000; i++)
                    {
                        view.putLong(0, next + i);
                        successor.send(into, 0, 32);
                        assertEquals(32, receiver.receive(into));
                        assertEquals(next + i, view.getLong(0), "past the padding, the stream goes on whole");
                    }
                }
                assertEquals(0, receiver.lostMessages(), "the unfinished message had no sequence number yet");
            }
        }
    }

    @Test
    void lappedLossyReceiversNeverKeepATornMessage() throws Exception
    {
        // Small ring, messages of 8 to 400 bytes whose every word is their sequence number, and
        // receivers that dawdle: they are lapped again and again, mid-copy too. The third goes on
        // from the newest message after each lap, the others from the oldest.
        final Broadcast broadcast = Broadcast.create(segment, "b", BroadcastOptions.defaults().withCapacity(16 * 1024)
            .withMaxReceivers(4));
        try (JvmProcess slow = child(ReceiveWords.class, "200"); JvmProcess slower = child(ReceiveWords.class, "2000");
             JvmProcess skipping = child(ReceiveWords.class, "2000", "NEWEST"))
        {
            Await.await(() -> broadcast.receivers() == 3, Await.PROMPT, "three receivers to join");
            final int messages = 300_000;
            try (JvmProcess sender = child(SendWords.class, String.valueOf(messages), "100"))
            {
                assertEquals(0, sender.join(120, TimeUnit.SECONDS), sender.output());
            }
            for (final JvmProcess receiver : List.of(slow, slower, skipping))
            {
                assertEquals(0, receiver.join(60, TimeUnit.SECONDS), receiver.output());
                final long[] counts = counts(receiver.output());
                assertEquals(messages, counts[0] + counts[1], "received + lost: " + receiver.output());
                assertTrue(counts[1] > 0, "a dawdling receiver was lapped: " + receiver.output());
                // One that skips to the newest after each lap keeps fewer; the others many.
                assertTrue(counts[0] > (receiver == skipping ? 0 : 1_000), "and kept whole messages meanwhile: " +
                    receiver.output());
            }
        }
    }

    private JvmProcess child(final Class<?> scenario, final String... args)
    {
        final List<String> all = new ArrayList<>(List.of("b"));
        all.addAll(List.of(args));
        return ChildArgs.child(scenario, segments, segment.name(), all.toArray(String[]::new)).start();
    }

    /**
     * @return received, lost, last value and first value from a {@link Receive} child's report.
     */
    private static long[] counts(final String output)
    {
        final String[] words = output.substring(output.indexOf("received ")).split("\\s+");
        return new long[] {Long.parseLong(words[1]), Long.parseLong(words[3]), Long.parseLong(words[7]),
            Long.parseLong(words[5])};
    }

    /**
     * Child: sends 32-byte messages holding 0, 1, 2 ... then closes: {@code (broadcast, count)}.
     */
    public static final class Send
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.open(args);
                BroadcastSender sender = Broadcast.open(child.segment(), child.get(0)).sender())
            {
                final long count = child.getLong(1);
                final UnsafeBuffer message = new UnsafeBuffer(new byte[32]);
                for (long i = 0; i < count; i++)
                {
                    message.putLong(0, i);
                    sender.send(message, 0, 32);
                }
            }
        }
    }

    /**
     * Child: joins at {@code start} and receives to the end of the stream, checking that the
     * values rise by one except where the receiver counted lost messages; reports
     * "received R lost L from F to X in order, then the end": {@code (broadcast, start)}.
     */
    public static final class Receive
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.open(args); BroadcastReceiver receiver = Broadcast.open(child.segment(),
                child.get(0)).receiver(BroadcastReceiver.Start.valueOf(child.get(1))))
            {
                final byte[] into = new byte[64];
                final UnsafeBuffer view = new UnsafeBuffer(into);
                long received = 0;
                long first = -1;
                long last = -1;
                try
                {
                    while (true)
                    {
                        receiver.receive(into);
                        final long value = view.getLong(0);
                        final long lostBefore = receiver.lostMessages();
                        if (first < 0)
                        {
                            first = value;
                            gap(receiver, lostBefore);
                        }
                        else if (value != last + 1 + gap(receiver, lostBefore))
                        {
                            throw new AssertionError("after " + last + " came " + value + " with " + lostBefore + " lost");
                        }
                        last = value;
                        received++;
                    }
                }
                catch (final ChannelClosedException end)
                {
                    System.out.println("received " + received + " lost " + receiver.lostMessages() + " from " + first +
                        " to " + last + " in order, then the end");
                }
            }
        }

        private static long counted;

        /**
         * @return the messages lost since the previous message.
         */
        private static long gap(final BroadcastReceiver receiver, final long lost)
        {
            final long gap = lost - counted;
            counted = lost;
            return gap;
        }
    }

    /**
     * Child: joins at {@code start}, reports it, and never reads: {@code (broadcast, start)}.
     */
    public static final class JoinWithoutReading
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.open(args); BroadcastReceiver receiver = Broadcast.open(child.segment(),
                child.get(0)).receiver(BroadcastReceiver.Start.valueOf(child.get(1))))
            {
                System.out.println("joined " + receiver);
                Thread.sleep(Long.MAX_VALUE);
            }
        }
    }

    /**
     * Child: sends 32-byte messages holding 0, 1, 2 ... until its tail lies two laps on and
     * {@code where} in the ring ({@code inside}: in its first half; {@code across}: so close to
     * its end that the next record wraps), then sends one more from a buffer that halts the
     * process in the middle of the copy: after the Tail Intent and the header are stored, before
     * the payload and the Tail. {@code (where)}, the broadcast of that name.
     */
    public static final class DieMidRecord
    {
        public static void main(final String[] args) throws Exception
        {
            final ChildArgs child = ChildArgs.open(args);
            final Broadcast broadcast = Broadcast.open(child.segment(), child.get(0));
            final boolean across = child.get(0).equals("across");
            final BroadcastSender sender = broadcast.sender();
            final AtomicBuffer buffer = broadcast.object().buffer();
            final int capacity = broadcast.options().capacity();
            final AtomicBoolean armed = new AtomicBoolean();
            final UnsafeBuffer message = new UnsafeBuffer(new byte[32])
            {
                @Override
                public byte[] byteArray()
                {
                    if (armed.get())
                    {
                        System.out.println("dying");
                        Runtime.getRuntime().halt(3);
                    }
                    return super.byteArray();
                }
            };
            long sent = 0;
            while (true)
            {
                final long tail = buffer.getLongVolatile(SharedObject.DATA_OFFSET + BroadcastDescriptor.TAIL_OFFSET);
                final int toEnd = capacity - (int)(tail & (capacity - 1));
                if (tail > 2L * capacity && (across ? toEnd < BroadcastDescriptor.recordLength(32) :
                    toEnd > capacity / 2))
                {
                    break;
                }
                message.putLong(0, sent++);
                sender.send(message, 0, 32);
            }
            System.out.print("sent " + sent + ", ");
            message.putLong(0, sent);
            armed.set(true);
            sender.send(message, 0, 32);
        }
    }

    /**
     * Child: sends {@code count} messages of 8 to 400 bytes, every 8-byte word of message
     * {@code i} holding {@code i}, pausing {@code spins} rounds after each, then closes:
     * {@code (broadcast, count, spins)}.
     */
    public static final class SendWords
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.open(args);
                BroadcastSender sender = Broadcast.open(child.segment(), child.get(0)).sender())
            {
                final UnsafeBuffer message = new UnsafeBuffer(new byte[400]);
                final int spins = child.getInt(2);
                for (long i = 0; i < child.getLong(1); i++)
                {
                    final int words = 1 + (int)(i % 50);
                    for (int w = 0; w < words; w++)
                    {
                        message.putLong(w * 8, i);
                    }
                    sender.send(message, 0, words * 8);
                    for (int s = 0; s < spins; s++)
                    {
                        Thread.onSpinWait();
                    }
                }
            }
        }
    }

    /**
     * Child: receives to the end of the stream, pausing {@code spins} rounds after each message,
     * and checks that every word of a message is its sequence and that sequences rise; reports
     * as {@link Receive} does: {@code (broadcast, spins[, where to go on after a lap])}.
     */
    public static final class ReceiveWords
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.open(args); BroadcastReceiver receiver = Broadcast.open(child.segment(),
                child.get(0)).receiver(BroadcastReceiver.Start.OLDEST, child.has(2) ?
                    BroadcastReceiver.Start.valueOf(child.get(2)) : BroadcastReceiver.Start.OLDEST,
                    io.shm.wait.WaitStrategy.defaultStrategy()))
            {
                final int spins = child.getInt(1);
                final byte[] into = new byte[400];
                final UnsafeBuffer view = new UnsafeBuffer(into);
                long received = 0;
                long first = -1;
                long last = -1;
                try
                {
                    while (true)
                    {
                        final int length = receiver.receive(into);
                        final long value = view.getLong(0);
                        if (length != 8 * (1 + (int)(value % 50)) || value <= last)
                        {
                            throw new AssertionError("message " + value + " of " + length + " bytes after " + last);
                        }
                        for (int w = 1; w < length / 8; w++)
                        {
                            if (view.getLong(w * 8) != value)
                            {
                                throw new AssertionError("a torn message: word " + w + " of " + value + " is " +
                                    view.getLong(w * 8));
                            }
                        }
                        first = first < 0 ? value : first;
                        last = value;
                        received++;
                        for (int i = 0; i < spins; i++)
                        {
                            Thread.onSpinWait();
                        }
                    }
                }
                catch (final ChannelClosedException end)
                {
                    System.out.println("received " + received + " lost " + receiver.lostMessages() + " from " + first +
                        " to " + last + " in order, then the end");
                }
            }
        }
    }
}
