package io.shm;

import io.shm.exceptions.MissingJvmFlagException;

import java.util.List;

/**
 * What the library needs of the JVM it runs in.
 * <p>
 * Agrona 2.x reaches {@code jdk.internal.misc.Unsafe}, which the JVM hides unless the package is
 * opened. A JVM started without the flag would fail deep inside Agrona with an
 * {@code IllegalAccessError}; {@link #checkJvmFlags()} turns that into an exception that says
 * which flag to add. Segments call it before the first access to shared memory.
 */
public final class ShmRuntime
{
    /**
     * The JVM options every process that maps a segment must be started with.
     */
    public static final List<String> REQUIRED_JVM_FLAGS =
        List.of("--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED");

    private static final boolean FLAGS_PRESENT =
        Object.class.getModule().isOpen("jdk.internal.misc", ShmRuntime.class.getModule());

    private ShmRuntime()
    {
    }

    /**
     * @throws MissingJvmFlagException if the JVM lacks a required flag; the message gives it.
     */
    public static void checkJvmFlags()
    {
        if (!FLAGS_PRESENT)
        {
            throw new MissingJvmFlagException(
                "this JVM was started without --add-opens java.base/jdk.internal.misc=ALL-UNNAMED, " +
                "which shm needs (Agrona 2.x uses jdk.internal.misc.Unsafe); add exactly that option to " +
                "the java command line (or to JDK_JAVA_OPTIONS)");
        }
    }
}
