package io.shm.net;

import io.shm.codec.Codec;
import io.shm.exceptions.ChannelClosedException;
import io.shm.exceptions.MessageTooLargeException;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A message connection to a process that may be on another host, made by a {@link Listener} or a
 * {@link Client} once both sides proved they hold the shared key: Python's
 * {@code multiprocessing.connection.Connection} over TCP, with the send and receive forms of a
 * pipe's {@link io.shm.channel.Connection} (bytes, strings, items through a {@link Codec}; no Java
 * serialization). Messages arrive whole and in order; the end of the stream (the peer closed, or
 * its process died and the kernel closed its socket) is {@link ChannelClosedException}. One
 * thread may send while another receives.
 */
public final class SocketConnection implements AutoCloseable
{
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final int maxMessageLength;
    private final String description;

    SocketConnection(final Socket socket, final DataInputStream in, final DataOutputStream out,
        final int maxMessageLength)
    {
        this.socket = socket;
        this.in = in;
        this.out = out;
        this.maxMessageLength = maxMessageLength;
        this.description = "connection " + socket.getLocalSocketAddress() + " -> " + socket.getRemoteSocketAddress();
    }

    /**
     * Wraps a connected socket, buffered both ways.
     */
    static SocketConnection over(final Socket socket, final int maxMessageLength) throws IOException
    {
        socket.setTcpNoDelay(true);
        return new SocketConnection(socket, new DataInputStream(new BufferedInputStream(socket.getInputStream())),
            new DataOutputStream(new BufferedOutputStream(socket.getOutputStream())), maxMessageLength);
    }

    DataInputStream in()
    {
        return in;
    }

    DataOutputStream out()
    {
        return out;
    }

    Socket socket()
    {
        return socket;
    }

    /**
     * Sends a message.
     *
     * @throws MessageTooLargeException if it is longer than the connection's largest message.
     * @throws ChannelClosedException   if the connection is closed or broken.
     */
    public void send(final byte[] message)
    {
        send(message, 0, message.length);
    }

    /**
     * Sends {@code length} bytes of {@code message} from {@code offset} as one message.
     */
    public void send(final byte[] message, final int offset, final int length)
    {
        Objects.checkFromIndexSize(offset, length, message.length);
        if (length > maxMessageLength)
        {
            throw new MessageTooLargeException("a " + length + "-byte message exceeds the " + maxMessageLength +
                "-byte limit of " + description);
        }
        synchronized (out)
        {
            try
            {
                Frames.write(out, message, offset, length);
            }
            catch (final IOException ex)
            {
                throw new ChannelClosedException(description + " is closed or broken: " + ex.getMessage(), ex);
            }
        }
    }

    /**
     * Sends a string as UTF-8.
     */
    public void sendString(final String message)
    {
        send(message.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends an item, encoded by {@code codec}.
     */
    public <T> void send(final T item, final Codec<T> codec)
    {
        send(codec.encode(item));
    }

    /**
     * Receives the next message, waiting as long as it takes.
     *
     * @throws ChannelClosedException   at the end of the stream.
     * @throws MessageTooLargeException if the peer announced a message longer than this side
     *                                  accepts (the connection is closed: it cannot be followed).
     */
    public byte[] receive()
    {
        synchronized (in)
        {
            try
            {
                return Frames.read(in, maxMessageLength);
            }
            catch (final MessageTooLargeException ex)
            {
                close();
                throw ex;
            }
            catch (final IOException ex)
            {
                throw new ChannelClosedException(description + " is closed or broken: " + ex.getMessage(), ex);
            }
        }
    }

    /**
     * Receives a message as a UTF-8 string.
     */
    public String receiveString()
    {
        return new String(receive(), StandardCharsets.UTF_8);
    }

    /**
     * Receives an item, decoded by {@code codec}.
     */
    public <T> T receive(final Codec<T> codec)
    {
        return codec.decode(receive());
    }

    /**
     * @return whether something is there to receive now, or the stream has ended (Python's
     *         {@code poll()}); never waits.
     */
    public boolean poll()
    {
        return poll(0, TimeUnit.MILLISECONDS);
    }

    /**
     * Waits at most {@code timeout} for something to receive, or the end of the stream.
     *
     * @return whether a receive would not wait now.
     */
    public boolean poll(final long timeout, final TimeUnit unit)
    {
        synchronized (in)
        {
            try
            {
                if (in.available() > 0)
                {
                    return true;
                }
                final long millis = Math.max(1, unit.toMillis(timeout));
                socket.setSoTimeout(timeout <= 0 ? 1 : (int)Math.min(Integer.MAX_VALUE, millis));
                in.mark(1);
                try
                {
                    in.read();
                    // A byte, or the end of the stream (-1): either way a receive would not wait.
                    return true;
                }
                catch (final SocketTimeoutException ex)
                {
                    return false;
                }
                finally
                {
                    in.reset();
                    socket.setSoTimeout(0);
                }
            }
            catch (final IOException ex)
            {
                if (socket.isClosed())
                {
                    throw new ChannelClosedException(description + " is closed", ex);
                }
                throw new UncheckedIOException(ex);
            }
        }
    }

    /**
     * @return the peer's address.
     */
    public InetSocketAddress remoteAddress()
    {
        return (InetSocketAddress)socket.getRemoteSocketAddress();
    }

    /**
     * Closes the connection: the peer receives what was sent, then the end of the stream.
     */
    @Override
    public void close()
    {
        try
        {
            socket.close();
        }
        catch (final IOException ignored)
        {
            // Closing a socket that failed is not an error of the caller's.
        }
    }

    @Override
    public String toString()
    {
        return description;
    }
}
