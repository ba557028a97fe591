package io.shm.exceptions;

/**
 * A segment of that name already exists, so it cannot be created.
 */
public class SegmentExistsException extends ShmException
{
    private static final long serialVersionUID = 1L;

    public SegmentExistsException(final String message)
    {
        super(message);
    }

    public SegmentExistsException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
