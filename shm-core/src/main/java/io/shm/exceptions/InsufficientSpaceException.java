package io.shm.exceptions;

/**
 * The file system cannot hold a segment of the requested size; raised at create, never later as a SIGBUS.
 */
public class InsufficientSpaceException extends ShmException
{
    private static final long serialVersionUID = 1L;

    public InsufficientSpaceException(final String message)
    {
        super(message);
    }

    public InsufficientSpaceException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
