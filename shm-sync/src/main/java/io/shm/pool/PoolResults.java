package io.shm.pool;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The iterator of {@code imap} and {@code imapUnordered}.
 */
final class PoolResults<A, R> implements Iterator<R>
{
    private final ShmPool<A, R> pool;
    private final Iterator<? extends A> arguments;
    private final int chunkSize;
    private final int inFlight;
    private final boolean ordered;
    private final List<CompletableFuture<List<R>>> pending = new ArrayList<>();
    private Iterator<R> current = Collections.emptyIterator();

    PoolResults(final ShmPool<A, R> pool, final Iterator<? extends A> arguments, final int chunkSize,
        final int inFlight, final boolean ordered)
    {
        this.pool = pool;
        this.arguments = arguments;
        this.chunkSize = chunkSize;
        this.inFlight = inFlight;
        this.ordered = ordered;
        fill();
    }

    private void fill()
    {
        while (pending.size() < inFlight && arguments.hasNext())
        {
            final List<A> chunk = new ArrayList<>(chunkSize);
            while (chunk.size() < chunkSize && arguments.hasNext())
            {
                chunk.add(arguments.next());
            }
            pending.add(pool.submit(chunk));
        }
    }

    @Override
    public boolean hasNext()
    {
        return current.hasNext() || !pending.isEmpty();
    }

    @Override
    public R next()
    {
        while (!current.hasNext())
        {
            if (pending.isEmpty())
            {
                throw new NoSuchElementException();
            }
            final CompletableFuture<List<R>> chunk = ordered ? pending.remove(0) : removeFirstDone();
            try
            {
                current = PoolChunks.get(chunk).iterator();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new CompletionException(ex);
            }
            fill();
        }
        return current.next();
    }

    private CompletableFuture<List<R>> removeFirstDone()
    {
        CompletableFuture.anyOf(pending.toArray(CompletableFuture[]::new)).exceptionally(ex -> null).join();
        for (int i = 0; i < pending.size(); i++)
        {
            if (pending.get(i).isDone())
            {
                return pending.remove(i);
            }
        }
        return pending.remove(0);
    }
}
