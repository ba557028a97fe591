package io.shm.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * What a child JVM prints, captured into a file (or not captured at all, when the file is null):
 * a file rather than a pipe, so nothing is lost when the child exits and a child that prints much
 * never blocks on a full pipe.
 */
final class CapturedOutput
{
    private static final long POLL_MILLIS = 2;

    private final String description;
    private final Path file;

    CapturedOutput(final String description, final Path file)
    {
        this.description = description;
        this.file = file;
    }

    String text()
    {
        if (file == null)
        {
            return "(output of " + description + " is not captured)";
        }
        try
        {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return "(output of " + description + " could not be read: " + ex + ")";
        }
    }

    List<String> lines()
    {
        final String text = text();
        return text.isEmpty() ? List.of() : Arrays.asList(text.split("\n"));
    }

    String await(final Process process, final Predicate<String> match, final long timeout, final TimeUnit unit)
        throws TimeoutException, InterruptedException
    {
        if (file == null)
        {
            throw new IllegalStateException("output of " + description + " is not captured");
        }
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (true)
        {
            // Read the exit state first: output printed before exit is then already in the file.
            final boolean exited = !process.isAlive();
            for (final String line : lines())
            {
                if (match.test(line))
                {
                    return line;
                }
            }
            if (exited || System.nanoTime() - deadline > 0)
            {
                throw new TimeoutException("no expected line from " + description +
                    (exited ? " (it has exited with " + process.exitValue() + ")" : " within " + timeout + " " + unit) +
                    "; its output:\n" + text());
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    void delete() throws IOException
    {
        if (file != null)
        {
            Files.deleteIfExists(file);
        }
    }
}
