package io.shm.pool;

import io.shm.exceptions.PeerDiedException;

/**
 * The worker process running a task died before answering: the message names the worker's pid,
 * how it ended (exit code or signal) and the task.
 */
public class WorkerDiedException extends PeerDiedException
{
    private static final long serialVersionUID = 1L;

    private final long pid;

    public WorkerDiedException(final String message, final long pid)
    {
        super(message);
        this.pid = pid;
    }

    /**
     * @return the pid of the worker that died.
     */
    public long pid()
    {
        return pid;
    }
}
