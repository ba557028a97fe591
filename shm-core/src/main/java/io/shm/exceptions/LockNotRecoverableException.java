package io.shm.exceptions;

/**
 * A lock whose owner died was unlocked by its next owner without being marked consistent: the state it protects is lost, and every later acquire throws this (as a robust pthread mutex's ENOTRECOVERABLE).
 */
public class LockNotRecoverableException extends ShmException
{
    private static final long serialVersionUID = 1L;

    public LockNotRecoverableException(final String message)
    {
        super(message);
    }

    public LockNotRecoverableException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
