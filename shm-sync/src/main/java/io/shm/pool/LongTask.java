package io.shm.pool;

import io.shm.codec.Codec;
import io.shm.codec.Codecs;

/**
 * A task from {@code long} to {@code long}: its chunks cross as arrays of 8-byte words, with no
 * codec and no boxing in the worker, and {@link ShmPool#mapLongs} maps a {@code long[]} without
 * boxing at all. Implement {@link #applyAsLong(long)}.
 */
public abstract class LongTask implements PoolTask<Long, Long>
{
    /**
     * @param argument the argument.
     * @return the result.
     * @throws Exception whatever the task throws: the caller gets it as a {@link RemoteTaskException}.
     */
    public abstract long applyAsLong(long argument) throws Exception;

    @Override
    public final Long apply(final Long argument) throws Exception
    {
        return applyAsLong(argument);
    }

    @Override
    public final Codec<Long> argumentCodec()
    {
        return Codecs.LONG;
    }

    @Override
    public final Codec<Long> resultCodec()
    {
        return Codecs.LONG;
    }
}
