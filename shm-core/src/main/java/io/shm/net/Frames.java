package io.shm.net;

import io.shm.exceptions.ChannelClosedException;
import io.shm.exceptions.MessageTooLargeException;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * A message on a stream socket: a 4-byte big-endian length, then that many bytes.
 */
final class Frames
{
    private Frames()
    {
    }

    static void write(final DataOutputStream out, final byte[] bytes, final int offset, final int length)
        throws IOException
    {
        out.writeInt(length);
        out.write(bytes, offset, length);
        out.flush();
    }

    /**
     * @param maxLength the longest message accepted; a longer length is refused before anything is
     *                  allocated (the connection cannot be followed after it, and is to be closed).
     * @throws ChannelClosedException   at the end of the stream, before a frame or inside one.
     * @throws MessageTooLargeException if the length is negative or above {@code maxLength}.
     */
    static byte[] read(final DataInputStream in, final int maxLength) throws IOException
    {
        try
        {
            final int length = in.readInt();
            if (length < 0 || length > maxLength)
            {
                throw new MessageTooLargeException("a frame of " + length + " bytes where at most " + maxLength +
                    " are accepted");
            }
            final byte[] bytes = new byte[length];
            in.readFully(bytes);
            return bytes;
        }
        catch (final EOFException ex)
        {
            throw new ChannelClosedException("end of stream: the peer closed the connection", ex);
        }
    }
}
