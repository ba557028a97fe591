package io.shm.pool;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The messages between the pool and a worker, over the worker's pipe. Each is one array: a header
 * of the chunk's id, its kind and its count of items, then the body.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                          Chunk id                             |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Kind: ITEMS, LONGS or FAILED                  |
 *  +---------------------------------------------------------------+
 *  |                          Item count                           |
 *  +---------------------------------------------------------------+
 *  |  ITEMS: per item, its length then its bytes (the task's codec) |
 *  |  LONGS: none; the items follow as a message of 8-byte words    |
 *  |  FAILED: the exception's class, message and stack trace, each  |
 *  |          as a length then UTF-8 (a reply only)                 |
 *  +---------------------------------------------------------------+
 * </pre>
 * A request and its reply have the same id and (unless the task failed) the same kind and count.
 * The longs of a {@link #LONGS} header follow it as a message of their own, copied in bulk from
 * and into the callers' arrays ({@code sendLongs}, {@code receiveLongs}).
 * Words are in the machine's order: both ends are on this machine. Nothing here is Java
 * serialization: a reply that does not parse is refused with {@link IllegalArgumentException}.
 */
final class Wire
{
    /**
     * Items each encoded by the task's codec.
     */
    static final int ITEMS = 0;

    /**
     * Items that are longs, for a {@link LongTask}: no codec, no boxing; they follow the header.
     */
    static final int LONGS = 1;

    /**
     * The task threw (a reply only).
     */
    static final int FAILED = 2;

    static final int ID_OFFSET = 0;
    static final int KIND_OFFSET = ID_OFFSET + Long.BYTES;
    static final int COUNT_OFFSET = KIND_OFFSET + Integer.BYTES;
    static final int BODY_OFFSET = COUNT_OFFSET + Integer.BYTES;

    private Wire()
    {
    }

    /**
     * @return a message of encoded items.
     */
    static byte[] items(final long id, final List<byte[]> items)
    {
        return lengthPrefixed(id, ITEMS, items);
    }

    /**
     * @return the header of {@code count} longs, which follow it as a message of their own.
     */
    static byte[] longsHeader(final long id, final int count)
    {
        final byte[] message = new byte[BODY_OFFSET];
        header(message, id, LONGS, count);
        return message;
    }

    /**
     * @return the reply that {@code failure}, thrown by the task, gives.
     */
    static byte[] failed(final long id, final Throwable failure)
    {
        final StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        return lengthPrefixed(id, FAILED, List.of(utf8(failure.getClass().getName()),
            utf8(String.valueOf(failure.getMessage())), utf8(trace.toString())));
    }

    /**
     * @return a message of {@code kind} whose body is each of {@code parts}: its length, then its bytes.
     */
    private static byte[] lengthPrefixed(final long id, final int kind, final List<byte[]> parts)
    {
        int length = BODY_OFFSET;
        for (final byte[] part : parts)
        {
            length += Integer.BYTES + part.length;
        }
        final byte[] message = new byte[length];
        final UnsafeBuffer buffer = header(message, id, kind, parts.size());
        int at = BODY_OFFSET;
        for (final byte[] part : parts)
        {
            buffer.putInt(at, part.length);
            buffer.putBytes(at + Integer.BYTES, part);
            at += Integer.BYTES + part.length;
        }
        return message;
    }

    static long id(final byte[] message)
    {
        return checked(message).getLong(ID_OFFSET);
    }

    static int kind(final byte[] message)
    {
        return checked(message).getInt(KIND_OFFSET);
    }

    static int count(final byte[] message)
    {
        return checked(message).getInt(COUNT_OFFSET);
    }

    /**
     * @return the items of an {@link #ITEMS} or {@link #FAILED} message.
     * @throws IllegalArgumentException if the message is not whole.
     */
    static List<byte[]> items(final byte[] message)
    {
        final UnsafeBuffer buffer = checked(message);
        final int count = buffer.getInt(COUNT_OFFSET);
        if (count < 0 || count > (message.length - BODY_OFFSET) / Integer.BYTES)
        {
            throw new IllegalArgumentException("a message of " + count + " items in " + message.length + " bytes");
        }
        final List<byte[]> items = new ArrayList<>(count);
        int at = BODY_OFFSET;
        for (int i = 0; i < count; i++)
        {
            final int length = at + Integer.BYTES <= message.length ? buffer.getInt(at) : -1;
            if (length < 0 || length > message.length - at - Integer.BYTES)
            {
                throw new IllegalArgumentException("item " + i + " of a message of " + message.length +
                    " bytes runs past its end");
            }
            final byte[] item = new byte[length];
            buffer.getBytes(at + Integer.BYTES, item);
            items.add(item);
            at += Integer.BYTES + length;
        }
        return items;
    }

    /**
     * @return the number of longs that follow a {@link #LONGS} header.
     * @throws IllegalArgumentException if the header is not one.
     */
    static int longCount(final byte[] message)
    {
        final int count = checked(message).getInt(COUNT_OFFSET);
        if (count < 0 || message.length != BODY_OFFSET)
        {
            throw new IllegalArgumentException("a header of " + count + " longs in " + message.length + " bytes");
        }
        return count;
    }

    /**
     * @return the exception a {@link #FAILED} reply describes, for the chunk {@code description}.
     */
    static RemoteTaskException failure(final byte[] message, final String description)
    {
        final List<byte[]> texts = items(message);
        if (texts.size() != 3)
        {
            throw new IllegalArgumentException("a failure of " + texts.size() + " texts, not 3");
        }
        final String type = text(texts.get(0));
        return new RemoteTaskException(type + ": " + text(texts.get(1)) + " (in " + description + ")", type,
            text(texts.get(2)));
    }

    private static UnsafeBuffer header(final byte[] message, final long id, final int kind, final int count)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(message);
        buffer.putLong(ID_OFFSET, id);
        buffer.putInt(KIND_OFFSET, kind);
        buffer.putInt(COUNT_OFFSET, count);
        return buffer;
    }

    private static UnsafeBuffer checked(final byte[] message)
    {
        if (message.length < BODY_OFFSET)
        {
            throw new IllegalArgumentException("a message of " + message.length + " bytes has no header");
        }
        return new UnsafeBuffer(message);
    }

    private static byte[] utf8(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(final byte[] bytes)
    {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
