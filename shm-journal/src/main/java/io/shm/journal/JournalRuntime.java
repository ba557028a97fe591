package io.shm.journal;

import io.shm.exceptions.MissingJvmFlagException;

import java.util.List;

/**
 * What Chronicle Queue needs of a Java 17 JVM, and the check that it has it. Without the opening
 * of {@code java.base/sun.nio.ch} Chronicle Queue silently opens a queue read-only; without the
 * others it fails deep inside. {@link #checkJvmFlags()} runs before any queue is opened and names
 * the exact flag that is missing.
 */
public final class JournalRuntime
{
    /**
     * The flags, besides shm's own ({@code io.shm.ShmRuntime.REQUIRED_JVM_FLAGS}), for every JVM that
     * records or replays (give them to {@code JvmProcess.builder(...).jvmArgs(...)} for a child).
     */
    public static final List<String> JVM_FLAGS = List.of(
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
        "-Dchronicle.analytics.disable=true",
        "-Dchronicle.announcer.disable=true");

    private JournalRuntime()
    {
    }

    /**
     * @throws MissingJvmFlagException naming the first flag this JVM lacks.
     */
    public static void checkJvmFlags()
    {
        final Module base = Object.class.getModule();
        final Module us = JournalRuntime.class.getModule();
        require(base.isOpen("sun.nio.ch", us), "--add-opens java.base/sun.nio.ch=ALL-UNNAMED",
            "without it Chronicle Queue opens queues read-only");
        require(base.isOpen("java.lang.reflect", us), "--add-opens java.base/java.lang.reflect=ALL-UNNAMED", "");
        require(base.isExported("jdk.internal.ref", us), "--add-exports java.base/jdk.internal.ref=ALL-UNNAMED", "");
        require("true".equals(System.getProperty("chronicle.analytics.disable")), "-Dchronicle.analytics.disable=true",
            "without it Chronicle libraries may try to send usage data");
    }

    private static void require(final boolean present, final String flag, final String why)
    {
        if (!present)
        {
            throw new MissingJvmFlagException("this JVM was started without " + flag + ", which the journal " +
                "(Chronicle Queue) needs on Java 17" + (why.isEmpty() ? "" : ": " + why) + "; add it to the java " +
                "command line (all of them: JournalRuntime.JVM_FLAGS)");
        }
    }
}
