package io.shm.pool;

import io.shm.codec.Codec;
import io.shm.codec.Codecs;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The messages between the pool and a worker, over the worker's pipe: a request carries a chunk of
 * encoded arguments, a reply the chunk's encoded results or the task's exception as text.
 */
final class Wire
{
    /**
     * A chunk of arguments to apply the task to, in order.
     *
     * @param id        the chunk's number.
     * @param arguments the encoded arguments, framed by {@link #frame}.
     */
    record Request(long id, byte[] arguments)
    {
    }

    /**
     * The answer to a request: the results in order, or the exception the task threw.
     *
     * @param id         the chunk's number.
     * @param ok         whether every item gave a result.
     * @param results    the encoded results, framed by {@link #frame}, if ok.
     * @param error      the exception's class, if not ok.
     * @param message    its message.
     * @param stackTrace its stack trace as text.
     */
    record Reply(long id, boolean ok, byte[] results, String error, String message, String stackTrace)
    {
    }

    static final Codec<Request> REQUESTS = Codecs.record(Request.class);
    static final Codec<Reply> REPLIES = Codecs.record(Reply.class);

    private Wire()
    {
    }

    /**
     * @return the items as one array: their count, then each item's length and bytes.
     */
    static byte[] frame(final List<byte[]> items)
    {
        int length = Integer.BYTES;
        for (final byte[] item : items)
        {
            length += Integer.BYTES + item.length;
        }
        final ByteBuffer framed = ByteBuffer.allocate(length).putInt(items.size());
        for (final byte[] item : items)
        {
            framed.putInt(item.length).put(item);
        }
        return framed.array();
    }

    /**
     * @return the items {@link #frame} put together.
     * @throws IllegalArgumentException if the bytes are not such a frame.
     */
    static List<byte[]> unframe(final byte[] framed)
    {
        final ByteBuffer buffer = ByteBuffer.wrap(framed);
        final int count = buffer.getInt();
        if (count < 0 || count > buffer.remaining() / Integer.BYTES)
        {
            throw new IllegalArgumentException("a frame of " + count + " items in " + framed.length + " bytes");
        }
        final List<byte[]> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            final int length = buffer.getInt();
            if (length < 0 || length > buffer.remaining())
            {
                throw new IllegalArgumentException("an item of " + length + " bytes with " + buffer.remaining() + " left");
            }
            final byte[] item = new byte[length];
            buffer.get(item);
            items.add(item);
        }
        return items;
    }
}
