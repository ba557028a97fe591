package io.shm.exceptions;

/**
 * The segment has no room left for a new object: its data area or its directory is full.
 */
public class SegmentFullException extends ShmException
{
    private static final long serialVersionUID = 1L;

    public SegmentFullException(final String message)
    {
        super(message);
    }

    public SegmentFullException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
