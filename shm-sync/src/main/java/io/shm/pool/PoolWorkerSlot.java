package io.shm.pool;

import io.shm.channel.ChannelOptions;
import io.shm.channel.Connection;
import io.shm.channel.Pipe;
import io.shm.exceptions.ChannelClosedException;
import io.shm.exceptions.PeerDiedException;
import io.shm.launch.ProcessTarget;
import io.shm.process.JvmProcess;
import io.shm.segment.Segment;
import io.shm.segment.SegmentOptions;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One worker of a {@link ShmPool}, and the thread of the pool's process that feeds it: it takes
 * a chunk, sends it over the worker's pipe, waits for the answer and completes the chunk's future.
 * Each worker gets a segment and a pipe of its own, removed when it ends, so a dead worker leaves
 * nothing its successor could trip on. When the worker dies, the chunk it held fails (or is run
 * again, while retries are left) and a new worker is started for the next chunk.
 */
final class PoolWorkerSlot
{
    private static final String PIPE = "work";
    /**
     * A ring of 1 MiB each way: a chunk of Python's default size (a million small items over two
     * workers) crosses without the two ends taking turns to wait for room.
     */
    static final ChannelOptions PIPE_OPTIONS = ChannelOptions.defaults().withCapacity(1 << 20);
    private static final long SEGMENT_SIZE = 4L << 20;

    private final ShmPool<?, ?> pool;
    private final int index;
    private final String poolName;
    private final Path directory;
    private final String taskClass;
    private final String initializer;
    private final int maxTasks;
    private final String[] jvmArgs;
    private final Thread thread;
    private final ReentrantLock busy = new ReentrantLock();
    private volatile JvmProcess process;
    private Segment segment;
    private Connection connection;
    private int generation;
    private int answered;
    private boolean ready;

    PoolWorkerSlot(final ShmPool<?, ?> pool, final int index, final String poolName, final Path directory,
        final String taskClass, final String initializer, final int maxTasks, final List<String> jvmArgs)
    {
        this.jvmArgs = jvmArgs.toArray(String[]::new);
        this.pool = pool;
        this.index = index;
        this.poolName = poolName;
        this.directory = directory;
        this.taskClass = taskClass;
        this.initializer = initializer;
        this.maxTasks = maxTasks;
        this.thread = new Thread(this::feed, poolName + "-worker-" + index);
        this.thread.setDaemon(true);
    }

    void start()
    {
        startWorker();
        thread.start();
    }

    Optional<JvmProcess> process()
    {
        return Optional.ofNullable(process);
    }

    void terminate()
    {
        final JvmProcess worker = process;
        if (worker != null)
        {
            worker.kill();
        }
        thread.interrupt();
    }

    void join() throws InterruptedException
    {
        thread.join();
    }

    private void feed()
    {
        try
        {
            for (PoolJob job = pool.nextJob(); job != null; job = pool.nextJob())
            {
                busy.lockInterruptibly();
                try
                {
                    run(job);
                }
                finally
                {
                    busy.unlock();
                }
            }
        }
        catch (final InterruptedException terminated)
        {
            Thread.currentThread().interrupt();
        }
        finally
        {
            busy.lock();
            try
            {
                stopWorker();
            }
            finally
            {
                busy.unlock();
            }
        }
    }

    /**
     * Runs {@code job} on the calling thread if this worker is idle now: a blocking call then costs
     * no hand-off between threads.
     *
     * @return false if the worker was busy (nothing was done).
     */
    boolean tryRunNow(final PoolJob job) throws InterruptedException
    {
        if (!busy.tryLock())
        {
            return false;
        }
        try
        {
            if (pool.isTerminated() || !thread.isAlive())
            {
                return false;
            }
            run(job);
            return true;
        }
        finally
        {
            busy.unlock();
        }
    }

