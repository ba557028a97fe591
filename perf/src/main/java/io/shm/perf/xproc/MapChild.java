package io.shm.perf.xproc;

import io.shm.segment.Segment;
import io.shm.segment.SegmentOptions;
import io.shm.value.LongValue;
import org.HdrHistogram.Histogram;

import java.util.SplittableRandom;

/**
 * One process of workload W9, on the map of {@code system} named {@code name}; the harness makes
 * the control segment {@code name-ctl} (flags in {@link LongValue}s, read outside the timed loops).
 * <ul>
 *     <li>{@code load}: creates the map and puts keys 0 to {@code keys - 1}.</li>
 *     <li>{@code put} / {@code get}: one writer and one reader at once. Each does a tenth of
 *     {@code ops} untimed, waits for the other, times {@code ops} operations on random keys one by
 *     one, then goes on untimed until the other has finished too.</li>
 *     <li>{@code mix}: one of {@code processes}; after the warm-up and a start line, times
 *     {@code ops} operations, 90% gets and 10% puts of random keys.</li>
 *     <li>{@code grow}: puts keys {@code keys} to {@code target - 1} into a map made for
 *     {@code keys}, timing the whole; {@code grow-reader} meanwhile gets random keys below
 *     {@code keys}, timing each, until the growth is done.</li>
 * </ul>
 * {@code main(role, system, name, keys, ops|target, processes)}.
 */
public final class MapChild
{
    private MapChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final String role = args[0];
        final String system = args[1];
        final String name = args[2];
        final long keys = Long.parseLong(args[3]);
        final long ops = Long.parseLong(args[4]);
        final boolean growing = role.startsWith("grow");
        try (Segment control = Segment.open(name + "-ctl", SegmentOptions.defaults());
             // The loader makes the map: room for ops entries (the growth's target), sized first for keys.
             MapStores map = MapStores.open(system, name, growing || role.equals("load") ? ops : keys, keys,
                 role.equals("load")))
        {
            final SplittableRandom random = new SplittableRandom();
            switch (role)
            {
                case "load" ->
                {
                    for (long i = 0; i < keys; i++)
                    {
                        map.put(MapStores.key(i), MapStores.value(i, 0));
                    }
                    System.out.println(Results.line("system", system, "loaded", keys));
                }
                case "put", "get" -> pair(role.equals("put"), system, map, control, keys, ops, random);
                case "mix" -> mix(system, map, control, keys, ops, Integer.parseInt(args[5]), random);
                case "grow" ->
                {
                    final LongValue grown = LongValue.open(control, "grown");
                    final LongValue readerReady = LongValue.open(control, "reader-ready");
                    while (readerReady.get() == 0)
                    {
                        Thread.onSpinWait();
                    }
                    final long start = System.nanoTime();
                    for (long i = keys; i < ops; i++)
                    {
                        map.put(MapStores.key(i), MapStores.value(i, 0));
                    }
                    final long took = System.nanoTime() - start;
                    grown.set(1);
                    System.out.println(Results.line("system", system, "count", ops - keys, "ns", took,
                        "cpu_ns", Results.cpuNanos()));
                }
                case "grow-reader" ->
                {
                    final LongValue grown = LongValue.open(control, "grown");
                    for (int i = 0; i < 200_000; i++)
                    {
                        check(map.get(MapStores.key(random.nextLong(keys))));
                    }
                    final Histogram histogram = new Histogram(3);
                    LongValue.open(control, "reader-ready").set(1);
                    while (grown.get() == 0)
                    {
                        final byte[] key = MapStores.key(random.nextLong(keys));
                        final long start = System.nanoTime();
                        final byte[] value = map.get(key);
                        histogram.recordValue(System.nanoTime() - start);
                        check(value);
                    }
                    System.out.println(Latency.resultLine(system + "-reader", histogram));
                }
                default -> throw new IllegalArgumentException("unknown role " + role);
            }
        }
    }

    private static void pair(final boolean writer, final String system, final MapStores map, final Segment control,
        final long keys, final long ops, final SplittableRandom random)
    {
        final LongValue mine = LongValue.open(control, writer ? "put-state" : "get-state");
        final LongValue other = LongValue.open(control, writer ? "get-state" : "put-state");
        long version = 1;
        for (long i = 0; i < ops / 10; i++)
        {
            operate(writer, map, random.nextLong(keys), version++);
        }
        mine.set(1);
        while (other.get() < 1)
        {
            operate(writer, map, random.nextLong(keys), version++);
        }
        final Histogram histogram = new Histogram(3);
        final long start = System.nanoTime();
        for (long i = 0; i < ops; i++)
        {
            final long key = random.nextLong(keys);
            final long began = System.nanoTime();
            operate(writer, map, key, version++);
            histogram.recordValue(System.nanoTime() - began);
        }
        final long took = System.nanoTime() - start;
        mine.set(2);
        while (other.get() < 2)
        {
            operate(writer, map, random.nextLong(keys), version++);
        }
        System.out.println(Results.line("system", system, "role", writer ? "put" : "get", "count", ops, "ns", took,
            "p50", histogram.getValueAtPercentile(50), "p99", histogram.getValueAtPercentile(99),
            "max", histogram.getMaxValue(), "cpu_ns", Results.cpuNanos()));
    }

    private static void operate(final boolean writer, final MapStores map, final long key, final long version)
    {
        if (writer)
        {
            map.put(MapStores.key(key), MapStores.value(key, version));
        }
        else
        {
            check(map.get(MapStores.key(key)));
        }
    }

    private static void mix(final String system, final MapStores map, final Segment control, final long keys,
        final long ops, final int processes, final SplittableRandom random)
    {
        for (long i = 0; i < ops / 10; i++)
        {
            mixed(map, random, keys, i);
        }
        final LongValue ready = LongValue.open(control, "ready");
        ready.incrementAndGet();
        while (ready.get() < processes)
        {
            Thread.onSpinWait();
        }
        final long start = System.nanoTime();
        for (long i = 0; i < ops; i++)
        {
            mixed(map, random, keys, i);
        }
        final long took = System.nanoTime() - start;
        System.out.println(Results.line("system", system, "count", ops, "ns", took, "cpu_ns", Results.cpuNanos()));
    }

    private static void mixed(final MapStores map, final SplittableRandom random, final long keys, final long version)
    {
        final long key = random.nextLong(keys);
        if (random.nextInt(10) == 0)
        {
            map.put(MapStores.key(key), MapStores.value(key, version));
        }
        else
        {
            check(map.get(MapStores.key(key)));
        }
    }

    private static void check(final byte[] value)
    {
        if (value == null || value.length != MapStores.VALUE_LENGTH)
        {
            throw new IllegalStateException("a loaded key has " + (value == null ? "no value" : value.length + " bytes"));
        }
    }
}
