package io.shm.examples;

import io.shm.channel.Connection;
import io.shm.channel.Pipe;
import io.shm.codec.Codec;
import io.shm.codec.Codecs;
import io.shm.exceptions.ChannelClosedException;
import io.shm.process.JvmProcess;
import io.shm.segment.Segment;


/**
 * The tutorial's two pipe examples.
 * <ol>
 *     <li><b>Producer/consumer with EOF</b>: the parent sends items and closes its end; the child
 *     receives until end of file (Python's {@code EOFError}).</li>
 *     <li><b>Echo server</b>: the client sends (1, 1) and ("Hello", " World"); the server answers
 *     with the sum and the concatenation, and stops when the client closes.</li>
 * </ol>
 * A pair travels as one message, a {@link Pair} record through a codec derived from it.
 */
public final class PipeExample
{
    /**
     * The pair the echo client sends.
     *
     * @param x the first operand.
     * @param y the second operand.
     */
    public record Pair(String x, String y)
    {
    }

    private static final Codec<Pair> PAIRS = Codecs.record(Pair.class);

    private PipeExample()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length > 0)
        {
            try (Segment segment = Example.openSegment(args[0]))
            {
                if (args[1].equals("consumer"))
                {
                    consumer(segment);
                }
                else
                {
                    echoServer(segment);
                }
            }
            return;
        }
        final Segment segment = Example.newSegment("pipe");
        try
        {
            final JvmProcess consumer = Example.start(PipeExample.class, segment.name(), "consumer");
            try (Connection out = Pipe.connect(segment, "items", Pipe.End.FIRST))
            {
                for (int i = 1; i <= 3; i++)
                {
                    out.sendString("item " + i);
                }
            }
            Example.join(consumer);

            final JvmProcess server = Example.start(PipeExample.class, segment.name(), "server");
            try (Connection client = Pipe.connect(segment, "echo", Pipe.End.FIRST))
            {
                client.send(new Pair("1", "1"), PAIRS);
                System.out.println("client sent (1, 1), got " + client.receiveString());
                client.send(new Pair("Hello", " World"), PAIRS);
                System.out.println("client sent (\"Hello\", \" World\"), got \"" + client.receiveString() + "\"");
            }
            Example.join(server);
        }
        finally
        {
            Example.remove(segment);
        }
    }

    private static void consumer(final Segment segment) throws InterruptedException
    {
        try (Connection in = Pipe.connect(segment, "items", Pipe.End.SECOND))
        {
            while (true)
            {
                try
                {
                    System.out.println("consumer received " + in.receiveString());
                }
                catch (final ChannelClosedException eof)
                {
                    System.out.println("consumer saw EOF");
                    return;
                }
            }
        }
    }

    private static void echoServer(final Segment segment) throws InterruptedException
    {
        try (Connection connection = Pipe.connect(segment, "echo", Pipe.End.SECOND))
        {
            while (true)
            {
                final Pair pair;
                try
                {
                    pair = connection.receive(PAIRS);
                }
                catch (final ChannelClosedException eof)
                {
                    System.out.println("server saw EOF and stops");
                    return;
                }
                connection.sendString(add(pair.x(), pair.y()));
            }
        }
    }

    /**
     * Python's {@code x + y}: numbers add, strings concatenate.
     */
    private static String add(final String x, final String y)
    {
        try
        {
            return Long.toString(Long.parseLong(x) + Long.parseLong(y));
        }
        catch (final NumberFormatException notNumbers)
        {
            return x + y;
        }
    }
}
