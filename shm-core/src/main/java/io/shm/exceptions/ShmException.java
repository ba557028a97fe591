package io.shm.exceptions;

/**
 * Root of every exception this library throws for a shared-memory problem. Unchecked: the
 * conditions it reports (a file that is not a segment, a name that is unknown, a type that does
 * not match) are errors of configuration or of another process, not situations a caller recovers
 * from at each call site. Messages name the segment, the object and the values involved.
 */
public class ShmException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public ShmException(final String message)
    {
        super(message);
    }

    public ShmException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
