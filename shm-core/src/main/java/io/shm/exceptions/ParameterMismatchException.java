package io.shm.exceptions;

/**
 * An object exists with a parameter other than the one asked for (a semaphore's permits or bound,
 * a barrier's parties, a queue's capacity or item length, an array's length): it is not changed,
 * and the caller is told both values.
 */
public class ParameterMismatchException extends ShmException
{
    private static final long serialVersionUID = 1L;

    public ParameterMismatchException(final String message)
    {
        super(message);
    }

    public ParameterMismatchException(final String message, final Throwable cause)
    {
        super(message, cause);
    }

    /**
     * Throws unless {@code existing} equals {@code asked}.
     *
     * @param what     the object, described.
     * @param name     the parameter.
     * @param existing its value in the existing object.
     * @param asked    the value asked for.
     */
    public static void check(final String what, final String name, final long existing, final long asked)
    {
        if (existing != asked)
        {
            throw new ParameterMismatchException(what + " exists with " + name + " " + existing + ", not the " + asked +
                " asked for");
        }
    }
}
