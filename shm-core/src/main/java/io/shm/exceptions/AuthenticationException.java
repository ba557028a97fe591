package io.shm.exceptions;

/**
 * A network peer did not prove that it holds the shared key (or refused ours): no message was
 * exchanged. Python's {@code multiprocessing.AuthenticationError}.
 */
public class AuthenticationException extends ShmException
{
    private static final long serialVersionUID = 1L;

    public AuthenticationException(final String message)
    {
        super(message);
    }

    public AuthenticationException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
