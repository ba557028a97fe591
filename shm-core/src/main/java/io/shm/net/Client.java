package io.shm.net;

import io.shm.exceptions.AuthenticationException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Connects to a {@link Listener}: Python's {@code multiprocessing.connection.Client(address,
 * authkey=...)} over TCP. The connection is returned only once both sides proved they hold the
 * shared key.
 */
public final class Client
{
    private Client()
    {
    }

    /**
     * Connects to the listener at {@code address} with {@code authkey}.
     *
     * @throws AuthenticationException if the listener refused the key, or did not prove it has it.
     * @throws UncheckedIOException    if the listener cannot be reached, or the handshake broke
     *                                 off or took longer than {@link Listener#DEFAULT_HANDSHAKE_MILLIS}.
     */
    public static SocketConnection connect(final InetSocketAddress address, final byte[] authkey)
    {
        return connect(address, authkey, Listener.DEFAULT_HANDSHAKE_MILLIS, Listener.DEFAULT_MAX_MESSAGE_LENGTH);
    }

    /**
     * As {@link #connect(InetSocketAddress, byte[])}, with the handshake's time limit and the
     * largest message the connection accepts.
     */
    public static SocketConnection connect(final InetSocketAddress address, final byte[] authkey,
        final long handshakeMillis, final int maxMessageLength)
    {
        final byte[] key = Handshake.checkKey(authkey);
        final Socket socket = new Socket();
        try
        {
            socket.connect(address, (int)Math.min(Integer.MAX_VALUE, handshakeMillis));
            socket.setSoTimeout((int)Math.min(Integer.MAX_VALUE, handshakeMillis));
            final SocketConnection connection = SocketConnection.over(socket, maxMessageLength);
            Handshake.asClient(connection.in(), connection.out(), key);
            socket.setSoTimeout(0);
            return connection;
        }
        catch (final IOException ex)
        {
            close(socket);
            throw new UncheckedIOException("cannot connect to the listener on " + address + ": " + ex.getMessage(), ex);
        }
        catch (final RuntimeException ex)
        {
            close(socket);
            if (ex instanceof AuthenticationException)
            {
                throw ex;
            }
            throw new AuthenticationException("the handshake with the listener on " + address + " failed: " +
                ex.getMessage(), ex);
        }
    }

    private static void close(final Socket socket)
    {
        try
        {
            socket.close();
        }
        catch (final IOException ignored)
        {
            // Already gone.
        }
    }
}
