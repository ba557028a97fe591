package io.shm.perf.xproc;

import java.util.ArrayList;
import java.util.List;

/**
 * A Markdown table of one workload: rows are systems, the last column the ratio of ours to each.
 */
final class Table
{
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    Table(final String... header)
    {
        this.header = List.of(header);
    }

    void row(final Object... cells)
    {
        final List<String> row = new ArrayList<>();
        for (final Object cell : cells)
        {
            row.add(String.valueOf(cell));
        }
        rows.add(row);
    }

    void note(final String note)
    {
        notes.add(note);
    }

    String markdown()
    {
        final StringBuilder out = new StringBuilder();
        out.append("| ").append(String.join(" | ", header)).append(" |\n");
        out.append("|").append("---|".repeat(header.size())).append('\n');
        for (final List<String> row : rows)
        {
            out.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        for (final String note : notes)
        {
            out.append('\n').append(note).append('\n');
        }
        return out.toString();
    }

    static String ratio(final double ours, final double theirs)
    {
        return theirs > 0 ? String.format("%.2f", ours / theirs) : "-";
    }

    static String micros(final double nanos)
    {
        return nanos >= 100_000 ? String.format("%.0f", nanos / 1000) : String.format("%.2f", nanos / 1000);
    }
}
