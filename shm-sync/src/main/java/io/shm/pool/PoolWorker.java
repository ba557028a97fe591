package io.shm.pool;

import io.shm.channel.Connection;
import io.shm.exceptions.ChannelClosedException;
import io.shm.launch.ProcessTarget;
import io.shm.launch.TargetArgs;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A worker JVM of a {@link ShmPool}: creates the task (and runs the initializer), then answers the
 * chunks that arrive on its pipe until the pool closes the pipe or it has answered
 * {@code maxTasks} of them. Arguments: the pipe's end, the task class, the initializer class (or
 * an empty string), the most chunks (0 for no limit).
 */
public final class PoolWorker implements ProcessTarget
{
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
        try (Connection connection = args.open(0, Connection.class))
        {
            // Ready: this attaches the sending side, so that the pool learns of this process's death.
            connection.send(new Wire.Reply(0, true, Wire.frame(java.util.List.of()), null, null, null), Wire.REPLIES);
            for (int done = 0; maxTasks == 0 || done < maxTasks; done++)
            {
                final Wire.Request request;
                try
                {
                    request = connection.receive(Wire.REQUESTS);
                }
                catch (final ChannelClosedException poolClosedThePipe)
                {
                    return;
                }
                connection.send(answer(task, request), Wire.REPLIES);
            }
        }
    }

    private static Wire.Reply answer(final PoolTask<Object, Object> task, final Wire.Request request)
    {
        try
        {
            final List<byte[]> results = new ArrayList<>();
            for (final byte[] argument : Wire.unframe(request.arguments()))
            {
                results.add(task.resultCodec().encode(task.apply(task.argumentCodec().decode(argument))));
            }
            return new Wire.Reply(request.id(), true, Wire.frame(results), null, null, null);
        }
        catch (final Exception | Error ex)
        {
            final StringWriter trace = new StringWriter();
            ex.printStackTrace(new PrintWriter(trace));
            return new Wire.Reply(request.id(), false, null, ex.getClass().getName(), String.valueOf(ex.getMessage()),
                trace.toString());
        }
    }
}
