package io.shm.exceptions;

/**
 * An object was opened as a type other than the one it was created as.
 */
public class TypeMismatchException extends ShmException
{
    private static final long serialVersionUID = 1L;

    public TypeMismatchException(final String message)
    {
        super(message);
    }

    public TypeMismatchException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
