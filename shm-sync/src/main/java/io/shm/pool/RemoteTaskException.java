package io.shm.pool;

import io.shm.exceptions.ShmException;

/**
 * A task threw in a worker process: its class, message and stack trace, as text (no Java
 * serialization crosses processes).
 */
public class RemoteTaskException extends ShmException
{
    private static final long serialVersionUID = 1L;

    private final String remoteClass;
    private final String remoteStackTrace;

    public RemoteTaskException(final String message, final String remoteClass, final String remoteStackTrace)
    {
        super(message);
        this.remoteClass = remoteClass;
        this.remoteStackTrace = remoteStackTrace;
    }

    /**
     * @return the name of the exception's class in the worker.
     */
    public String remoteClass()
    {
        return remoteClass;
    }

    /**
     * @return the exception's stack trace in the worker, as {@link Throwable#printStackTrace()} printed it.
     */
    public String remoteStackTrace()
    {
        return remoteStackTrace;
    }
}
