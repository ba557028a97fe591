package io.shm.examples;

import io.shm.codec.Codec;
import io.shm.codec.Codecs;
import io.shm.exceptions.ChannelClosedException;
import io.shm.net.Client;
import io.shm.net.Listener;
import io.shm.net.SocketConnection;
import io.shm.process.JvmProcess;
import io.shm.segment.Segment;
import io.shm.value.IntValue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The tutorial's Listener and Client: a server process listens with an authentication key, adds
 * the two numbers of each request and answers, until its client closes; the parent connects with
 * the same key and sends (1, 1). The tutorial's fixed port 15000 becomes any free port of
 * 127.0.0.1, which the server tells the parent through a shared value.
 */
public final class ListenerClientExample
{
    private static final byte[] AUTHKEY = "12345".getBytes(StandardCharsets.UTF_8);
    private static final Codec<Pair> PAIR = Codecs.record(Pair.class);

    /**
     * A request: the two numbers to add.
     */
    public record Pair(int x, int y)
    {
    }

    private ListenerClientExample()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length > 0)
        {
            serve(args[0]);
            return;
        }
        final Segment segment = Example.newSegment("listener-client");
        try
        {
            final IntValue port = IntValue.openOrCreate(segment, "port", 0);
            final JvmProcess server = Example.start(ListenerClientExample.class, segment.name());
            while (port.get() == 0)
            {
                if (!server.isAlive())
                {
                    throw new IllegalStateException(server + " ended before it listened");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            try (SocketConnection conn = Client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                port.get()), AUTHKEY))
            {
                conn.send(new Pair(1, 1), PAIR);
                System.out.println(conn.receive(Codecs.INT));
            }
            Example.join(server);
        }
        finally
        {
            Example.remove(segment);
        }
    }

    /**
     * The server: listens, tells its port, and answers one client until it closes.
     */
    private static void serve(final String segmentName) throws Exception
    {
        try (Segment segment = Example.openSegment(segmentName);
            Listener serv = Listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), AUTHKEY))
        {
            IntValue.openOrCreate(segment, "port", 0).set(serv.address().getPort());
            try (SocketConnection conn = serv.accept())
            {
                while (true)
                {
                    final Pair request;
                    try
                    {
                        request = conn.receive(PAIR);
                    }
                    catch (final ChannelClosedException eof)
                    {
                        System.out.println("Connection closed by peer");
                        break;
                    }
                    conn.send(request.x() + request.y(), Codecs.INT);
                }
            }
        }
    }
}
