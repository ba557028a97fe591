package io.shm.sync;

/**
 * A lock held or permits acquired, given back when closed: Python's {@code with lock:} as a
 * try-with-resources statement.
 * <pre>{@code
 * try (Held held = lock.hold())
 * {
 *     counter.setPlain(counter.getPlain() + 1);
 * }
 * }</pre>
 * Closing a second time does nothing. Each hold is one small object; a path that must not
 * allocate calls {@code lock()} and {@code unlock()} itself.
 */
public final class Held implements AutoCloseable
{
    private final Runnable release;
    private boolean released;

    Held(final Runnable release)
    {
        this.release = release;
    }

    /**
     * Gives back what was taken (unlocks, or releases the permits), once.
     */
    @Override
    public void close()
    {
        if (!released)
        {
            released = true;
            release.run();
        }
    }
}
