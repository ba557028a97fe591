package io.shm.exceptions;

/**
 * The file does not start with the segment magic: it was not made by this library.
 */
public class NotASegmentException extends InvalidSegmentException
{
    private static final long serialVersionUID = 1L;

    public NotASegmentException(final String message)
    {
        super(message);
    }

    public NotASegmentException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
