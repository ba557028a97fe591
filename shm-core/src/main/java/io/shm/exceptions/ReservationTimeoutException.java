package io.shm.exceptions;

/**
 * A directory entry stayed reserved by a live process past the time allowed for it to be published.
 */
public class ReservationTimeoutException extends ShmException
{
    private static final long serialVersionUID = 1L;

    public ReservationTimeoutException(final String message)
    {
        super(message);
    }

    public ReservationTimeoutException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
