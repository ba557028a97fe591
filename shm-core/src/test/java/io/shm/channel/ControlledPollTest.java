package io.shm.channel;

import io.shm.process.JvmProcess;
import io.shm.segment.Segment;
import io.shm.segment.SharedObject;
import io.shm.test.Await;
import io.shm.test.ChildArgs;
import io.shm.test.TestSegments;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.shm.channel.ChannelDescriptor.PRODUCERS_WAITING_OFFSET;
import static io.shm.channel.ChannelDescriptor.PRODUCER_POSITION_OFFSET;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A receiver's controlled poll (a handler that may leave a message in the ring), the stream
 * positions it reports, and a receiver that replaces one killed in the middle of a message of
 * several records.
 */
@Timeout(120)
class ControlledPollTest
{
    private final TestSegments segments = new TestSegments();
    private Segment segment;

    @BeforeEach
    void createSegment()
    {
        segment = Segment.create(segments.name("cpoll"), segments.options().withSize(1 << 20));
    }

    @AfterEach
    void removeSegment()
    {
        segment.close();
        segments.close();
    }

    @Test
    void aRefusedMessageStaysAndIsHandedOverFirstByTheNextPoll() throws Exception
    {
        final Channel channel = Channel.create(segment, "c", ChannelOptions.defaults().withCapacity(4096));
        try (ChannelSender sender = channel.sender(); ChannelReceiver receiver = channel.receiver())
        {
            for (byte i = 1; i <= 3; i++)
            {
                sender.send(new byte[] {i, i});
            }
            final List<Byte> seen = new ArrayList<>();
            assertEquals(1, receiver.controlledPoll((buffer, offset, length) ->
            {
                seen.add(buffer.getByte(offset));
                return buffer.getByte(offset) != 2;
            }, 10));
            assertEquals(List.of((byte)1, (byte)2), seen);
            seen.clear();
            assertEquals(2, receiver.controlledPoll((buffer, offset, length) -> seen.add(buffer.getByte(offset)), 10));
            assertEquals(List.of((byte)2, (byte)3), seen);
            assertEquals(0, receiver.controlledPoll((buffer, offset, length) -> fail("nothing is left"), 10));
        }
    }

    @Test
    void aRefusedMessageOfSeveralRecordsIsHandedOverWholeByTheNextPoll() throws Exception
    {
        final ChannelOptions options = ChannelOptions.defaults().withCapacity(4096);
        final Channel channel = Channel.create(segment, "c", options);
        final int length = 3 * options.maxRecordPayload();
        final byte[] message = new byte[length];
        for (int i = 0; i < length; i++)
        {
            message[i] = (byte)(i * 7);
        }
        try (ChannelSender sender = channel.sender(); ChannelReceiver receiver = channel.receiver())
        {
            sender.send(message);
            sender.send(new byte[] {42});
            final int[] offers = new int[1];
            assertEquals(0, receiver.controlledPoll((buffer, offset, size) ->
            {
                assertEquals(length, size);
                offers[0]++;
                return false;
            }, 10));
            assertEquals(1, offers[0], "a refusal ends the poll");
            final List<byte[]> taken = new ArrayList<>();
            assertEquals(2, receiver.controlledPoll((buffer, offset, size) ->
            {
                final byte[] copy = new byte[size];
                buffer.getBytes(offset, copy);
                return taken.add(copy);
            }, 10));
            assertArrayEquals(message, taken.get(0));
            assertArrayEquals(new byte[] {42}, taken.get(1));
        }
    }

