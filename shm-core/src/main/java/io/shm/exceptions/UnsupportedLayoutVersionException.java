package io.shm.exceptions;

/**
 * The segment was written with a layout version this library does not read.
 */
public class UnsupportedLayoutVersionException extends InvalidSegmentException
{
    private static final long serialVersionUID = 1L;

    public UnsupportedLayoutVersionException(final String message)
    {
        super(message);
    }

    public UnsupportedLayoutVersionException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
