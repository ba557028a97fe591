package io.shm.channel;

import io.shm.exceptions.ChannelClosedException;
import io.shm.process.JvmProcess;
import io.shm.segment.Segment;
import io.shm.test.ChildArgs;
import io.shm.test.TestSegments;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(120)
class PipeTest
{
    private final TestSegments segments = new TestSegments();
    private String name;
    private Segment segment;

    @BeforeEach
    void createSegment()
    {
        name = segments.name("pipe");
        segment = Segment.create(name, segments.options().withSize(4 << 20));
    }

    @AfterEach
    void removeSegment()
    {
        segment.close();
        segments.close();
    }

    @Test
    void echoServerInAnotherProcessAnswersUntilTheClientCloses() throws Exception
    {
        try (JvmProcess server = ChildArgs.child(EchoServer.class, segments, name, "echo").start())
        {
            try (Connection client = Pipe.connect(segment, "echo", Pipe.End.FIRST))
            {
                final long[] sum = new long[1];
                for (long x = 0; x < 1000; x++)
                {
                    client.sendLongs(new long[] {x, x * 2});
                    assertEquals(1, client.receiveLongs(sum));
                    assertEquals(3 * x, sum[0]);
                }
            }
            assertEquals(0, server.join(60, TimeUnit.SECONDS), server.output());
            assertTrue(server.output().contains("server saw EOF"), server.output());
        }
    }

    @Test
    void duplexEndsTalkBothWaysAndSeeEndOfFileAfterDraining() throws Exception
    {
        try (Segment other = Segment.open(name, segments.options()))
        {
            final Connection first = Pipe.connect(segment, "p", Pipe.End.FIRST);
            final Connection second = Pipe.connect(other, "p", Pipe.End.SECOND);
            assertFalse(first.poll());
            first.sendString("hello");
            assertTrue(second.poll(1, TimeUnit.SECONDS));
            assertEquals("hello", second.receiveString());
            second.send(new byte[1000]);
            second.sendDoubles(new double[] {1.5, 2.5});
            second.close();
            assertEquals(1000, first.receive().length, "a message of any length");
            final double[] doubles = new double[2];
            assertEquals(2, first.receiveDoubles(doubles));
            assertEquals(2.5, doubles[1]);
            assertTrue(first.poll(), "end of file is something to receive");
            assertThrows(ChannelClosedException.class, first::receive);
            first.close();
        }
    }

    @Test
    void oneWayPipeHasAReaderAndAWriter() throws Exception
    {
        try (Connection reader = Pipe.connect(segment, "one", Pipe.End.FIRST, false, ChannelOptions.defaults());
            Connection writer = Pipe.connect(segment, "one", Pipe.End.SECOND, false, ChannelOptions.defaults()))
        {
            writer.send(new byte[] {7});
            assertArrayEquals(new byte[] {7}, reader.receive());
            assertThrows(IllegalStateException.class, () -> reader.send(new byte[1]));
            assertThrows(IllegalStateException.class, writer::receive);
            assertFalse(segment.contains("one.1to2"), "a one-way pipe has one channel");
        }
    }

    /**
     * Child: the tutorial's echo server on a pipe: {@code (pipe)}.
     */
    public static final class EchoServer
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.open(args))
            {
                echoServer(child.segment(), child.get(0));
            }
        }
    }

    /**
     * The tutorial's echo server: receives (x, y) and answers x + y until the client closes.
     */
    private static void echoServer(final Segment segment, final String pipe) throws Exception
    {
        try (Connection connection = Pipe.connect(segment, pipe, Pipe.End.SECOND))
        {
            final long[] pair = new long[2];
            while (true)
            {
                try
                {
                    connection.receiveLongs(pair);
                }
                catch (final io.shm.exceptions.ChannelClosedException eof)
                {
                    System.out.println("server saw EOF");
                    return;
                }
                connection.sendLongs(new long[] {pair[0] + pair[1]});
            }
        }
    }
}
