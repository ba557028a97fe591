package io.shm.exceptions;

/**
 * The path is a symbolic link; segments are never opened through links, so a link cannot redirect a segment elsewhere.
 */
public class SymbolicLinkException extends InvalidSegmentException
{
    private static final long serialVersionUID = 1L;

    public SymbolicLinkException(final String message)
    {
        super(message);
    }

    public SymbolicLinkException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
