package io.shm.broadcast;

import io.shm.channel.MessageHandler;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Copies a message into the destination of one {@code receive}.
 */
final class MessageCopier implements MessageHandler
{
    private final String source;
    private byte[] array;
    private MutableDirectBuffer target;
    private int offset;
    private int length;
    private boolean allocate;

    /**
     * @param source what the messages come from, for messages.
     */
    MessageCopier(final String source)
    {
        this.source = source;
    }

    byte[] array()
    {
        return array;
    }

    int length()
    {
        return length;
    }

    void into(final byte[] array)
    {
        this.array = array;
        this.target = null;
        this.allocate = false;
    }

    /**
     * Into a new array of the message's length.
     */
    void intoNew()
    {
        this.array = null;
        this.target = null;
        this.allocate = true;
    }

    void into(final MutableDirectBuffer target, final int offset)
    {
        this.array = null;
        this.target = target;
        this.offset = offset;
        this.allocate = false;
    }

    @Override
    public void onMessage(final DirectBuffer source, final int index, final int length)
    {
        if (allocate)
        {
            array = new byte[length];
        }
        final int room = array != null ? array.length : target.capacity() - offset;
        if (length > room)
        {
            throw new IllegalArgumentException("a " + length + "-byte message of " + this.source +
                " does not fit a destination of " + room + " bytes");
        }
        if (array != null)
        {
            source.getBytes(index, array, 0, length);
        }
        else
        {
            target.putBytes(offset, source, index, length);
        }
        this.length = length;
    }
}