    @Test
    void messageEndsAreTheStreamPositionsJustPastEachMessage() throws Exception
    {
        final ChannelOptions options = ChannelOptions.defaults().withCapacity(64 * 1024);
        final Channel channel = Channel.create(segment, "c", options);
        try (ChannelSender sender = channel.sender(); ChannelReceiver receiver = channel.receiver())
        {
            final int[] lengths = {1, 100, 3 * options.maxRecordPayload(), 8, 2 * options.maxRecordPayload() + 5, 0};
            for (final int length : lengths)
            {
                sender.send(new byte[length]);
            }
            final List<Long> ends = new ArrayList<>();
            assertEquals(lengths.length, receiver.controlledPoll((buffer, offset, length) ->
                ends.add(receiver.messageEnd()), 100));
            final List<Long> expected = new ArrayList<>();
            long end = 0;
            for (final int length : lengths)
            {
                // One record, or fragments whose payloads carry the total length first, then the data.
                long payload = length <= options.maxRecordPayload() ? length : length + Long.BYTES;
                do
                {
                    final int chunk = (int)Math.min(payload, options.maxRecordPayload());
                    end += ChannelDescriptor.recordLength(chunk);
                    payload -= chunk;
                }
                while (payload > 0);
                expected.add(end);
            }
            assertEquals(expected, ends);
        }
    }

    /**
     * A receiver killed after taking the first records of a long message has published its
     * position past that message's start: the next receiver cannot rebuild it, and drops the
     * rest (counted) instead of delivering a cut message as whole.
     */
    @Test
    void aReceiverReplacingOneKilledInsideAMessageDropsItsRestAndCountsIt() throws Exception
    {
        final ChannelOptions options = ChannelOptions.defaults().withCapacity(4096);
        final Channel channel = Channel.create(segment, "c", options);
        final int length = 12 * options.maxRecordPayload();
        try (JvmProcess sender = ChildArgs.child(SendLongThenShort.class, segments, segment.name(), "c",
            String.valueOf(length)).start())
        {
            final var buffer = channel.object().buffer();
            // The ring is full and the sender waits for room: every record it claimed is committed.
            Await.await(() -> buffer.getIntVolatile(SharedObject.DATA_OFFSET + PRODUCERS_WAITING_OFFSET) > 0,
                Await.PROMPT, "the sender waiting for room");
            sender.signal("STOP");
            final long written = buffer.getLongVolatile(SharedObject.DATA_OFFSET + PRODUCER_POSITION_OFFSET);
            try (JvmProcess first = ChildArgs.child(PollOnceAndHang.class, segments, segment.name(), "c").start())
            {
                first.awaitOutput(line -> line.startsWith("polled"), 60, TimeUnit.SECONDS);
                assertEquals("polled 0", first.lines().get(first.lines().size() - 1), "the message is not whole yet");
                first.killAndWait();
            }
            sender.signal("CONT");
            try (ChannelReceiver successor = channel.receiver())
            {
                final byte[] into = new byte[length];
                assertEquals(1, successor.receive(into), "the next whole message, not the cut one");
                assertEquals(99, into[0]);
                // Whole records of one full payload each; the first also carries the total length.
                final long taken = written / ChannelDescriptor.recordLength(options.maxRecordPayload()) *
                    options.maxRecordPayload();
                assertEquals(length + Long.BYTES - taken, successor.skippedBytes(), "the rest of the cut message");
            }
            assertEquals(0, sender.join(60, TimeUnit.SECONDS), sender.output());
        }
    }

    /**
     * Child: sends one message of {@code length} bytes, then a 1-byte message (99), and closes:
     * {@code (channel, length)}.
     */
    public static final class SendLongThenShort
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.open(args);
                 ChannelSender sender = Channel.open(child.segment(), child.get(0)).sender())
            {
                final UnsafeBuffer message = new UnsafeBuffer(new byte[child.getInt(1)]);
                sender.send(message, 0, message.capacity());
                sender.send(new byte[] {99});
            }
        }
    }

    /**
     * Child: attaches a receiver, polls once, prints how many messages it took, and hangs: {@code (channel)}.
     */
    public static final class PollOnceAndHang
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.open(args))
            {
                final ChannelReceiver receiver = Channel.open(child.segment(), child.get(0)).receiver();
                System.out.println("polled " + receiver.poll((buffer, offset, length) -> { }, 1));
                Thread.sleep(Long.MAX_VALUE);
            }
        }
    }
}
