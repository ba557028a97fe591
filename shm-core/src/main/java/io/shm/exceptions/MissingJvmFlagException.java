package io.shm.exceptions;

/**
 * The JVM was started without a flag this library needs; the message gives the flag to add.
 */
public class MissingJvmFlagException extends ShmException
{
    private static final long serialVersionUID = 1L;

    public MissingJvmFlagException(final String message)
    {
        super(message);
    }

    public MissingJvmFlagException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
