package io.shm.bridge;

import io.shm.exceptions.MissingJvmFlagException;

import java.util.List;

/**
 * What Aeron's media driver needs of a Java 17 JVM, and the check that it has it.
 */
public final class BridgeRuntime
{
    /**
     * The flags, besides shm's own, for every JVM that runs a bridge or a media driver.
     */
    public static final List<String> JVM_FLAGS = List.of(
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens=java.base/java.util.zip=ALL-UNNAMED");

    private BridgeRuntime()
    {
    }

    /**
     * @throws MissingJvmFlagException naming the first flag this JVM lacks.
     */
    public static void checkJvmFlags()
    {
        final Module base = Object.class.getModule();
        final Module us = BridgeRuntime.class.getModule();
        if (!base.isOpen("sun.nio.ch", us))
        {
            throw new MissingJvmFlagException("this JVM was started without --add-opens java.base/sun.nio.ch=ALL-UNNAMED, " +
                "which Aeron's media driver needs on Java 17 to poll its sockets; add it to the java command line (all " +
                "of them: BridgeRuntime.JVM_FLAGS)");
        }
    }
}
