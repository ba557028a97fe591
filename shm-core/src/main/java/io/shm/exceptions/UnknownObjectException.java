package io.shm.exceptions;

/**
 * The segment holds no object of that name.
 */
public class UnknownObjectException extends ShmException
{
    private static final long serialVersionUID = 1L;

    public UnknownObjectException(final String message)
    {
        super(message);
    }

    public UnknownObjectException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
