package io.shm.channel;

import io.shm.codec.Codec;
import io.shm.codec.Codecs;
import io.shm.exceptions.ChannelClosedException;
import io.shm.exceptions.MessageTooLargeException;
import io.shm.wait.WaitStrategy;
import io.shm.wait.Waitable;
import io.shm.wait.Waiter;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One end of a {@link Pipe}: Python's {@code multiprocessing.connection.Connection}, for byte
 * messages, and strings, longs, doubles and objects on top of them. Objects cross through a
 * {@link Codec} ({@code send(order, codec)}, {@code receive(codec)}; {@link Codecs#record} derives
 * one for a record), never through Java serialization.
 * <pre>{@code
 * try (Connection server = Pipe.connect(segment, "echo", Pipe.End.SECOND))
 * {
 *     while (true)
 *     {
 *         long[] pair = new long[2];
 *         server.receiveLongs(pair);                  // ChannelClosedException when the client closed
 *         server.sendLongs(new long[] {pair[0] + pair[1]});
 *     }
 * }
 * }</pre>
 * After the other end closes and everything it sent has been received, every receive throws
 * {@link ChannelClosedException} (Python's {@code EOFError}). A one-way pipe's ends can only
 * receive or only send; the other methods throw {@link IllegalStateException}.
 */
public final class Connection implements AutoCloseable, Waitable
{
    private final String description;
    private final Channel out;
    private final ChannelReceiver receiver;
    private final WaitStrategy strategy;
    private ChannelSender sender;
    private boolean closed;

    /**
     * @param out      the channel this end sends on, attached at the first send (so the other end
     *                 may come and go before); null for a receive-only end.
     * @param receiver the receiver of the channel this end receives on; null for a send-only end.
     */
    Connection(final String description, final Channel out, final ChannelReceiver receiver)
    {
        this(description, out, receiver, WaitStrategy.defaultStrategy());
    }

    /**
     * @param strategy how the sender, once attached, waits for room.
     */
    Connection(final String description, final Channel out, final ChannelReceiver receiver, final WaitStrategy strategy)
    {
        this.description = description;
        this.out = out;
        this.receiver = receiver;
        this.strategy = strategy;
    }

    /**
     * Sends a message, waiting for room.
     *
     * @param message the bytes.
     */
    public void send(final byte[] message) throws InterruptedException
    {
        sending().send(message);
    }

    public void send(final byte[] message, final int offset, final int length) throws InterruptedException
    {
        sending().send(message, offset, length);
    }

    /**
     * Sends part of an array as one message (Python's {@code send_bytes(buf, offset, size)}).
     */
    public void sendBytes(final byte[] buffer, final int offset, final int length) throws InterruptedException
    {
        send(buffer, offset, length);
    }

    /**
     * Sends an object as one message, encoded by {@code codec} (Python's {@code send(obj)}).
     */
    public <T> void send(final T item, final Codec<T> codec) throws InterruptedException
    {
        send(codec.encode(item));
    }

    /**
     * Sends a string as UTF-8.
     */
    public void sendString(final String message) throws InterruptedException
    {
        send(message.getBytes(StandardCharsets.UTF_8));
    }

    public void sendLongs(final long[] values) throws InterruptedException
    {
        sending().sendLongs(values, 0, values.length);
    }

    /**
     * Sends {@code count} longs of {@code values} from {@code offset} as one message, copied in bulk.
     */
    public void sendLongs(final long[] values, final int offset, final int count) throws InterruptedException
    {
        sending().sendLongs(values, offset, count);
    }

    public void sendDoubles(final double[] values) throws InterruptedException
    {
        sending().sendDoubles(values, 0, values.length);
    }

    /**
     * Receives a message of any length (Python's {@code recv_bytes()}).
     *
     * @return a copy of its bytes.
     * @throws ChannelClosedException at end of stream.
     */
    public byte[] receive() throws InterruptedException
    {
        return receiving().receive();
    }

    /**
     * Receives a message into {@code destination} (Python's {@code recv_bytes_into}).
     *
     * @return its length.
     * @throws MessageTooLargeException if it does not fit; it stays to be received.
     */
    public int receive(final byte[] destination) throws InterruptedException
    {
        return receiving().receive(destination);
    }

    /**
     * Receives a message of at most {@code maxLength} bytes (Python's {@code recv_bytes(maxlength)}).
     *
     * @throws MessageTooLargeException if it is longer; it stays to be received.
     */
    public byte[] receiveBytes(final int maxLength) throws InterruptedException
    {
        return receiving().receive(maxLength);
    }

    /**
     * Receives a message into {@code buffer} from {@code offset} (Python's
     * {@code recv_bytes_into(buffer, offset)}).
     *
     * @return its length.
     * @throws MessageTooLargeException if it does not fit; it stays to be received.
     */
    public int receiveBytesInto(final byte[] buffer, final int offset) throws InterruptedException
    {
        return receiving().receive(new UnsafeBuffer(buffer), offset);
    }

    /**
     * Receives an object sent with {@link #send(Object, Codec)} (Python's {@code recv()}).
     */
    public <T> T receive(final Codec<T> codec) throws InterruptedException
    {
        return codec.decode(receive());
    }

    /**
     * Receives a message as a UTF-8 string.
     */
    public String receiveString() throws InterruptedException
    {
        return new String(receive(), StandardCharsets.UTF_8);
    }

    /**
     * @return the number of longs received into {@code destination}.
     */
    public int receiveLongs(final long[] destination) throws InterruptedException
    {
        return receiving().receiveLongs(destination);
    }

    /**
     * @return the number of longs received into {@code destination} from {@code offset}.
     * @throws io.shm.exceptions.MessageTooLargeException if they do not fit; the message stays.
     */
    public int receiveLongs(final long[] destination, final int offset) throws InterruptedException
    {
        return receiving().receiveLongs(destination, offset);
    }

    /**
     * @return the number of doubles received into {@code destination}.
     */
    public int receiveDoubles(final double[] destination) throws InterruptedException
    {
        return receiving().receiveDoubles(destination);
    }

    /**
     * Waits at most {@code timeout} for something to receive (Python's {@code poll(timeout)}).
     *
     * @return true if a receive would not wait: a message is there, or the other end closed.
     */
    public boolean poll(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return receiving().awaitMessage(timeout, unit);
    }

    /**
     * @return whether a receive would not wait now (Python's {@code poll()}); never waits.
     */
    public boolean poll()
    {
        return receiving().hasMessage();
    }

    /**
     * @return whether a receive would return or fail at once ({@link io.shm.wait.WaitMany}).
     */
    @Override
    public boolean isReady()
    {
        return receiving().isReady();
    }

    @Override
    public Waiter waiter()
    {
        return receiving().waiter();
    }

    /**
     * Closes both directions: the other end receives what was sent, then end of stream.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (out != null)
        {
            try
            {
                // Attach if this end never sent, so the other end sees this end's close as end of stream.
                sending().close();
            }
            catch (final ChannelClosedException otherEndClosedFirst)
            {
                // The other end closed its receiving side before this end sent anything: nobody is left to tell.
                sender = null;
            }
        }
        if (receiver != null)
        {
            receiver.close();
        }
    }

    private ChannelSender sending()
    {
        if (out == null)
        {
            throw new IllegalStateException(description + " is the receiving end of a one-way pipe");
        }
        if (sender == null)
        {
            sender = out.sender(strategy);
        }
        return sender;
    }

    private ChannelReceiver receiving()
    {
        if (receiver == null)
        {
            throw new IllegalStateException(description + " is the sending end of a one-way pipe");
        }
        return receiver;
    }

    @Override
    public String toString()
    {
        return description;
    }
}
