package io.shm.perf.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Small SVG charts for the results page: latency by percentile on a log scale, and bars.
 */
public final class Svg
{
    private static final int WIDTH = 720;
    private static final int HEIGHT = 400;
    private static final int LEFT = 90;
    private static final int RIGHT = 230;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;
    private static final String[] COLOURS = {
        "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666", "#1f78b4"};

    private Svg()
    {
    }

    /**
     * @param title       the chart's title.
     * @param percentiles the x labels, e.g. "50", "99", "99.9", "max".
     * @param series      per system, its latency in nanoseconds at each percentile.
     * @return an SVG document.
     */
    public static String latency(final String title, final List<String> percentiles, final Map<String, double[]> series)
    {
        double min = Double.MAX_VALUE;
        double max = 0;
        for (final double[] values : series.values())
        {
            for (final double value : values)
            {
                min = Math.min(min, Math.max(value, 1));
                max = Math.max(max, value);
            }
        }
        final double low = Math.floor(Math.log10(min));
        final double high = Math.max(low + 1, Math.ceil(Math.log10(max)));
        final StringBuilder svg = header(title);
        for (double decade = low; decade <= high; decade++)
        {
            final double y = y(decade, low, high);
            svg.append(String.format(Locale.ROOT, "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#ddd'/>%n",
                LEFT, y, WIDTH - RIGHT, y));
            svg.append(String.format(Locale.ROOT, "<text x='%d' y='%.1f' text-anchor='end' font-size='12'>%s</text>%n",
                LEFT - 6, y + 4, nanos(Math.pow(10, decade))));
        }
        for (int i = 0; i < percentiles.size(); i++)
        {
            svg.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' text-anchor='middle' font-size='12'>%s</text>%n",
                x(i, percentiles.size()), HEIGHT - BOTTOM + 18, percentiles.get(i)));
        }
        svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' text-anchor='middle' font-size='12'>percentile</text>%n",
            (LEFT + WIDTH - RIGHT) / 2, HEIGHT - 12));
        int colour = 0;
        for (final Map.Entry<String, double[]> entry : series.entrySet())
        {
            final String stroke = COLOURS[colour % COLOURS.length];
            final StringBuilder points = new StringBuilder();
            final double[] values = entry.getValue();
            for (int i = 0; i < values.length; i++)
            {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(i, values.length),
                    y(Math.log10(Math.max(values[i], 1)), low, high)));
            }
            svg.append(String.format("<polyline fill='none' stroke='%s' stroke-width='2' points='%s'/>%n", stroke, points));
            legend(svg, colour, stroke, entry.getKey());
            colour++;
        }
        return svg.append("</svg>\n").toString();
    }

    /**
     * @param title  the chart's title.
     * @param unit   the unit of the values, for the title.
     * @param values per system, one value; bars are drawn in this order.
     * @return an SVG document.
     */
    public static String bars(final String title, final String unit, final Map<String, Double> values)
    {
        final double max = values.values().stream().mapToDouble(Double::doubleValue).max().orElse(1);
        final StringBuilder svg = header(title + " (" + unit + ")");
        final List<Map.Entry<String, Double>> entries = new ArrayList<>(values.entrySet());
        final double plotHeight = HEIGHT - TOP - BOTTOM;
        final double step = (double)(WIDTH - LEFT - RIGHT) / Math.max(1, entries.size());
        for (int i = 0; i < entries.size(); i++)
        {
            final double value = entries.get(i).getValue();
            final double height = max > 0 ? plotHeight * value / max : 0;
            final double x = LEFT + i * step + step * 0.15;
            final String fill = COLOURS[i % COLOURS.length];
            svg.append(String.format(Locale.ROOT, "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='%s'/>%n",
                x, TOP + plotHeight - height, step * 0.7, height, fill));
            svg.append(String.format(Locale.ROOT, "<text x='%.1f' y='%.1f' text-anchor='middle' font-size='11'>%s</text>%n",
                x + step * 0.35, TOP + plotHeight - height - 4, format(value)));
            legend(svg, i, fill, entries.get(i).getKey());
        }
        return svg.append("</svg>\n").toString();
    }

    /**
     * @param <V> the value type.
     * @return an ordered map, for building series.
     */
    public static <V> Map<String, V> series()
    {
        return new LinkedHashMap<>();
    }

    private static StringBuilder header(final String title)
    {
        final StringBuilder svg = new StringBuilder();
        svg.append(String.format("<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif'>%n",
            WIDTH, HEIGHT));
        svg.append("<rect width='100%' height='100%' fill='white'/>\n");
        svg.append(String.format("<text x='%d' y='24' font-size='15' font-weight='bold'>%s</text>%n", LEFT, escape(title)));
        svg.append(String.format(Locale.ROOT, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='black'/>%n",
            LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM));
        svg.append(String.format(Locale.ROOT, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='black'/>%n",
            LEFT, TOP, LEFT, HEIGHT - BOTTOM));
        return svg;
    }

    private static void legend(final StringBuilder svg, final int index, final String colour, final String label)
    {
        final int y = TOP + 10 + index * 20;
        svg.append(String.format("<rect x='%d' y='%d' width='12' height='12' fill='%s'/>%n", WIDTH - RIGHT + 15, y - 10, colour));
        svg.append(String.format("<text x='%d' y='%d' font-size='12'>%s</text>%n", WIDTH - RIGHT + 32, y, escape(label)));
    }

    private static double x(final int index, final int count)
    {
        return LEFT + 30 + index * (double)(WIDTH - LEFT - RIGHT - 60) / Math.max(1, count - 1);
    }

    private static double y(final double log, final double low, final double high)
    {
        return HEIGHT - BOTTOM - (log - low) / Math.max(1e-9, high - low) * (HEIGHT - TOP - BOTTOM);
    }

    private static String nanos(final double nanos)
    {
        if (nanos >= 1e9)
        {
            return format(nanos / 1e9) + " s";
        }
        if (nanos >= 1e6)
        {
            return format(nanos / 1e6) + " ms";
        }
        if (nanos >= 1e3)
        {
            return format(nanos / 1e3) + " us";
        }
        return format(nanos) + " ns";
    }

    private static String format(final double value)
    {
        return value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.3g", value);
    }

    private static String escape(final String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
