package io.shm.process;

import io.shm.ShmRuntime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A child JVM running a main class: Python's {@code multiprocessing.Process}, for Java.
 * <p>
 * The child runs with the parent's java binary and class path, and with the flags the library
 * needs ({@link ShmRuntime#REQUIRED_JVM_FLAGS}), so it can open the parent's segments by name.
 * Output is either inherited (it appears in the parent's console) or captured into a temporary
 * file, removed on {@link #close()}, so tests can wait for a line and print everything on failure.
 *
 * <pre>{@code
 * try (JvmProcess child = JvmProcess.builder(Worker.class).args("demo").captureOutput().start())
 * {
 *     child.awaitOutput(line -> line.equals("ready"), 10, TimeUnit.SECONDS);
 *     int exitCode = child.join(30, TimeUnit.SECONDS);
 * }
 * }</pre>
 * A child has a name ({@code Process-N} unless given one), which it reads as
 * {@link ProcessIdentity#name()}. A <b>daemon</b> child ({@link Builder#daemon()}) dies when this
 * process dies, however it dies (SIGKILL included): the kernel kills it ({@code PR_SET_PDEATHSIG}).
 * Closing a child that still runs kills it, and reports it on standard error unless it is a
 * daemon: a test never leaves a child behind. Children still running when this JVM exits are
 * killed if they are daemons, and otherwise reported and waited for, as Python does.
 */
public final class JvmProcess implements AutoCloseable
{
    private final Process process;
    private final String name;
    private final boolean daemon;
    private final String description;
    private final CapturedOutput output;

    private JvmProcess(
        final Process process, final String name, final boolean daemon, final String description, final Path outputFile)
    {
        this.process = process;
        this.name = name;
        this.daemon = daemon;
        this.description = description;
        this.output = new CapturedOutput(description, outputFile);
    }

    /**
     * @param mainClass the class whose {@code main} the child runs.
     * @return a builder for a child JVM.
     */
    public static Builder builder(final Class<?> mainClass)
    {
        return new Builder(mainClass.getName());
    }

    /**
     * @param mainClassName the fully qualified name of the class whose {@code main} the child runs.
     * @return a builder for a child JVM.
     */
    public static Builder builder(final String mainClassName)
    {
        return new Builder(mainClassName);
    }

    /**
     * Starts a child with captured output.
     *
     * @param mainClass the class to run.
     * @param args      its arguments.
     * @return the running child.
     */
    public static JvmProcess start(final Class<?> mainClass, final String... args)
    {
        return builder(mainClass).args(args).captureOutput().start();
    }

    /**
     * @return the children this process started that still run (Python's {@code active_children()}).
     */
    public static List<JvmProcess> activeChildren()
    {
        return Children.active();
    }

    /**
     * @return the number of CPUs of the machine that are online (Python's {@code cpu_count()}):
     *         those of the machine, not only those this process may run on.
     */
    public static int cpuCount()
    {
        return Posix.onlineCpus();
    }

    public long pid()
    {
        return process.pid();
    }

    /**
     * @return the child's name, which it reads as {@link ProcessIdentity#name()}.
     */
    public String name()
    {
        return name;
    }

    /**
     * @return whether the child dies with this process.
     */
    public boolean isDaemon()
    {
        return daemon;
    }

    public boolean isAlive()
    {
        return process.isAlive();
    }

    /**
     * @return the identity (pid and start time) of the child, as shared structures record it.
     */
    public ProcessIdentity identity()
    {
        return ProcessIdentity.of(process.pid()).orElseThrow(
            () -> new IllegalStateException(description + " is no longer running"));
    }

    /**
     * Waits for the child to exit.
     *
     * @param timeout how long to wait.
     * @param unit    the unit of {@code timeout}.
     * @return the exit code.
     * @throws TimeoutException     if the child still runs after the timeout (it is left running).
     * @throws InterruptedException if the calling thread is interrupted.
     */
    public int join(final long timeout, final TimeUnit unit) throws TimeoutException, InterruptedException
    {
        if (!process.waitFor(timeout, unit))
        {
            throw new TimeoutException(description + " still running after " + timeout + " " + unit + "\n" + output());
        }
        return process.exitValue();
    }

    /**
     * Waits for the child to exit, as long as it takes.
     *
     * @return the exit code.
     * @throws InterruptedException if the calling thread is interrupted.
     */
    public int join() throws InterruptedException
    {
        return process.waitFor();
    }

    /**
     * Waits at most {@code timeout} for the child to exit, as {@link Process#waitFor(long, TimeUnit)}.
     *
     * @return whether it has exited.
     * @throws InterruptedException if the calling thread is interrupted.
     */
    public boolean waitFor(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return process.waitFor(timeout, unit);
    }

    /**
     * @return the exit code: what the child passed to {@code exit}, or 128 + N when signal N
     *         ended it (as the JDK reports a death by signal; see {@link #terminatingSignal()}).
     * @throws IllegalThreadStateException if the child still runs (as {@link Process#exitValue()}).
     */
    public int exitCode()
    {
        return process.exitValue();
    }

    /**
     * @return the signal that ended the child (9 for SIGKILL, 15 for SIGTERM, ...), or empty if
     *         it exited by itself. The JDK reports a death by signal N as exit code 128 + N, so a
     *         child that itself exits with such a code reads the same.
     * @throws IllegalThreadStateException if the child still runs.
     */
    public OptionalInt terminatingSignal()
    {
        final int code = process.exitValue();
        return code > 128 && code <= 128 + 64 ? OptionalInt.of(code - 128) : OptionalInt.empty();
    }

    /**
     * Asks the child to stop (SIGTERM on POSIX); its shutdown hooks run.
     */
    public void terminate()
    {
        process.destroy();
    }

    /**
     * Kills the child at once (SIGKILL on POSIX); nothing of it runs afterwards.
     */
    public void kill()
    {
        process.destroyForcibly();
    }

    /**
     * Kills the child and waits until it is gone.
     *
     * @throws InterruptedException if interrupted while waiting.
     */
    public void killAndWait() throws InterruptedException
    {
        process.destroyForcibly().waitFor();
    }

    /**
     * Sends a POSIX signal with {@code kill(2)}.
     *
     * @param signal the signal's name, e.g. {@code STOP}, {@code CONT}, {@code TERM} (with or
     *               without {@code SIG}).
     * @throws IllegalArgumentException if the name is unknown.
     * @throws IllegalStateException    if the signal cannot be sent (the child is gone).
     */
    public void signal(final String signal)
    {
        signal(Posix.signalNumber(signal));
    }

    /**
     * Sends signal number {@code signal} with {@code kill(2)}.
     *
     * @throws IllegalStateException if the signal cannot be sent (the child is gone).
     */
    public void signal(final int signal)
    {
        Posix.sendSignal(pid(), signal);
    }

    /**
     * @return everything the child printed so far (standard output and error, merged), or a note
     * that output is not captured.
     */
    public String output()
    {
        return output.text();
    }

    /**
     * @return the lines the child printed so far.
     */
    public List<String> lines()
    {
        return output.lines();
    }

    /**
     * Waits until the child prints a line that matches.
     *
     * @param match   the test for a line.
     * @param timeout how long to wait.
     * @param unit    the unit of {@code timeout}.
     * @return the first matching line.
     * @throws TimeoutException     if no line matched in time, or the child exited first; the
     *                              message holds the child's output.
     * @throws InterruptedException if interrupted while waiting.
     */
    public String awaitOutput(final Predicate<String> match, final long timeout, final TimeUnit unit)
        throws TimeoutException, InterruptedException
    {
        return output.await(process, match, timeout, unit);
    }

    /**
     * Kills the child if it still runs (reporting it on standard error unless it is a daemon) and
     * waits for it.
     */
    @Override
    public void close()
    {
        Children.remove(this);
        if (process.isAlive())
        {
            if (!daemon)
            {
                System.err.println(description + " was still running when it was closed: killed");
            }
            process.destroyForcibly();
        }
        try
        {
            process.waitFor(30, TimeUnit.SECONDS);
            output.delete();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot remove the output file of " + description, ex);
        }
    }

    @Override
    public String toString()
    {
        return description;
    }

    /**
     * Options of a child JVM. Defaults: the parent's java binary and class path, the library's
     * required flags, output inherited.
     */
    public static final class Builder
    {
        private static final Path TASKSET = Path.of("/usr/bin/taskset");

        private final String mainClassName;
        private String name;
        private boolean daemon;
        private final List<String> jvmArgs = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private boolean capture;
        private boolean requiredFlags = true;
        private int cpu = -1;
        private Path javaHome = Path.of(System.getProperty("java.home"));
        private String classPath = System.getProperty("java.class.path");

        private Builder(final String mainClassName)
        {
            this.mainClassName = mainClassName;
        }

        /**
         * @param jvmArgs extra JVM options, e.g. {@code -Xmx64m}.
         * @return this builder.
         */
        public Builder jvmArgs(final String... jvmArgs)
        {
            this.jvmArgs.addAll(List.of(jvmArgs));
            return this;
        }

        /**
         * @param name the child's name (default {@code Process-N}), which it reads as
         *             {@link ProcessIdentity#name()}.
         * @return this builder.
         */
        public Builder name(final String name)
        {
            if (name.isBlank())
            {
                throw new IllegalArgumentException("a process name must not be blank");
            }
            this.name = name;
            return this;
        }

        /**
         * Makes the child a daemon: the kernel kills it when this process dies, however this
         * process dies (SIGKILL included), and it is killed when this JVM exits.
         *
         * @return this builder.
         */
        public Builder daemon()
        {
            this.daemon = true;
            return this;
        }

        /**
         * @param args the arguments passed to {@code main}.
         * @return this builder.
         */
        public Builder args(final String... args)
        {
            this.args.addAll(List.of(args));
            return this;
        }

        /**
         * Keeps the child's standard output and error (merged) instead of inheriting them.
         *
         * @return this builder.
         */
        public Builder captureOutput()
        {
            this.capture = true;
            return this;
        }

        /**
         * Leaves out {@link ShmRuntime#REQUIRED_JVM_FLAGS}: the child then cannot map segments, and
         * says so. Only tests of that message need this.
         *
         * @return this builder.
         */
        public Builder withoutRequiredFlags()
        {
            this.requiredFlags = false;
            return this;
        }

        /**
         * Runs the child on one CPU ({@code taskset -c cpu}) where {@code taskset} exists and the
         * machine has more than one CPU; otherwise the child runs unpinned.
         *
         * @param cpu the CPU, taken modulo the number of CPUs; a negative one leaves the child unpinned.
         * @return this builder.
         */
        public Builder pinnedTo(final int cpu)
        {
            this.cpu = cpu;
            return this;
        }

        /**
         * @param classPath the class path of the child, instead of the parent's.
         * @return this builder.
         */
        public Builder classPath(final String classPath)
        {
            this.classPath = classPath;
            return this;
        }

        /**
         * @param javaHome the JDK whose {@code bin/java} runs the child, instead of the parent's.
         * @return this builder.
         */
        public Builder javaHome(final Path javaHome)
        {
            this.javaHome = javaHome;
            return this;
        }

        /**
         * @return the command line the child would be started with.
         */
        public List<String> command()
        {
            final List<String> command = new ArrayList<>();
            final int cpus = Runtime.getRuntime().availableProcessors();
            if (cpu >= 0 && cpus > 1 && Files.isExecutable(TASKSET))
            {
                command.addAll(List.of(TASKSET.toString(), "-c", Integer.toString(cpu % cpus)));
            }
            command.add(javaHome.resolve("bin").resolve("java").toString());
            if (requiredFlags)
            {
                command.addAll(ShmRuntime.REQUIRED_JVM_FLAGS);
            }
            command.addAll(jvmArgs);
            if (name == null)
            {
                name = Children.nextName();
            }
            command.add("-D" + ProcessIdentity.NAME_PROPERTY + "=" + name);
            if (daemon)
            {
                command.add("-D" + ChildMain.DAEMON_PARENT_PROPERTY + "=" + ProcessHandle.current().pid());
            }
            command.add("-cp");
            command.add(classPath);
            if (daemon)
            {
                command.add(ChildMain.class.getName());
            }
            command.add(mainClassName);
            command.addAll(args);
            return command;
        }

        /**
         * Starts the child.
         *
         * @return the running child.
         * @throws UncheckedIOException if the JVM cannot be started.
         */
        public JvmProcess start()
        {
            final ProcessBuilder builder = new ProcessBuilder(command()).inheritIO();
            Path outputFile = null;
            try
            {
                if (capture)
                {
                    // A file, not a pipe: nothing is lost when the child exits, and a child that prints
                    // much never blocks on a full pipe.
                    outputFile = Files.createTempFile("jvm-process-", ".out");
                    // close() removes it; this catches a process nobody closed.
                    outputFile.toFile().deleteOnExit();
                    builder.redirectErrorStream(true).redirectOutput(outputFile.toFile());
                }
                final Process process = daemon ? Children.startFromLauncher(builder) : builder.start();
                final String simpleName = mainClassName.substring(mainClassName.lastIndexOf('.') + 1);
                final JvmProcess child = new JvmProcess(process, name, daemon, "child JVM " + name + " " +
                    simpleName + " " + String.join(" ", args) + " (pid " + process.pid() + ")", outputFile);
                Children.add(child);
                return child;
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot start a JVM for " + mainClassName, ex);
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException("cannot start a JVM for " + mainClassName, ex);
            }
        }
    }
}
