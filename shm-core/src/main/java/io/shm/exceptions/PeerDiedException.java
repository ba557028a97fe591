package io.shm.exceptions;

/**
 * The process on the other side of a wait is proven dead (pid and start time), so the wait can never end.
 */
public class PeerDiedException extends ShmException
{
    private static final long serialVersionUID = 1L;

    public PeerDiedException(final String message)
    {
        super(message);
    }

    public PeerDiedException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