    private void run(final PoolJob job) throws InterruptedException
    {
        while (true)
        {
            if (pool.isTerminated())
            {
                job.result.completeExceptionally(new CancellationException("the pool was terminated"));
                return;
            }
            try
            {
                if (process == null)
                {
                    startWorker();
                }
                if (!ready)
                {
                    // The worker says it is ready once it has created the task and run the initializer.
                    connection.receive();
                    ready = true;
                }
                connection.send(job.request);
                if (job.longs != null)
                {
                    connection.sendLongs(job.longs, job.from, job.count);
                }
                complete(job, connection.receive());
                if (maxTasks > 0 && ++answered >= maxTasks)
                {
                    // The worker exits after this many answers: its successor starts for the next chunk.
                    stopWorker();
                }
                return;
            }
            catch (final InterruptedException interrupted)
            {
                // The worker may still be answering: it cannot be trusted with another request.
                retire(job, new CancellationException(pool.isTerminated() ? "the pool was terminated" :
                    "interrupted while waiting for " + job.description));
                throw interrupted;
            }
            catch (final PeerDiedException | ChannelClosedException died)
            {
                final String how = ended();
                final long pid = process.pid();
                stopWorker();
                if (pool.isTerminated())
                {
                    job.result.completeExceptionally(new CancellationException("the pool was terminated"));
                    return;
                }
                if (job.retriesLeft-- > 0)
                {
                    continue;
                }
                job.result.completeExceptionally(new WorkerDiedException("worker " + index + " (process " + pid + ") " +
                    how + " while it held " + job.description, pid));
                return;
            }
            catch (final RuntimeException unexpected)
            {
                // The pipe cannot be trusted after this (a corrupt record, a reply that does not
                // decode): the worker is retired, and the chunk fails with the cause.
                retire(job, unexpected);
                return;
            }
        }
    }

    /**
     * Kills and removes the worker, and fails {@code job} with {@code cause}.
     */
    private void retire(final PoolJob job, final RuntimeException cause)
    {
        final JvmProcess worker = process;
        if (worker != null)
        {
            worker.kill();
        }
        stopWorker();
        job.result.completeExceptionally(cause);
    }

    private void complete(final PoolJob job, final byte[] reply) throws InterruptedException
    {
        if (Wire.id(reply) != job.id)
        {
            throw new IllegalArgumentException("the reply to chunk " + Wire.id(reply) + " came for " + job.description);
        }
        if (Wire.kind(reply) == Wire.FAILED)
        {
            job.result.completeExceptionally(Wire.failure(reply, job.description));
            return;
        }
        if (Wire.kind(reply) != Wire.kind(job.request) || Wire.count(reply) != Wire.count(job.request))
        {
            throw new IllegalArgumentException("the reply to " + job.description + " holds " + Wire.count(reply) +
                " results of kind " + Wire.kind(reply));
        }
        // The results of a chunk of longs follow the header, straight into the caller's array.
        if (job.longs != null && connection.receiveLongs(job.results, job.from) != job.count)
        {
            throw new IllegalArgumentException("the results of " + job.description + " came with another count");
        }
        job.result.complete(reply);
    }

    /**
     * @return how the worker ended, once it has: its exit code or the signal that killed it.
     */
    private String ended() throws InterruptedException
    {
        final JvmProcess worker = process;
        if (!worker.waitFor(10, TimeUnit.SECONDS))
        {
            return "stopped answering (still running)";
        }
        return worker.terminatingSignal().isPresent() ? "was killed by signal " + worker.terminatingSignal().getAsInt() :
            "exited with code " + worker.exitCode();
    }

    private void startWorker()
    {
        generation++;
        answered = 0;
        ready = false;
        final String name = poolName + "-w" + index + "-" + generation;
        segment = Segment.create(name, SegmentOptions.defaults().withDirectory(directory).withSize(SEGMENT_SIZE));
        connection = Pipe.connect(segment, PIPE, Pipe.End.FIRST, true, PIPE_OPTIONS);
        process = ProcessTarget.builder(PoolWorker.class, Pipe.handle(segment, PIPE, Pipe.End.SECOND), taskClass,
            initializer, maxTasks).jvmArgs(jvmArgs).name(poolName + "-worker-" + index).daemon().start();
    }

    private void stopWorker()
    {
        if (connection != null)
        {
            connection.close();
            connection = null;
        }
        final JvmProcess worker = process;
        process = null;
        if (worker != null)
        {
            try
            {
                if (!worker.waitFor(10, TimeUnit.SECONDS))
                {
                    worker.kill();
                }
            }
            catch (final InterruptedException ex)
            {
                worker.kill();
                Thread.currentThread().interrupt();
            }
            worker.close();
        }
        if (segment != null)
        {
            final String name = segment.name();
            segment.close();
            Segment.unlink(name, SegmentOptions.defaults().withDirectory(directory));
            segment = null;
        }
    }
}
