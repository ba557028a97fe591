package io.shm.examples;

import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an example by name, lists them, or runs the short tour of {@code scripts/demo.sh}.
 * <pre>
 * Examples --list | Examples NAME | Examples --tour
 * </pre>
 */
public final class Examples
{
    /**
     * Each example: its name, its class, and the Python construct it ports.
     */
    static final Map<String, Entry> ALL = new LinkedHashMap<>();

    static
    {
        add("float-channel", FloatChannelExample.class, "FloatChannel (RawArray + 2 Semaphores) -> ring-buffer channel");
        add("counter", CounterExample.class, "Value with and without Lock: increment/decrement");
        add("rlock-box", RLockBoxExample.class, "RLock: the reentrant Box");
        add("semaphore", SemaphoreExample.class, "Semaphore: producer/consumer through a shared value");
        add("condition", ConditionBufferExample.class, "Condition: bounded buffer of 10");
        add("event", EventExample.class, "Event: set 5 times, cleared by the waiter");
        add("barrier", BarrierExample.class, "Barrier: 3 processes meet");
        add("joinable-queue", JoinableQueueExample.class, "JoinableQueue: task_done and join");
        add("pipe", PipeExample.class, "Pipe: producer/consumer with EOFError, and the echo server");
        add("process-clock", ProcessClockExample.class, "Process: a clock child, terminated after 3 s");
        add("value-array", SharedValueAndArray.class, "Value('d') and Array('i', range(10)) changed by a child");
        add("robust-lock", RobustLockExample.class, "(not in Python) a lock whose holder is killed");
        add("with-lock", WithLockExample.class, "with lock: / acquire-try-finally for Lock, RLock, Condition, Semaphore");
        add("queue-consumers", QueueConsumersExample.class, "Queue with 3 consumers, task_done and join");
        add("process-names", ProcessNamesExample.class, "Process(target, args), current_process().name");
        add("queue-basics", QueueBasicsExample.class, "Queue handed to a child: put([11, 'hello', True]), qsize, get");
        add("pipe-hello", PipeHelloExample.class, "Pipe: 'hello world' and 'hi son' both ways");
        add("pool", PoolExample.class, "Pool(5): apply, apply_async, close, join; map with 1 and 2 workers");
        add("listener-client", ListenerClientExample.class, "connection.Listener/Client: authenticated echo of x + y");
        add("manager", ManagerExample.class, "Manager().list([11, 22, 33]) and .dict({'name': 'bob'}) changed by 5 processes each");
        add("remote-feed", RemoteFeedExample.class, "(not in Python) a feed bridged to another host over Aeron; a late reader replays its journal, then goes on live");
        add("broadcast-feed", BroadcastFeedExample.class, "(not in Python) a feed read by 3 processes; connection.wait on their reports");
        add("market-data", MarketDataExample.class, "(not in Python) a lossy feed that never waits, a fast reader and a slow one told exactly what it lost");
    }

    /**
     * @param type       the example's class.
     * @param ports      what it ports.
     */
    record Entry(Class<?> type, String ports)
    {
    }

    private Examples()
    {
    }

    private static void add(final String name, final Class<?> type, final String ports)
    {
        ALL.put(name, new Entry(type, ports));
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length == 0 || args[0].equals("--list"))
        {
            ALL.forEach((name, entry) -> System.out.printf("%-16s %s%n", name, entry.ports()));
            return;
        }
        if (args[0].equals("--tour"))
        {
            for (final String name : List.of("float-channel", "robust-lock", "counter"))
            {
                System.out.println("=== " + name + ": " + ALL.get(name).ports());
                run(name);
                System.out.println();
            }
            return;
        }
        run(args[0]);
    }

    private static void run(final String name) throws Exception
    {
        final Entry entry = ALL.get(name);
        if (entry == null)
        {
            System.err.println("no example named '" + name + "'; try --list");
            System.exit(2);
        }
        final Method main = entry.type().getMethod("main", String[].class);
        main.invoke(null, (Object)new String[0]);
    }
}
