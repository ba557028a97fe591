package io.shm.net;

import io.shm.exceptions.ShmException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Accepts authenticated connections from other processes, on this host or others: Python's
 * {@code multiprocessing.connection.Listener(address, authkey=...)} over TCP.
 * <p>
 * A thread of the listener accepts sockets and hands each to a handshake of its own
 * ({@link Handshake}: a challenge each way under the shared key), with a time limit;
 * {@link #accept()} returns the connections whose handshake succeeded, in the order they
 * succeeded. A handshake that fails (a wrong key, garbage, silence past the limit) closes its
 * socket and is logged, naming the peer's address and never the key; it does not stop the others,
 * so a flood of bad handshakes cannot keep good clients out (at most
 * {@value #MAX_PENDING_HANDSHAKES} run at once; a socket beyond them is closed at once). Python's
 * {@code accept} raises {@code AuthenticationError} instead, which lets one bad client stop a
 * server that does not catch it.
 * <p>
 * TCP, not Aeron: a connection needs ordered, reliable, two-way delivery and a clear end of
 * stream, which a socket gives with no dependency; the channels bridged over Aeron are for
 * streams.
 */
public final class Listener implements AutoCloseable
{
    /**
     * How long a handshake may take by default.
     */
    public static final long DEFAULT_HANDSHAKE_MILLIS = 5_000;

    /**
     * The largest message by default: 64 MiB.
     */
    public static final int DEFAULT_MAX_MESSAGE_LENGTH = 64 << 20;

    static final int MAX_PENDING_HANDSHAKES = 64;

    private static final System.Logger LOG = System.getLogger(Listener.class.getName());
    private static final AtomicInteger COUNT = new AtomicInteger();

    private final ServerSocket server;
    private final byte[] key;
    private final int handshakeMillis;
    private final int maxMessageLength;
    private final ThreadPoolExecutor handshakes;
    private final BlockingQueue<SocketConnection> accepted = new LinkedBlockingQueue<>();
    private final Thread acceptor;
    private final AtomicInteger refused = new AtomicInteger();
    private volatile InetSocketAddress lastAccepted;
    private volatile boolean closed;

    private Listener(final ServerSocket server, final byte[] key, final long handshakeMillis, final int maxMessageLength)
    {
        this.server = server;
        this.key = key;
        this.handshakeMillis = (int)handshakeMillis;
        this.maxMessageLength = maxMessageLength;
        final int id = COUNT.incrementAndGet();
        this.handshakes = new ThreadPoolExecutor(0, MAX_PENDING_HANDSHAKES, 10, TimeUnit.SECONDS, new SynchronousQueue<>(),
            runnable ->
            {
                final Thread thread = new Thread(runnable, "shm-listener-" + id + "-handshake");
                thread.setDaemon(true);
                return thread;
            });
        this.acceptor = new Thread(this::acceptLoop, "shm-listener-" + id);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Listens on {@code address} (port 0 for any free one) for clients that hold {@code authkey}.
     *
     * @throws IllegalArgumentException if the key is empty.
     * @throws UncheckedIOException     if the address cannot be bound.
     */
    public static Listener bind(final InetSocketAddress address, final byte[] authkey)
    {
        return bind(address, authkey, DEFAULT_HANDSHAKE_MILLIS, DEFAULT_MAX_MESSAGE_LENGTH);
    }

    /**
     * As {@link #bind(InetSocketAddress, byte[])}, with the handshake's time limit and the
     * largest message its connections accept.
     */
    public static Listener bind(final InetSocketAddress address, final byte[] authkey, final long handshakeMillis,
        final int maxMessageLength)
    {
        final byte[] key = Handshake.checkKey(authkey);
        if (handshakeMillis < 1 || handshakeMillis > Integer.MAX_VALUE || maxMessageLength < 1)
        {
            throw new IllegalArgumentException("handshake time limit (ms) and max message length must be positive: " +
                handshakeMillis + ", " + maxMessageLength);
        }
        try
        {
            final ServerSocket server = new ServerSocket();
            server.bind(address, 128);
            return new Listener(server, key, handshakeMillis, maxMessageLength);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot listen on " + address + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Waits as long as it takes for an authenticated connection.
     *
     * @throws ShmException if the listener is closed meanwhile.
     */
    public SocketConnection accept() throws InterruptedException
    {
        return accept(Long.MAX_VALUE, TimeUnit.DAYS);
    }

    /**
     * Waits at most {@code timeout} for an authenticated connection.
     *
     * @return it, or null if none came in time.
     */
    public SocketConnection accept(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        final long deadline = System.nanoTime() + Math.min(unit.toNanos(timeout), Long.MAX_VALUE / 4);
        while (true)
        {
            if (closed)
            {
                throw new ShmException("the listener on " + address() + " is closed");
            }
            final long left = deadline - System.nanoTime();
            if (left <= 0)
            {
                return null;
            }
            // Woken every 100 ms at most, so that a close is seen.
            final SocketConnection connection = accepted.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)),
                TimeUnit.NANOSECONDS);
            if (connection != null)
            {
                lastAccepted = connection.remoteAddress();
                return connection;
            }
        }
    }

    /**
     * @return the address listened on (with the port chosen, if 0 was asked).
     */
    public InetSocketAddress address()
    {
        return (InetSocketAddress)server.getLocalSocketAddress();
    }

    /**
     * @return the address of the last client {@link #accept()} returned, or null.
     */
    public InetSocketAddress lastAccepted()
    {
        return lastAccepted;
    }

    /**
     * @return how many connections were refused so far (failed handshakes, or too many at once).
     */
    public int refused()
    {
        return refused.get();
    }

    private void acceptLoop()
    {
        while (!closed)
        {
            final Socket socket;
            try
            {
                socket = server.accept();
            }
            catch (final IOException ex)
            {
                if (!closed)
                {
                    LOG.log(System.Logger.Level.WARNING, "listener on " + address() + " failed to accept: " + ex);
                }
                continue;
            }
            try
            {
                handshakes.execute(() -> handshake(socket));
            }
            catch (final RuntimeException ex)
            {
                refuse(socket, "too many handshakes under way");
            }
        }
    }

    private void handshake(final Socket socket)
    {
        try
        {
            socket.setSoTimeout(handshakeMillis);
            final SocketConnection connection = SocketConnection.over(socket, maxMessageLength);
            Handshake.asListener(connection.in(), connection.out(), key);
            socket.setSoTimeout(0);
            if (closed)
            {
                connection.close();
                return;
            }
            accepted.add(connection);
        }
        catch (final IOException | RuntimeException ex)
        {
            refuse(socket, ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage());
        }
    }

    private void refuse(final Socket socket, final String why)
    {
        refused.incrementAndGet();
        LOG.log(System.Logger.Level.WARNING, "listener on " + address() + " refused " +
            socket.getRemoteSocketAddress() + ": " + why);
        try
        {
            socket.close();
        }
        catch (final IOException ignored)
        {
            // Already gone.
        }
    }

    /**
     * Stops listening; connections accepted already stay open, those not yet returned by
     * {@link #accept()} are closed.
     */
    @Override
    public void close()
    {
        closed = true;
        try
        {
            server.close();
        }
        catch (final IOException ignored)
        {
            // Closing is all that is wanted.
        }
        handshakes.shutdownNow();
        for (SocketConnection connection = accepted.poll(); connection != null; connection = accepted.poll())
        {
            connection.close();
        }
    }

    @Override
    public String toString()
    {
        return "listener on " + address();
    }
}
