package io.shm.launch;

import io.shm.process.JvmProcess;

/**
 * What a child process runs: Python's {@code Process(target=f, args=(...))}, for Java. A target
 * is a class with a public no-argument constructor (a lambda cannot cross a process boundary);
 * the child creates one and calls {@link #run(TargetArgs)} with the arguments the parent gave:
 * shared objects, reopened in the child by their handles, and plain values.
 * <pre>{@code
 * public final class Worker implements ProcessTarget
 * {
 *     public void run(TargetArgs args) throws Exception
 *     {
 *         LongValue counter = args.open(0, LongValue.class);
 *         ShmLock lock = args.open(1, ShmLock.class);
 *         for (int i = 0; i < args.getInt(2); i++) ...
 *     }
 * }
 *
 * try (JvmProcess child = ProcessTarget.builder(Worker.class, counter, lock, 1000).start())
 * {
 *     child.join();
 * }
 * }</pre>
 * The child exits with 0 when {@code run} returns, and with 1 (after printing the stack trace)
 * when it throws.
 */
@FunctionalInterface
public interface ProcessTarget
{
    /**
     * Runs in the child process.
     *
     * @param args the arguments the parent gave, in order.
     * @throws Exception anything: the child then exits with 1.
     */
    void run(TargetArgs args) throws Exception;

    /**
     * A child JVM that runs {@code target} with {@code args}; set its name, daemon flag or output
     * on the builder, then start it.
     *
     * @param target the target class: public, with a public no-argument constructor.
     * @param args   each a shared object ({@link io.shm.segment.Shared}), an
     *               {@link io.shm.segment.ObjectHandle}, a {@code String}, an {@code Integer},
     *               {@code Long}, {@code Double}, {@code Boolean}, or a {@code byte[]} (for
     *               anything else, encoded by a {@link io.shm.codec.Codec}).
     * @return the builder.
     * @throws IllegalArgumentException if the target cannot be created by the child, or an
     *                                  argument is of another kind.
     */
    static JvmProcess.Builder builder(final Class<? extends ProcessTarget> target, final Object... args)
    {
        return JvmProcess.builder(TargetMain.class).args(TargetMain.commandLine(target, args));
    }

    /**
     * Starts a child JVM that runs {@code target} with {@code args}, its output inherited.
     *
     * @return the running child.
     * @see #builder(Class, Object...)
     */
    static JvmProcess start(final Class<? extends ProcessTarget> target, final Object... args)
    {
        return builder(target, args).start();
    }
}
