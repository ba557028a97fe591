package io.shm.exceptions;

/**
 * The file is shorter than its header, or than the size its header declares; nothing beyond the real length is touched.
 */
public class TruncatedSegmentException extends InvalidSegmentException
{
    private static final long serialVersionUID = 1L;

    public TruncatedSegmentException(final String message)
    {
        super(message);
    }

    public TruncatedSegmentException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
