package io.shm.wait;

/**
 * What a {@link Waiter} waits on, as far as its lifetime goes. A waiter about to sleep says so,
 * and says when it woke, so that closing the scope can wake the sleepers of this process and let
 * them leave before the memory they sleep on is unmapped (a wait that touched unmapped memory
 * would crash the JVM). A waiter that spins or yields looks whether the scope is closed on every
 * round; only sleepers need waking.
 */
public interface WaitScope
{
    /**
     * Counts this thread among the sleepers, waking {@code waiter} if the scope closes. Calls may
     * nest (a blocking operation that touches the memory after its wait registers around the
     * whole of it; the waiter is then null or the operation's), each matched by {@link #awake}.
     *
     * @throws IllegalStateException if the scope is closed (the thread is not counted then).
     */
    void sleeping(Waiter waiter);

    /**
     * Counts this thread out once.
     */
    void awake(Waiter waiter);

    /**
     * Throws {@link IllegalStateException} if the scope is closed; a waiter calls it before every
     * attempt.
     */
    void checkOpen();
}
