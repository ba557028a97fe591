package io.shm.perf.xproc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a peer that is not a JVM (the C reference, Python) and returns what it printed.
 */
final class External
{
    private External()
    {
    }

    /**
     * @param command the command line.
     * @param timeout the longest run, in seconds; the peer is killed after it.
     * @return its standard output and error, as lines.
     * @throws IllegalStateException if it fails or times out; the message holds its output.
     */
    static List<String> run(final List<String> command, final long timeout) throws IOException, InterruptedException
    {
        final Path output = Files.createTempFile("perf-peer-", ".out");
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(timeout, TimeUnit.SECONDS))
            {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException(String.join(" ", command) + " timed out after " + timeout + " s:\n" +
                    Files.readString(output));
            }
            final List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0)
            {
                throw new IllegalStateException(String.join(" ", command) + " failed with " + process.exitValue() + ":\n" +
                    String.join("\n", lines));
            }
            return lines;
        }
        finally
        {
            Files.deleteIfExists(output);
        }
    }
}
