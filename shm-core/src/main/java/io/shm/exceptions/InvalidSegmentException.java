package io.shm.exceptions;

/**
 * A file at a segment's path cannot be used as a segment. Subclasses say why.
 */
public class InvalidSegmentException extends ShmException
{
    private static final long serialVersionUID = 1L;

    public InvalidSegmentException(final String message)
    {
        super(message);
    }

    public InvalidSegmentException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
