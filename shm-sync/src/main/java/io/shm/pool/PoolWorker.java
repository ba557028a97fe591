package io.shm.pool;

import io.shm.channel.Connection;
import io.shm.exceptions.ChannelClosedException;
import io.shm.launch.ProcessTarget;
import io.shm.launch.TargetArgs;
import io.shm.wait.WaitStrategy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A worker JVM of a {@link ShmPool}: creates the task (and runs the initializer), then answers the
 * chunks that arrive on its pipe until the pool closes the pipe or it has answered
 * {@code maxTasks} of them. Arguments: the pipe's end, the task class, the initializer class (or
 * an empty string), the most chunks (0 for no limit).
 */
public final class PoolWorker implements ProcessTarget
{
    /**
     * A worker looks whether the pool's process died once a second while it waits, not ten times:
     * an idle worker costs less, and it is a daemon, which the kernel ends with its parent anyway.
     */
    static final WaitStrategy WORKER_WAIT = WaitStrategy.defaultStrategy().withCounts(WaitStrategy.DEFAULT_SPINS,
        WaitStrategy.DEFAULT_YIELDS, TimeUnit.SECONDS.toNanos(1));

    @Override
    public void run(final TargetArgs args) throws Exception
    {
        final PoolTask<Object, Object> task = ShmPool.createTask(Class.forName(args.getString(1)));
        final String initializer = args.getString(2);
        if (!initializer.isEmpty())
        {
            ShmPool.create(Class.forName(initializer), Runnable.class).run();
        }
        final int maxTasks = args.getInt(3);
        try (Connection connection = args.open(0, Connection.class, WORKER_WAIT))
        {
            // Ready: this attaches the sending side, so that the pool learns of this process's death.
            connection.send(Wire.items(0, List.of()));
            long[] longs = new long[0];
            for (int done = 0; maxTasks == 0 || done < maxTasks; done++)
            {
                final byte[] request;
                try
                {
                    request = connection.receive();
                }
                catch (final ChannelClosedException poolClosedThePipe)
                {
                    return;
                }
                if (Wire.kind(request) == Wire.LONGS)
                {
                    final int count = Wire.longCount(request);
                    if (longs.length < count)
                    {
                        longs = new long[count];
                    }
                    if (connection.receiveLongs(longs, 0) != count)
                    {
                        throw new IllegalArgumentException("a chunk of " + count + " longs came with another count");
                    }
                    answerLongs(connection, task, Wire.id(request), longs, count);
                }
                else
                {
                    connection.send(answer(task, request));
                }
            }
        }
    }

    private static void answerLongs(final Connection connection, final PoolTask<Object, Object> task, final long id,
        final long[] longs, final int count) throws InterruptedException
    {
        try
        {
            final Object taskObject = task;
            if (!(taskObject instanceof LongTask longTask))
            {
                throw new IllegalArgumentException(task.getClass().getName() + " is not a LongTask: it takes no longs");
            }
            for (int i = 0; i < count; i++)
            {
                longs[i] = longTask.applyAsLong(longs[i]);
            }
        }
        catch (final Exception | Error ex)
        {
            connection.send(Wire.failed(id, ex));
            return;
        }
        connection.send(Wire.longsHeader(id, count));
        connection.sendLongs(longs, 0, count);
    }

    private static byte[] answer(final PoolTask<Object, Object> task, final byte[] request)
    {
        final long id = Wire.id(request);
        try
        {
            final List<byte[]> results = new ArrayList<>();
            for (final byte[] argument : Wire.items(request))
            {
                results.add(task.resultCodec().encode(task.apply(task.argumentCodec().decode(argument))));
            }
            return Wire.items(id, results);
        }
        catch (final Exception | Error ex)
        {
            return Wire.failed(id, ex);
        }
    }
}
