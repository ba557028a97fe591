package io.shm.exceptions;

/**
 * No segment of that name exists in the directory.
 */
public class SegmentNotFoundException extends ShmException
{
    private static final long serialVersionUID = 1L;

    public SegmentNotFoundException(final String message)
    {
        super(message);
    }

    public SegmentNotFoundException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
