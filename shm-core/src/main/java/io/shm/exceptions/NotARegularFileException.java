package io.shm.exceptions;

/**
 * The path names a directory or another non-regular file.
 */
public class NotARegularFileException extends InvalidSegmentException
{
    private static final long serialVersionUID = 1L;

    public NotARegularFileException(final String message)
    {
        super(message);
    }

    public NotARegularFileException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
