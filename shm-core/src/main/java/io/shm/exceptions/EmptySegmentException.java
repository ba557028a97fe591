package io.shm.exceptions;

/**
 * The file at the segment's path has length zero.
 */
public class EmptySegmentException extends InvalidSegmentException
{
    private static final long serialVersionUID = 1L;

    public EmptySegmentException(final String message)
    {
        super(message);
    }

    public EmptySegmentException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
