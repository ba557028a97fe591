package io.shm.channel;

import io.shm.codec.Codec;
import io.shm.codec.Codecs;
import io.shm.exceptions.MessageTooLargeException;
import io.shm.launch.ProcessTarget;
import io.shm.launch.TargetArgs;
import io.shm.process.JvmProcess;
import io.shm.test.SegmentTestCase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Objects through a connection by codec, records by a derived codec, and Python's byte-message
 * names, across real JVMs.
 */
@Timeout(120)
class ObjectMessagesTest extends SegmentTestCase
{
    /**
     * An order: every kind of component a record codec takes.
     */
    public record Order(String symbol, int quantity, long id, double price, boolean buy, Side side, byte[] note,
        Integer limit, char code, short lot, byte venue, float fee)
    {
    }

    /**
     * A nested record.
     */
    public record Side(String book, long account)
    {
    }

    private static final Codec<Order> ORDERS = Codecs.record(Order.class);

    @Test
    void recordsCrossToAnotherProcessAndBack() throws Exception
    {
        final List<Order> orders = List.of(
            new Order("ACME", 100, 1L, 12.5, true, new Side("main", 7), new byte[] {1, 2}, 90, 'x', (short)3, (byte)4, 0.5f),
            new Order("\u00e9t\u00e9", -1, Long.MIN_VALUE, Double.NaN, false, null, null, null, '\0', (short)0, (byte)0, 0f));
        try (Connection parent = Pipe.connect(segment, "orders", Pipe.End.FIRST);
            JvmProcess child = ProcessTarget.builder(Doubler.class, Pipe.handle(segment, "orders", Pipe.End.SECOND))
                .captureOutput().start())
        {
            for (final Order order : orders)
            {
                parent.send(order, ORDERS);
                final Order back = parent.receive(ORDERS);
                assertEquals(order.quantity() * 2, back.quantity());
                assertEquals(order.symbol(), back.symbol());
                assertEquals(order.side(), back.side());
                assertArrayEquals(order.note(), back.note());
                assertEquals(order.limit(), back.limit());
                assertEquals(Double.doubleToLongBits(order.price()), Double.doubleToLongBits(back.price()));
            }
            parent.close();
            assertEquals(0, child.join(), child.output());
        }
    }

    @Test
    void aRecordCodecRefusesWhatItCannotCarryAndBytesThatAreNotARecord()
    {
        record Holder(List<String> names)
        {
        }
        final IllegalArgumentException unsupported = assertThrows(IllegalArgumentException.class,
            () -> Codecs.record(Holder.class));
        assertTrue(unsupported.getMessage().contains("'names'"), unsupported.getMessage());
        final byte[] encoded = ORDERS.encode(new Order("A", 1, 2, 3, true, null, null, null, 'c', (short)1, (byte)1, 1f));
        assertThrows(IllegalArgumentException.class, () -> ORDERS.decode(new byte[] {1, 0, 0, 0, 100}));
        assertThrows(IllegalArgumentException.class, () -> ORDERS.decode(java.util.Arrays.copyOf(encoded, encoded.length + 1)));
    }

    @Test
    void pythonsByteMessageNamesAndANonBlockingPoll() throws Exception
    {
        try (Connection a = Pipe.connect(segment, "bytes", Pipe.End.FIRST);
            Connection b = Pipe.connect(segment, "bytes", Pipe.End.SECOND))
        {
            assertFalse(b.poll());
            a.sendBytes(new byte[] {9, 1, 2, 3, 9}, 1, 3);
            assertTrue(b.poll());
            assertThrows(MessageTooLargeException.class, () -> b.receiveBytes(2));
            final byte[] into = new byte[6];
            assertEquals(3, b.receiveBytesInto(into, 2));
            assertArrayEquals(new byte[] {0, 0, 1, 2, 3, 0}, into);
            a.sendBytes(new byte[] {4, 5}, 0, 2);
            assertArrayEquals(new byte[] {4, 5}, b.receiveBytes(2));
        }
    }

    /**
     * Answers each order with its quantity doubled, until the other end closes.
     */
    public static final class Doubler implements ProcessTarget
    {
        @Override
        public void run(final TargetArgs args) throws Exception
        {
            try (Connection connection = args.open(0, Connection.class))
            {
                while (true)
                {
                    final Order order;
                    try
                    {
                        order = connection.receive(ORDERS);
                    }
                    catch (final io.shm.exceptions.ChannelClosedException end)
                    {
                        return;
                    }
                    connection.send(new Order(order.symbol(), order.quantity() * 2, order.id(), order.price(), order.buy(),
                        order.side(), order.note(), order.limit(), order.code(), order.lot(), order.venue(), order.fee()),
                        ORDERS);
                }
            }
        }
    }
}
