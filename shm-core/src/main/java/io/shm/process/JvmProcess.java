package io.shm.process;

import io.shm.ShmRuntime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A child JVM running a main class: Python's {@code multiprocessing.Process}, for Java.
 * <p>
 * The child runs with the parent's java binary and class path, and with the flags the library
 * needs ({@link ShmRuntime#REQUIRED_JVM_FLAGS}), so it can open the parent's segments by name.
 * Output is either inherited (it appears in the parent's console) or captured: captured output is
 * read by a daemon thread and kept, so tests can wait for a line and print everything on failure.
 *
 * <pre>{@code
 * try (JvmProcess child = JvmProcess.builder(Worker.class).args("demo").captureOutput().start())
 * {
 *     child.awaitOutput(line -> line.equals("ready"), 10, TimeUnit.SECONDS);
 *     int exitCode = child.join(30, TimeUnit.SECONDS);
 * }
 * }</pre>
 * Closing a process that still runs kills it: a test never leaves a child behind.
 */
public final class JvmProcess implements AutoCloseable
{
    private final Process process;
    private final String description;
    private final StringBuilder output;
    private final Thread pump;

    private JvmProcess(final Process process, final String description, final boolean capture)
    {
        this.process = process;
        this.description = description;
        if (capture)
        {
            output = new StringBuilder();
            pump = new Thread(() -> pump(process.getInputStream()), "output of " + description);
            pump.setDaemon(true);
            pump.start();
        }
        else
        {
            output = null;
            pump = null;
        }
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

    public long pid()
    {
        return process.pid();
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
        if (pump != null)
        {
            pump.join(TimeUnit.SECONDS.toMillis(5));
        }
        return process.exitValue();
    }

    /**
     * @return the exit code.
     * @throws IllegalStateException if the child still runs.
     */
    public int exitCode()
    {
        return process.exitValue();
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
     * Sends a POSIX signal, e.g. {@code STOP} or {@code CONT}, with the system's {@code kill} command.
     *
     * @param signal the signal name without the {@code SIG} prefix.
     */
    public void signal(final String signal)
    {
        try
        {
            final Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0)
            {
                throw new IllegalStateException("kill -" + signal + " " + pid() + " failed");
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + description, ex);
        }
    }

    /**
     * @return everything the child printed so far (standard output and error, merged), or a note
     * that output is not captured.
     */
    public String output()
    {
        if (output == null)
        {
            return "(output of " + description + " is not captured)";
        }
        synchronized (output)
        {
            return output.toString();
        }
    }

    /**
     * @return the lines the child printed so far.
     */
    public List<String> lines()
    {
        final String text = output();
        return text.isEmpty() ? List.of() : Arrays.asList(text.split("\n"));
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
        if (output == null)
        {
            throw new IllegalStateException("output of " + description + " is not captured");
        }
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (output)
        {
            while (true)
            {
                for (final String line : output.toString().split("\n"))
                {
                    if (match.test(line))
                    {
                        return line;
                    }
                }
                final long left = deadline - System.nanoTime();
                if (left <= 0 || (!pump.isAlive()))
                {
                    throw new TimeoutException(
                        "no expected line from " + description + (pump.isAlive() ? "" : " (it has exited)") +
                        "; its output:\n" + output);
                }
                TimeUnit.NANOSECONDS.timedWait(output, left);
            }
        }
    }

    /**
     * Kills the child if it still runs and waits for it.
     */
    @Override
    public void close()
    {
        if (process.isAlive())
        {
            process.destroyForcibly();
        }
        try
        {
            process.waitFor(30, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString()
    {
        return description;
    }

    private void pump(final InputStream in)
    {
        final byte[] chunk = new byte[8192];
        try (in)
        {
            int read;
            while ((read = in.read(chunk)) >= 0)
            {
                synchronized (output)
                {
                    output.append(new String(chunk, 0, read, StandardCharsets.UTF_8));
                    output.notifyAll();
                }
            }
        }
        catch (final IOException ex)
        {
            synchronized (output)
            {
                output.append("\n[output of ").append(description).append(" lost: ").append(ex).append("]\n");
            }
        }
        finally
        {
            synchronized (output)
            {
                output.notifyAll();
            }
        }
    }

    /**
     * Options of a child JVM. Defaults: the parent's java binary and class path, the library's
     * required flags, output inherited.
     */
    public static final class Builder
    {
        private final String mainClassName;
        private final List<String> jvmArgs = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private boolean capture;
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
            command.add(javaHome.resolve("bin").resolve("java").toString());
            command.addAll(ShmRuntime.REQUIRED_JVM_FLAGS);
            command.addAll(jvmArgs);
            command.add("-cp");
            command.add(classPath);
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
            final ProcessBuilder builder = new ProcessBuilder(command());
            if (capture)
            {
                builder.redirectErrorStream(true);
            }
            else
            {
                builder.inheritIO();
            }
            try
            {
                final Process process = builder.start();
                final String simpleName = mainClassName.substring(mainClassName.lastIndexOf('.') + 1);
                return new JvmProcess(process, "child JVM " + simpleName + " " + String.join(" ", args) +
                    " (pid " + process.pid() + ")", capture);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot start a JVM for " + mainClassName, ex);
            }
        }
    }
}
