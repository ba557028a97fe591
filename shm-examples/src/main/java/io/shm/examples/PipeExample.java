package io.shm.examples;

import io.shm.channel.Connection;
import io.shm.channel.Pipe;
import io.shm.exceptions.ChannelClosedException;
import io.shm.process.JvmProcess;
import io.shm.segment.Segment;

import java.nio.charset.StandardCharsets;

/**
 * The tutorial's two pipe examples.
 * <ol>
 *     <li><b>Producer/consumer with EOF</b>: the parent sends items and closes its end; the child
 *     receives until end of file (Python's {@code EOFError}).</li>
 *     <li><b>Echo server</b>: the client sends (1, 1) and ("Hello", " World"); the server answers
 *     with the sum and the concatenation, and stops when the client closes.</li>
 * </ol>
 * Messages are bytes: a pair travels as one message of two length-prefixed fields.
 */
public final class PipeExample
{
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
                client.send(pair("1", "1"));
                System.out.println("client sent (1, 1), got " + client.receiveString());
                client.send(pair("Hello", " World"));
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
                final String[] fields;
                try
                {
                    fields = unpair(connection.receive());
                }
                catch (final ChannelClosedException eof)
                {
                    System.out.println("server saw EOF and stops");
                    return;
                }
                connection.sendString(add(fields[0], fields[1]));
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

    private static byte[] pair(final String x, final String y)
    {
        final byte[] first = x.getBytes(StandardCharsets.UTF_8);
        final byte[] second = y.getBytes(StandardCharsets.UTF_8);
        final byte[] message = new byte[4 + first.length + second.length];
        message[0] = (byte)(first.length >>> 24);
        message[1] = (byte)(first.length >>> 16);
        message[2] = (byte)(first.length >>> 8);
        message[3] = (byte)first.length;
        System.arraycopy(first, 0, message, 4, first.length);
        System.arraycopy(second, 0, message, 4 + first.length, second.length);
        return message;
    }

    private static String[] unpair(final byte[] message)
    {
        final int first = ((message[0] & 0xFF) << 24) | ((message[1] & 0xFF) << 16) | ((message[2] & 0xFF) << 8) |
            (message[3] & 0xFF);
        return new String[] {
            new String(message, 4, first, StandardCharsets.UTF_8),
            new String(message, 4 + first, message.length - 4 - first, StandardCharsets.UTF_8)};
    }
}
