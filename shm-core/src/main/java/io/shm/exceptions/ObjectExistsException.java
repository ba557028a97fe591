package io.shm.exceptions;

/**
 * An object of that name already exists in the segment, so it cannot be created.
 */
public class ObjectExistsException extends ShmException
{
    private static final long serialVersionUID = 1L;

    public ObjectExistsException(final String message)
    {
        super(message);
    }

    public ObjectExistsException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
