package io.shm.process;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The child JVMs this process started and has not closed, as Python's {@code multiprocessing}
 * keeps them: their default names ({@code Process-N}), the thread daemon children are started
 * from, and what happens to those still running when this JVM exits (daemon children are killed;
 * the others are reported and waited for, as Python joins non-daemonic children at exit).
 */
final class Children
{
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Set<JvmProcess> RUNNING = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger HOOKED = new AtomicInteger();

    /**
     * The kernel kills a daemon child when the thread that started it ends, not only the process:
     * so daemon children are started from one thread that lives as long as this JVM.
     */
    private static final ExecutorService LAUNCHER = Executors.newSingleThreadExecutor(task ->
    {
        final Thread thread = new Thread(task, "shm-daemon-child-launcher");
        thread.setDaemon(true);
        return thread;
    });

    private Children()
    {
    }

    /**
     * @return the next default name: {@code Process-1}, {@code Process-2}, ...
     */
    static String nextName()
    {
        return "Process-" + COUNTER.incrementAndGet();
    }

    /**
     * Starts a daemon child from the launcher thread.
     */
    static Process startFromLauncher(final ProcessBuilder builder) throws Exception
    {
        final Future<Process> started = LAUNCHER.submit(builder::start);
        try
        {
            return started.get();
        }
        catch (final java.util.concurrent.ExecutionException ex)
        {
            throw ex.getCause() instanceof Exception cause ? cause : ex;
        }
    }

    static void add(final JvmProcess child)
    {
        if (HOOKED.getAndSet(1) == 0)
        {
            Runtime.getRuntime().addShutdownHook(new Thread(Children::atExit, "shm-children-at-exit"));
        }
        RUNNING.add(child);
    }

    static void remove(final JvmProcess child)
    {
        RUNNING.remove(child);
    }

    /**
     * @return the children started here that still run; those that ended are forgotten.
     */
    static List<JvmProcess> active()
    {
        final List<JvmProcess> active = new ArrayList<>();
        for (final JvmProcess child : RUNNING)
        {
            if (child.isAlive())
            {
                active.add(child);
            }
            else
            {
                RUNNING.remove(child);
            }
        }
        return active;
    }

    private static void atExit()
    {
        for (final JvmProcess child : active())
        {
            if (child.isDaemon())
            {
                child.kill();
            }
        }
        for (final JvmProcess child : active())
        {
            System.err.println("waiting for " + child + ", still running as this JVM exits (not a daemon)");
            try
            {
                child.join();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
