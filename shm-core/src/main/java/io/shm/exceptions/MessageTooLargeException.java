package io.shm.exceptions;

/**
 * A message is larger than the channel accepts, or than the buffer it is received into; nothing was written or consumed.
 */
public class MessageTooLargeException extends ShmException
{
    private static final long serialVersionUID = 1L;

    public MessageTooLargeException(final String message)
    {
        super(message);
    }

    public MessageTooLargeException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
