package io.shm.exceptions;

/**
 * A segment or object name is not acceptable; the message says which rule it breaks.
 */
public class InvalidNameException extends ShmException
{
    private static final long serialVersionUID = 1L;

    public InvalidNameException(final String message)
    {
        super(message);
    }

    public InvalidNameException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
