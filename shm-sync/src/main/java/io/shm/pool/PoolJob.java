package io.shm.pool;

import java.util.concurrent.CompletableFuture;

/**
 * A chunk of work: its request (a {@link Wire} message), what is left of its retries, and its
 * result, the worker's reply. A chunk of longs also names the caller's arrays: its arguments go
 * out from {@code longs}, and its results come back into {@code results}, at the same index.
 */
final class PoolJob
{
    final long id;
    final byte[] request;
    final long[] longs;
    final long[] results;
    final int from;
    final int count;
    final String description;
    final CompletableFuture<byte[]> result = new CompletableFuture<>();
    int retriesLeft;

    PoolJob(final long id, final byte[] request, final int retries, final String description)
    {
        this(id, request, null, null, 0, 0, retries, description);
    }

    PoolJob(final long id, final byte[] request, final long[] longs, final long[] results, final int from,
        final int count, final int retries, final String description)
    {
        this.id = id;
        this.request = request;
        this.longs = longs;
        this.results = results;
        this.from = from;
        this.count = count;
        this.retriesLeft = retries;
        this.description = description;
    }
}
