package io.shm.process;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * The first code of a daemon child JVM: it asks the kernel to kill this process when its parent
 * dies, checks that the parent had not died already, then runs the real main class:
 * {@code ChildMain MAIN_CLASS ARGS...}. {@link JvmProcess} starts daemon children through it.
 */
public final class ChildMain
{
    /**
     * The system property that names the parent's pid for a daemon child.
     */
    static final String DAEMON_PARENT_PROPERTY = "shm.process.daemonParent";

    /**
     * Exit code of a daemon child whose parent had died before it could ask to die with it.
     */
    static final int ORPHANED = 129;

    private ChildMain()
    {
    }

    public static void main(final String[] args) throws Throwable
    {
        if (args.length == 0)
        {
            throw new IllegalArgumentException("usage: ChildMain MAIN_CLASS [ARGS...]");
        }
        final String parent = System.getProperty(DAEMON_PARENT_PROPERTY);
        if (parent != null)
        {
            dieWithParent(Long.parseLong(parent));
        }
        final Method main = Class.forName(args[0]).getMethod("main", String[].class);
        try
        {
            main.invoke(null, (Object)Arrays.copyOfRange(args, 1, args.length));
        }
        catch (final InvocationTargetException ex)
        {
            throw ex.getCause();
        }
    }

    /**
     * Dies with {@code parentPid}: SIGKILL from the kernel when it exits, however it exits. The
     * parent may have died between starting this process and this call, in which case no signal
     * will come: the parent pid is then no longer this process's parent, and it exits at once.
     */
    private static void dieWithParent(final long parentPid)
    {
        if (Posix.isAvailable())
        {
            Posix.dieWithParent();
        }
        else
        {
            watchParent(parentPid);
        }
        if (Posix.parentPid() != parentPid)
        {
            System.err.println("parent process " + parentPid + " died before this daemon child started: exiting");
            Runtime.getRuntime().halt(ORPHANED);
        }
    }

    /**
     * Where the kernel cannot be asked: a thread that halts this process once its parent is gone.
     */
    private static void watchParent(final long parentPid)
    {
        final Thread watcher = new Thread(() ->
        {
            while (Posix.parentPid() == parentPid)
            {
                try
                {
                    Thread.sleep(100);
                }
                catch (final InterruptedException ex)
                {
                    return;
                }
            }
            Runtime.getRuntime().halt(ORPHANED);
        }, "shm-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}
