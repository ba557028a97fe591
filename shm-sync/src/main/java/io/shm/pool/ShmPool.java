package io.shm.pool;

import io.shm.process.JvmProcess;

import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pool of worker JVMs that apply a {@link PoolTask}: Python's {@code multiprocessing.Pool}.
 * <pre>{@code
 * try (ShmPool<Integer, Integer> pool = ShmPool.builder(Square.class).workers(4).start())
 * {
 *     int nine = pool.apply(3);                                  // Pool.apply
 *     CompletableFuture<Integer> later = pool.applyAsync(4);     // Pool.apply_async: AsyncResult
 *     List<Integer> squares = pool.map(List.of(1, 2, 3));        // Pool.map
 *     pool.imap(numbers, 100).forEachRemaining(System.out::println);
 * }
 * }</pre>
 * Each worker is a daemon child JVM (it dies with this process, SIGKILL included) that talks to
 * the pool over a pipe of its own in a segment of its own; arguments and results cross as bytes
 * through the task's codecs, never by Java serialization. Work goes out in chunks, one chunk per
 * request.
 * <p>
 * <b>A worker that dies never hangs the pool.</b> The chunk it held fails with a
 * {@link WorkerDiedException} naming the worker's pid, how it ended and the chunk (unless retries
 * were allowed, {@link Builder#retries}, for idempotent work: it is then run again on a new
 * worker); the other work goes on, and a new worker takes the dead one's place. A task that throws
 * fails its call with a {@link RemoteTaskException} carrying the remote class, message and stack
 * trace.
 * <p>
 * <b>Ending.</b> {@link #shutdown()} (Python's {@code close()}) takes no more work and lets the
 * workers finish what was given; {@link #join()} waits for them. {@link #terminate()} stops at
 * once: work not yet answered fails with {@link CancellationException} and the workers are killed.
 * {@link #close()}, as try-with-resources calls it, is {@code terminate()}, as leaving Python's
 * {@code with Pool() as p:} block is.
 *
 * @param <A> the argument type.
 * @param <R> the result type.
 */
public final class ShmPool<A, R> implements AutoCloseable
{
    private static final PoolJob POISON = new PoolJob(-1, new byte[0], 0, "no more work");
    private static final AtomicLong POOLS = new AtomicLong();

    /**
     * The workers' JVM options unless {@link Builder#workerJvmArgs} says otherwise: the serial
     * collector (a worker's heap is small, and it keeps no collector threads awake) and no
     * performance-data file (no sampling every 50 ms; {@code jstat} does not see the workers).
     */
    public static final List<String> DEFAULT_WORKER_JVM_ARGS = List.of("-XX:+UseSerialGC", "-XX:-UsePerfData");

    private final PoolTask<A, R> task;
    private final BlockingQueue<PoolJob> jobs = new LinkedBlockingQueue<>();
    private final List<PoolWorkerSlot> slots = new ArrayList<>();
    private final PoolChunks<A, R> chunks;
    private final int workers;
    private final int retries;
    private volatile boolean shutdown;
    private volatile boolean terminated;

    private ShmPool(final Builder<A, R> builder)
    {
        this.task = builder.task;
        this.workers = builder.workers;
        this.retries = builder.retries;
        this.chunks = new PoolChunks<>(task, retries);
        final String name = "pool-" + ProcessHandle.current().pid() + "-" + POOLS.incrementAndGet();
        for (int i = 0; i < workers; i++)
        {
            final PoolWorkerSlot slot = new PoolWorkerSlot(this, i, name, builder.directory, builder.taskClass.getName(),
                builder.initializer == null ? "" : builder.initializer.getName(), builder.maxTasksPerChild,
                builder.workerJvmArgs);
            slots.add(slot);
            slot.start();
        }
    }

    /**
     * A pool that runs {@code taskClass}.
     *
     * @param taskClass public, with a public no-argument constructor.
     * @throws IllegalArgumentException if the class cannot be created so.
     */
    public static <A, R> Builder<A, R> builder(final Class<? extends PoolTask<A, R>> taskClass)
    {
        return new Builder<>(taskClass);
    }

    /**
     * Applies the task to {@code argument} in a worker and waits for the result (Python's
     * {@code apply}).
     *
     * @throws RemoteTaskException  if the task threw.
     * @throws WorkerDiedException  if the worker died before answering.
     * @throws InterruptedException if interrupted while waiting (the work goes on).
     */
    public R apply(final A argument) throws InterruptedException
    {
        // An idle worker runs the call on this thread; else it queues as applyAsync does.
        checkTakesWork();
        final PoolJob job = chunks.job(List.of(argument));
        final CompletableFuture<R> result = PoolChunks.first(chunks.decoded(job));
        for (final PoolWorkerSlot slot : slots)
        {
            if (slot.tryRunNow(job))
            {
                return PoolChunks.get(result);
            }
        }
        jobs.add(job);
        return PoolChunks.get(result);
    }

    /**
     * Applies the task to {@code argument} in a worker (Python's {@code apply_async}: the future's
     * {@code get}, {@code isDone}, {@code isCompletedExceptionally} and {@code join} are
     * {@code AsyncResult}'s {@code get}, {@code ready}, {@code successful} and {@code wait}).
     */
    public CompletableFuture<R> applyAsync(final A argument)
    {
        return PoolChunks.first(submit(List.of(argument)));
    }

    /**
     * Applies the task to every argument, in chunks of Python's default size, and waits for the
     * results in order (Python's {@code map}).
     */
    public List<R> map(final Iterable<? extends A> arguments) throws InterruptedException
    {
        return PoolChunks.get(mapAsync(arguments, 0));
    }

    /**
     * As {@link #map(Iterable)}, in chunks of {@code chunkSize} arguments (0: Python's default,
     * the count divided by four times the workers, rounded up).
     */
    public List<R> map(final Iterable<? extends A> arguments, final int chunkSize) throws InterruptedException
    {
        return PoolChunks.get(mapAsync(arguments, chunkSize));
    }

    /**
     * Python's {@code starmap}: {@link #map(Iterable)} of arguments that are records of the task's
     * several parameters.
     */
    public List<R> starmap(final Iterable<? extends A> arguments) throws InterruptedException
    {
        return map(arguments);
    }

    /**
     * As {@link #map(Iterable, int)}, without waiting (Python's {@code map_async}). The arguments
     * of a {@link LongTask} go as {@link #mapLongs} sends them (no null argument then).
     */
    @SuppressWarnings("unchecked")
    public CompletableFuture<List<R>> mapAsync(final Iterable<? extends A> arguments, final int chunkSize)
    {
        final List<A> all = new ArrayList<>();
        arguments.forEach(all::add);
        final int size = chunkSize > 0 ? chunkSize : defaultChunkSize(all.size());
        if (task instanceof LongTask)
        {
            final long[] values = new long[all.size()];
            for (int i = 0; i < values.length; i++)
            {
                values[i] = (Long)Objects.requireNonNull(all.get(i), "argument " + i + " of a LongTask is null");
            }
            return mapLongsAsync(values, size).thenApply(results ->
            {
                final List<Long> boxed = new ArrayList<>(results.length);
                for (final long result : results)
                {
                    boxed.add(result);
                }
                return (List<R>)boxed;
            });
        }
        final List<CompletableFuture<List<R>>> parts = new ArrayList<>();
        for (int from = 0; from < all.size(); from += size)
        {
            parts.add(submit(all.subList(from, Math.min(all.size(), from + size))));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(done ->
        {
            final List<R> results = new ArrayList<>(all.size());
            parts.forEach(part -> results.addAll(part.join()));
            return results;
        });
    }

    /**
     * Applies a {@link LongTask} to every argument, in chunks of Python's default size, and waits
     * for the results in order: the chunks cross as arrays of 8-byte words, nothing is boxed.
     *
     * @throws IllegalStateException if the task is not a {@link LongTask}.
     */
    public long[] mapLongs(final long[] arguments) throws InterruptedException
    {
        return PoolChunks.get(mapLongsAsync(arguments, 0));
    }

    /**
     * As {@link #mapLongs(long[])}, in chunks of {@code chunkSize} (0: Python's default), without
     * waiting. The chunks are read from {@code arguments} as they go out: leave it unchanged until
     * the future completes.
     *
     * @throws IllegalStateException if the task is not a {@link LongTask}.
     */
    public CompletableFuture<long[]> mapLongsAsync(final long[] arguments, final int chunkSize)
    {
        if (!(task instanceof LongTask))
        {
            throw new IllegalStateException(task.getClass().getName() + " is not a LongTask: it maps no longs");
        }
        final int size = chunkSize > 0 ? chunkSize : defaultChunkSize(arguments.length);
        final long[] results = new long[arguments.length];
        final List<CompletableFuture<byte[]>> parts = new ArrayList<>();
        for (int from = 0; from < arguments.length; from += size)
        {
            checkTakesWork();
            final PoolJob job = chunks.longsJob(arguments, results, from, Math.min(size, arguments.length - from));
            parts.add(PoolChunks.decoded(job, reply -> reply));
            jobs.add(job);
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(done ->
        {
            return results;
        });
    }

    /**
     * Applies the task to the arguments lazily, in chunks of {@code chunkSize}, with at most two
     * chunks per worker in flight, and yields the results in order (Python's {@code imap}). The
     * iterator's {@code next} throws what {@link #apply} throws, unchecked.
     */
    public Iterator<R> imap(final Iterable<? extends A> arguments, final int chunkSize)
    {
        return new PoolResults<>(this, arguments.iterator(), Math.max(1, chunkSize), 2 * workers, true);
    }

    /**
     * As {@link #imap}, yielding each chunk's results as soon as it is done (Python's
     * {@code imap_unordered}).
     */
    public Iterator<R> imapUnordered(final Iterable<? extends A> arguments, final int chunkSize)
    {
        return new PoolResults<>(this, arguments.iterator(), Math.max(1, chunkSize), 2 * workers, false);
    }

    /**
     * Takes no more work; the workers finish what was given, then exit (Python's {@code close()}).
     */
    public void shutdown()
    {
        if (!shutdown)
        {
            shutdown = true;
            for (int i = 0; i < workers; i++)
            {
                jobs.add(POISON);
            }
        }
    }

    /**
     * Stops at once: work not yet answered fails with {@link CancellationException}, and the
     * workers are killed (Python's {@code terminate()}).
     */
    public void terminate()
    {
        terminated = true;
        shutdown = true;
        for (PoolJob job = jobs.poll(); job != null; job = jobs.poll())
        {
            job.result.completeExceptionally(new CancellationException("the pool was terminated"));
        }
        slots.forEach(PoolWorkerSlot::terminate);
        for (int i = 0; i < workers; i++)
        {
            jobs.add(POISON);
        }
    }

    /**
     * Waits for the workers to exit, after {@link #shutdown()} or {@link #terminate()} (Python's {@code join()}).
     *
     * @throws IllegalStateException if neither was called.
     */
    public void join() throws InterruptedException
    {
        if (!shutdown)
        {
            throw new IllegalStateException("join() needs shutdown() or terminate() first, as Python's Pool.join does");
        }
        for (final PoolWorkerSlot slot : slots)
        {
            slot.join();
        }
    }

    /**
     * {@link #terminate()}, then waits for the workers, as leaving Python's {@code with Pool()} block does.
     */
    @Override
    public void close()
    {
        terminate();
        try
        {
            join();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * @return the workers' processes now (a replaced worker's successor is listed, not it).
     */
    public List<JvmProcess> workers()
    {
        final List<JvmProcess> processes = new ArrayList<>();
        slots.forEach(slot -> slot.process().ifPresent(processes::add));
        return processes;
    }

    int defaultChunkSize(final int count)
    {
        final int per = 4 * workers;
        return Math.max(1, count / per + (count % per == 0 ? 0 : 1));
    }

    CompletableFuture<List<R>> submit(final List<? extends A> arguments)
    {
        checkTakesWork();
        final PoolJob job = chunks.job(arguments);
        final CompletableFuture<List<R>> decoded = chunks.decoded(job);
        jobs.add(job);
        return decoded;
    }

    private void checkTakesWork()
    {
        if (shutdown)
        {
            throw new IllegalStateException("the pool takes no more work (shutdown or terminate was called)");
        }
    }

    /**
     * @return the next chunk for a worker, or null once there is no more work for it.
     */
    PoolJob nextJob() throws InterruptedException
    {
        final PoolJob job = jobs.take();
        return job == POISON ? null : job;
    }

    boolean isTerminated()
    {
        return terminated;
    }

    @SuppressWarnings("unchecked")
    static PoolTask<Object, Object> createTask(final Class<?> type)
    {
        return (PoolTask<Object, Object>)create(type, PoolTask.class);
    }

    static <T> T create(final Class<?> type, final Class<T> kind)
    {
        if (!kind.isAssignableFrom(type) || !Modifier.isPublic(type.getModifiers()) ||
            Modifier.isAbstract(type.getModifiers()) ||
            (type.getEnclosingClass() != null && !Modifier.isStatic(type.getModifiers())))
        {
            throw new IllegalArgumentException(type.getName() + " must be a public, concrete, top-level or static " +
                "nested class implementing " + kind.getSimpleName());
        }
        try
        {
            return kind.cast(type.getConstructor().newInstance());
        }
        catch (final NoSuchMethodException ex)
        {
            throw new IllegalArgumentException(type.getName() + " needs a public no-argument constructor: each worker " +
                "creates one", ex);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new IllegalArgumentException("cannot create " + type.getName() + ": " + ex, ex);
        }
    }

    /**
     * The options of a pool.
     *
     * @param <A> the argument type.
     * @param <R> the result type.
     */
    public static final class Builder<A, R>
    {
        private final Class<? extends PoolTask<A, R>> taskClass;
        private final PoolTask<A, R> task;
        private int workers = JvmProcess.cpuCount();
        private Class<? extends Runnable> initializer;
        private int maxTasksPerChild;
        private int retries;
        private Path directory = Path.of("/dev/shm");
        private List<String> workerJvmArgs = DEFAULT_WORKER_JVM_ARGS;

        @SuppressWarnings("unchecked")
        private Builder(final Class<? extends PoolTask<A, R>> taskClass)
        {
            this.taskClass = taskClass;
            this.task = (PoolTask<A, R>)create(taskClass, PoolTask.class);
        }

        /**
         * @param workers how many worker JVMs, at least 1 (default: the machine's online CPUs).
         */
        public Builder<A, R> workers(final int workers)
        {
            if (workers < 1)
            {
                throw new IllegalArgumentException("a pool needs at least 1 worker: " + workers);
            }
            this.workers = workers;
            return this;
        }

        /**
         * @param initializer run once in each worker before its first task (Python's
         *                    {@code initializer}): a public class with a public no-argument constructor.
         */
        public Builder<A, R> initializer(final Class<? extends Runnable> initializer)
        {
            create(initializer, Runnable.class);
            this.initializer = initializer;
            return this;
        }

        /**
         * @param maxTasksPerChild the chunks a worker answers before a new worker replaces it
         *                         (Python's {@code maxtasksperchild}); 0 for no limit.
         */
        public Builder<A, R> maxTasksPerChild(final int maxTasksPerChild)
        {
            if (maxTasksPerChild < 0)
            {
                throw new IllegalArgumentException("maxTasksPerChild must be 0 (no limit) or more: " + maxTasksPerChild);
            }
            this.maxTasksPerChild = maxTasksPerChild;
            return this;
        }

        /**
         * @param retries how many times a chunk whose worker died is run again on a new worker,
         *                for idempotent work (default 0: it fails).
         */
        public Builder<A, R> retries(final int retries)
        {
            if (retries < 0)
            {
                throw new IllegalArgumentException("retries must be 0 or more: " + retries);
            }
            this.retries = retries;
            return this;
        }

        /**
         * @param jvmArgs the JVM options of each worker, in place of the default
         *                {@link #DEFAULT_WORKER_JVM_ARGS} (the flags the library needs are added
         *                whatever is given), e.g. {@code -Xmx256m}.
         */
        public Builder<A, R> workerJvmArgs(final String... jvmArgs)
        {
            this.workerJvmArgs = List.of(jvmArgs);
            return this;
        }

        /**
         * @param directory where the workers' segments are made (default {@code /dev/shm}).
         */
        public Builder<A, R> directory(final Path directory)
        {
            this.directory = directory;
            return this;
        }

        /**
         * Starts the workers.
         */
        public ShmPool<A, R> start()
        {
            return new ShmPool<>(this);
        }
    }
}
