package io.shm.perf.xproc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A one-line description of the machine, for result tables.
 */
final class Machine
{
    private Machine()
    {
    }

    static String describe()
    {
        String cpu = System.getProperty("os.arch");
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
            {
                if (line.startsWith("model name"))
                {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        }
        catch (final IOException ex)
        {
            cpu = cpu + " (no /proc/cpuinfo: " + ex.getMessage() + ")";
        }
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, " + System.getProperty("os.name") + " " +
            System.getProperty("os.version") + ", Java " + System.getProperty("java.version");
    }
}
