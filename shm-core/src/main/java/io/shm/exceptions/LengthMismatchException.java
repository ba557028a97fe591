package io.shm.exceptions;

/**
 * An object was opened with a length other than the one it was created with.
 */
public class LengthMismatchException extends ParameterMismatchException
{
    private static final long serialVersionUID = 1L;

    public LengthMismatchException(final String message)
    {
        super(message);
    }

    public LengthMismatchException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
