package io.shm.exceptions;

/**
 * The other end closed the channel and every message it sent has been received: end of stream (Python's EOFError).
 */
public class ChannelClosedException extends ShmException
{
    private static final long serialVersionUID = 1L;

    public ChannelClosedException(final String message)
    {
        super(message);
    }

    public ChannelClosedException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
