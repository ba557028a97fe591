package io.shm.perf.xproc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The "RESULT key=value ..." lines every measuring process prints, the C reference and Python
 * peers included, read back as maps.
 */
final class Results
{
    static final String PREFIX = "RESULT ";

    private Results()
    {
    }

    /**
     * @param lines the output of a process.
     * @return the fields of its RESULT lines, in order.
     */
    static List<Map<String, String>> parse(final List<String> lines)
    {
        return lines.stream().filter(line -> line.startsWith(PREFIX)).map(Results::fields).toList();
    }

    /**
     * @param lines the output of a process.
     * @return the fields of its one RESULT line.
     * @throws IllegalStateException if it printed none.
     */
    static Map<String, String> single(final List<String> lines)
    {
        final List<Map<String, String>> results = parse(lines);
        if (results.isEmpty())
        {
            throw new IllegalStateException("no RESULT line in:\n" + String.join("\n", lines));
        }
        return results.get(results.size() - 1);
    }

    /**
     * @return the CPU time this JVM has used, in nanoseconds.
     */
    static long cpuNanos()
    {
        return ((com.sun.management.OperatingSystemMXBean)java.lang.management.ManagementFactory
            .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * @param results the RESULT lines of the processes of one measurement.
     * @return the CPU time they report, summed, in seconds; -1 if none reports it.
     */
    static double cpuSeconds(final List<Map<String, String>> results)
    {
        double total = 0;
        boolean any = false;
        for (final Map<String, String> result : results)
        {
            final String cpu = result.get("cpu_ns");
            if (cpu != null)
            {
                total += Long.parseLong(cpu) / 1e9;
                any = true;
            }
        }
        return any ? total : -1;
    }

    static String line(final Object... keysAndValues)
    {
        final StringBuilder line = new StringBuilder(PREFIX);
        for (int i = 0; i < keysAndValues.length; i += 2)
        {
            line.append(i == 0 ? "" : " ").append(keysAndValues[i]).append('=').append(keysAndValues[i + 1]);
        }
        return line.toString();
    }

    private static Map<String, String> fields(final String line)
    {
        final Map<String, String> fields = new LinkedHashMap<>();
        for (final String field : line.substring(PREFIX.length()).trim().split("\\s+"))
        {
            final int equals = field.indexOf('=');
            fields.put(field.substring(0, equals), field.substring(equals + 1));
        }
        return fields;
    }
}
