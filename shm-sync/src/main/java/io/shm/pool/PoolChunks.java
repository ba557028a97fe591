package io.shm.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The caller's side of a {@link ShmPool}'s chunks: each chunk's request made from its arguments
 * (and refused if it cannot go), and its reply decoded into the results the caller waits for.
 *
 * @param <A> the argument type.
 * @param <R> the result type.
 */
final class PoolChunks<A, R>
{
    private final PoolTask<A, R> task;
    private final int retries;
    private final AtomicLong chunks = new AtomicLong();

    PoolChunks(final PoolTask<A, R> task, final int retries)
    {
        this.task = task;
        this.retries = retries;
    }

    PoolJob job(final List<? extends A> arguments)
    {
        final List<byte[]> encoded = new ArrayList<>(arguments.size());
        for (final A argument : arguments)
        {
            encoded.add(task.argumentCodec().encode(argument));
        }
        final long id = chunks.incrementAndGet();
        final byte[] request = Wire.items(id, encoded);
        checkFits(request.length, arguments.size());
        return new PoolJob(id, request, retries, description(id, arguments.size()));
    }

    PoolJob longsJob(final long[] arguments, final long[] results, final int from, final int count)
    {
        checkFits((long)count * Long.BYTES, count);
        final long id = chunks.incrementAndGet();
        return new PoolJob(id, Wire.longsHeader(id, count), arguments, results, from, count, retries,
            description(id, count));
    }

    /**
     * Refuses, in the caller and before anything is sent, a chunk longer than a pipe's message.
     */
    private static void checkFits(final long bytes, final int count)
    {
        final int limit = PoolWorkerSlot.PIPE_OPTIONS.maxMessageLength();
        if (bytes > limit)
        {
            throw new IllegalArgumentException("a chunk of " + count + " arguments takes " + bytes + " bytes, more " +
                "than the " + limit + " of a message to a worker: give a smaller chunk size");
        }
    }

    private String description(final long id, final int count)
    {
        return "chunk " + id + " of " + count + " argument(s) of " + task.getClass().getSimpleName();
    }

    /**
     * @return the job's results, decoded; a cancelled job's future is cancelled.
     */
    CompletableFuture<List<R>> decoded(final PoolJob job)
    {
        return decoded(job, reply ->
        {
            final List<byte[]> results = Wire.items(reply);
            final List<R> items = new ArrayList<>(results.size());
            results.forEach(bytes -> items.add(task.resultCodec().decode(bytes)));
            return items;
        });
    }

    /**
     * @return the job's reply, decoded by {@code decoder}; a cancelled job's future is cancelled.
     */
    static <T> CompletableFuture<T> decoded(final PoolJob job, final Function<byte[], T> decoder)
    {
        final CompletableFuture<T> decoded = new CompletableFuture<>();
        job.result.whenComplete((reply, failure) ->
        {
            if (failure instanceof CancellationException)
            {
                decoded.cancel(false);
            }
            else if (failure != null)
            {
                decoded.completeExceptionally(failure);
            }
            else
            {
                try
                {
                    decoded.complete(decoder.apply(reply));
                }
                catch (final RuntimeException ex)
                {
                    decoded.completeExceptionally(ex);
                }
            }
        });
        return decoded;
    }

    static <R> CompletableFuture<R> first(final CompletableFuture<List<R>> chunk)
    {
        final CompletableFuture<R> result = new CompletableFuture<>();
        chunk.whenComplete((results, failure) ->
        {
            if (failure == null)
            {
                result.complete(results.get(0));
            }
            else if (failure instanceof CancellationException)
            {
                result.cancel(false);
            }
            else
            {
                result.completeExceptionally(failure);
            }
        });
        return result;
    }

    /**
     * Waits for {@code future}, and throws what failed it as it was, if unchecked.
     */
    static <T> T get(final CompletableFuture<T> future) throws InterruptedException
    {
        try
        {
            return future.get();
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof RuntimeException runtime)
            {
                throw runtime;
            }
            throw new CompletionException(ex.getCause());
        }
    }

}
