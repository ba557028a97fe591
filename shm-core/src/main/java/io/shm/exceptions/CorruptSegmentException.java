package io.shm.exceptions;

/**
 * A header or directory field is outside what a valid segment can hold (an offset past the end, a negative length).
 */
public class CorruptSegmentException extends InvalidSegmentException
{
    private static final long serialVersionUID = 1L;

    public CorruptSegmentException(final String message)
    {
        super(message);
    }

    public CorruptSegmentException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
