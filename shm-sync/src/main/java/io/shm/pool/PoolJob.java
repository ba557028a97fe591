package io.shm.pool;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A chunk of work: its encoded arguments, what is left of its retries, and its result.
 */
final class PoolJob
{
    final long id;
    final byte[] arguments;
    final String description;
    final CompletableFuture<List<byte[]>> result = new CompletableFuture<>();
    int retriesLeft;

    PoolJob(final long id, final byte[] arguments, final int retries, final String description)
    {
        this.id = id;
        this.arguments = arguments;
        this.retriesLeft = retries;
        this.description = description;
    }
}
