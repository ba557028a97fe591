package io.shm.pool;

import io.shm.codec.Codec;

/**
 * What a {@link ShmPool}'s workers run: Python's function given to {@code Pool.apply} or
 * {@code Pool.map}, as a class, since a lambda cannot cross a process boundary. A task class is
 * public with a public no-argument constructor: the pool creates one in each worker JVM (and one
 * in the parent, for its codecs). Arguments and results cross as bytes through its codecs;
 * {@link io.shm.codec.Codecs#record} derives one for a record (Python's {@code starmap} arguments).
 *
 * @param <A> the argument type.
 * @param <R> the result type.
 */
public interface PoolTask<A, R>
{
    /**
     * Runs in a worker.
     *
     * @param argument the argument.
     * @return the result.
     * @throws Exception anything: the caller's future fails with a {@link RemoteTaskException}
     *                   that carries its class, message and stack trace.
     */
    R apply(A argument) throws Exception;

    /**
     * @return how arguments cross to the workers.
     */
    Codec<A> argumentCodec();

    /**
     * @return how results cross back.
     */
    Codec<R> resultCodec();
}
