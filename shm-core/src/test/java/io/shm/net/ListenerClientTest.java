package io.shm.net;

import io.shm.exceptions.AuthenticationException;
import io.shm.exceptions.ChannelClosedException;
import io.shm.process.JvmProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Listener and Client between separate JVMs over loopback (127.0.0.1 only).
 */
@Timeout(120)
class ListenerClientTest
{
    private static final byte[] KEY = "the shared key".getBytes(StandardCharsets.UTF_8);
    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final int MESSAGES = 100_000;
    private static final int WINDOW = 100;

    @Test
    void aClientInAnotherJvmEchoesAHundredThousandMessages() throws Exception
    {
        try (Listener listener = Listener.bind(ANY_PORT, KEY);
            JvmProcess echo = JvmProcess.builder(Echo.class).args(Integer.toString(listener.address().getPort()),
                new String(KEY, StandardCharsets.UTF_8)).captureOutput().start();
            SocketConnection connection = listener.accept(30, TimeUnit.SECONDS))
        {
            assertNotNull(connection, "the echo connected: " + echo.output());
            final ByteBuffer message = ByteBuffer.allocate(16);
            for (int sent = 0; sent < MESSAGES; sent += WINDOW)
            {
                for (int i = sent; i < sent + WINDOW; i++)
                {
                    connection.send(message.putLong(0, i).putLong(8, -i).array());
                }
                for (int i = sent; i < sent + WINDOW; i++)
                {
                    final ByteBuffer echoed = ByteBuffer.wrap(connection.receive());
                    assertEquals(i, echoed.getLong(0));
                    assertEquals(-i, echoed.getLong(8));
                }
            }
            connection.close();
            assertEquals(0, echo.join(30, TimeUnit.SECONDS), echo.output());
            assertTrue(echo.output().contains("echoed " + MESSAGES + ", then the end of the stream"), echo.output());
            assertEquals(connection.remoteAddress(), listener.lastAccepted());
        }
    }

    @Test
    void aWrongKeyIsRefusedBothWaysAndTheListenerGoesOn() throws Exception
    {
        try (Listener listener = Listener.bind(ANY_PORT, KEY, 2_000, 1024))
        {
            final byte[] wrong = "not the key".getBytes(StandardCharsets.UTF_8);
            final AuthenticationException refused = assertThrows(AuthenticationException.class,
                () -> Client.connect(listener.address(), wrong));
            assertFalse(refused.getMessage().contains("not the key"), refused.getMessage());
            // A listener with another key: the client refuses it.
            try (Listener impostor = Listener.bind(ANY_PORT, wrong))
            {
                assertThrows(AuthenticationException.class, () -> Client.connect(impostor.address(), KEY));
                assertNull(impostor.accept(200, TimeUnit.MILLISECONDS));
            }
            try (SocketConnection good = Client.connect(listener.address(), KEY);
                SocketConnection served = listener.accept(10, TimeUnit.SECONDS))
            {
                good.sendString("after the refusals");
                assertEquals("after the refusals", served.receiveString());
            }
            assertTrue(listener.refused() >= 1);
            assertThrows(IllegalArgumentException.class, () -> Client.connect(listener.address(), new byte[0]));
        }
    }

    @Test
    void aKilledPeerEndsTheStreamAtOnce() throws Exception
    {
        try (Listener listener = Listener.bind(ANY_PORT, KEY);
            JvmProcess peer = JvmProcess.builder(Echo.class).args(Integer.toString(listener.address().getPort()),
                new String(KEY, StandardCharsets.UTF_8)).captureOutput().start();
            SocketConnection connection = listener.accept(30, TimeUnit.SECONDS))
        {
            assertNotNull(connection, peer.output());
            connection.sendString("one");
            assertEquals("one", connection.receiveString());
            peer.kill();
            final long start = System.nanoTime();
            assertThrows(ChannelClosedException.class, connection::receive);
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
            assertTrue(connection.poll(), "a stream at its end polls ready");
        }
    }

    @Test
    void aFloodOfBadHandshakesDoesNotKeepAGoodClientOut() throws Exception
    {
        // A handshake limit far above the time a good client needs: one served behind the silent
        // ones would wait for it to pass.
        try (Listener listener = Listener.bind(ANY_PORT, KEY, 30_000, 1024))
        {
            final List<Socket> bad = new ArrayList<>();
            try
            {
                for (int i = 0; i < 30; i++)
                {
                    final Socket socket = new Socket();
                    socket.connect(listener.address());
                    final DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                    if (i % 3 == 1)
                    {
                        out.writeInt(Integer.MAX_VALUE); // a frame longer than any handshake's
                    }
                    else if (i % 3 == 2)
                    {
                        out.writeInt(8);
                        out.writeLong(0x0BADC0DE);       // garbage where an answer is due
                    }
                    out.flush();                           // the rest say nothing at all
                    bad.add(socket);
                }
                final long start = System.nanoTime();
                try (SocketConnection good = Client.connect(listener.address(), KEY);
                    SocketConnection served = listener.accept(10, TimeUnit.SECONDS))
                {
                    assertNotNull(served);
                    good.sendString("through the flood");
                    assertEquals("through the flood", served.receiveString());
                }
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15),
                    "served before the silent handshakes timed out");
            }
            finally
            {
                for (final Socket socket : bad)
                {
                    socket.close();
                }
            }
        }
    }

    /**
     * Child: connects to the listener on {@code port} of 127.0.0.1 with {@code key} and echoes
     * every message until the end of the stream: {@code (port, key)}.
     */
    public static final class Echo
    {
        public static void main(final String[] args) throws IOException
        {
            final InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(),
                Integer.parseInt(args[0]));
            long echoed = 0;
            try (SocketConnection connection = Client.connect(address, args[1].getBytes(StandardCharsets.UTF_8)))
            {
                while (true)
                {
                    connection.send(connection.receive());
                    echoed++;
                }
            }
            catch (final ChannelClosedException end)
            {
                System.out.println("echoed " + echoed + ", then the end of the stream");
            }
        }
    }
}
