package io.shm.pool;

import io.shm.codec.Codec;
import io.shm.codec.Codecs;

/**
 * A {@link PoolTask} from a {@code long} to a {@code long}, its codecs given: a subclass says only
 * what {@link #apply} computes.
 */
public abstract class LongTask implements PoolTask<Long, Long>
{
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
