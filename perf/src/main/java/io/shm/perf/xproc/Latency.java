package io.shm.perf.xproc;

import org.HdrHistogram.Histogram;

/**
 * Latency percentiles as the RESULT line of a measuring process.
 */
final class Latency
{
    private Latency()
    {
    }

    static String resultLine(final String system, final Histogram histogram)
    {
        return Results.line("system", system, "count", histogram.getTotalCount(),
            "p50", histogram.getValueAtPercentile(50), "p99", histogram.getValueAtPercentile(99),
            "p999", histogram.getValueAtPercentile(99.9), "max", histogram.getMaxValue(), "cpu_ns", Results.cpuNanos());
    }
}
