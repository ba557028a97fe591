package io.shm.collections;

import io.shm.codec.Codecs;
import io.shm.process.JvmProcess;
import io.shm.segment.Segment;
import io.shm.segment.SegmentOptions;
import io.shm.test.ChildArgs;
import io.shm.test.SegmentTestCase;
import io.shm.value.LongValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The map across JVMs: concurrent writers checked against a model, writers killed at every point of
 * a step and at random, a stopped writer, growth while others read.
 */
@Timeout(300)
class CrossProcessMapTest extends SegmentTestCase
{
    static final int WRITERS = 4;
    static final int KEYS_PER_WRITER = 20_000;
    static final int COUNTERS = 50;
    /** A small map whose first table of 8 slots grows at its 7th entry. */
    static final MapOptions SMALL = MapOptions.defaults().withStripes(1).withInitialCapacity(4);

    @Override
    protected SegmentOptions options(final SegmentOptions defaults)
    {
        return defaults.withSize(64L << 20);
    }

    @Test
    void fourWritersInFourJvmsLeaveWhatTheModelSays() throws Exception
    {
        final ShmMap<String, Long> map = ShmMap.openOrCreate(segment, "m", Codecs.STRING, Codecs.LONG,
            MapOptions.defaults().withStripes(4).withInitialCapacity(64));
        final List<JvmProcess> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++)
        {
            writers.add(child(Write.class, Integer.toString(w)));
        }
        for (final JvmProcess writer : writers)
        {
            assertEquals(0, writer.join(240, TimeUnit.SECONDS), writer.output());
        }
        long counted = 0;
        for (int c = 0; c < COUNTERS; c++)
        {
            counted += map.get("shared:" + c);
        }
        assertEquals((long)WRITERS * KEYS_PER_WRITER, counted, "every merge of every writer counted once");
        for (int w = 0; w < WRITERS; w++)
        {
            for (int i = 0; i < KEYS_PER_WRITER; i++)
            {
                assertEquals(i % 3 == 0 ? null : Long.valueOf(i), map.get(w + ":" + i), w + ":" + i);
            }
        }
        assertEquals(WRITERS * (KEYS_PER_WRITER - (KEYS_PER_WRITER + 2) / 3) + COUNTERS, map.check());
    }

    @ParameterizedTest
    @ValueSource(strings = {"put:allocated", "put:recorded", "put:written", "put:committed", "put:slot-stored",
        "put:freed", "remove:recorded", "remove:written", "remove:committed", "remove:slot-stored", "remove:freed",
        "grow:allocated", "grow:recorded", "grow:written", "grow:committed", "grow:slot-stored", "grow:freed"})
    void aWriterKilledInsideAStepLeavesTheOldOrTheNewAndNothingElseChanged(final String point) throws Exception
    {
        final ShmMap<String, String> map = ShmMap.openOrCreate(segment, "m", Codecs.STRING, Codecs.STRING, SMALL);
        for (int i = 0; i < 6; i++)
        {
            map.put("k" + i, "old" + i);
        }
        try (JvmProcess victim = child(StopIn.class, point))
        {
            victim.awaitOutput(line -> line.equals("stopped at " + point), 60, TimeUnit.SECONDS);
            victim.killAndWait();
        }
        // A step killed once committed is finished by the next writer: readers see the old value until then.
        map.put("other", "x");
        final boolean applied = List.of("committed", "slot-stored", "freed").contains(point.substring(point.indexOf(':') + 1));
        switch (point.substring(0, point.indexOf(':')))
        {
            case "put" -> assertEquals(applied ? "new" : "old0", map.get("k0"), "the put is all or nothing");
            case "remove" -> assertEquals(applied ? null : "old0", map.get("k0"), "the remove is all or nothing");
            default -> assertNull(map.get("k6"), "the put waited for the growth and died with it");
        }
        for (int i = 1; i < 6; i++)
        {
            assertEquals("old" + i, map.get("k" + i), "no other entry changed");
        }
        for (int i = 6; i < 40; i++)
        {
            map.put("k" + i, "after" + i);
        }
        assertEquals(40 + (map.containsKey("k0") ? 1 : 0), map.check());
    }

    @Test
    void writersKilledAtRandomNeverLoseAnAcknowledgedPut() throws Exception
    {
        final ShmMap<Long, Long> map = ShmMap.openOrCreate(segment, "m", Codecs.LONG, Codecs.LONG,
            MapOptions.defaults().withStripes(2).withInitialCapacity(8));
        final LongValue acknowledged = LongValue.openOrCreate(segment, "acked");
        final SplittableRandom random = new SplittableRandom(7);
        for (int run = 0; run < 100; run++)
        {
            try (JvmProcess victim = child(PutForever.class))
            {
                victim.awaitOutput(line -> line.equals("putting"), 60, TimeUnit.SECONDS);
                final long target = acknowledged.get() + random.nextInt(50, 2_000);
                while (acknowledged.get() < target && victim.isAlive())
                {
                    Thread.onSpinWait();
                }
                victim.killAndWait();
            }
            final long acked = acknowledged.get();
            for (long i = Math.max(0, acked - 3_000); i < acked; i++)
            {
                assertEquals(i % 5 == 4 ? null : Long.valueOf(~i), map.get(i), "key " + i + " of run " + run);
            }
            final long live = map.check();
            assertTrue(live >= acked - (acked + 1) / 5 && live <= acked + 1, live + " entries after " + acked + " puts");
        }
    }

    @Test
    void aStoppedWriterKeepsItsStripeWhileReadersGoOn() throws Exception
    {
        final ShmMap<String, String> map = ShmMap.openOrCreate(segment, "m", Codecs.STRING, Codecs.STRING, SMALL);
        for (int i = 0; i < 6; i++)
        {
            map.put("k" + i, "old" + i);
        }
        try (JvmProcess holder = child(StopIn.class, "put:written"))
        {
            holder.awaitOutput(line -> line.equals("stopped at put:written"), 60, TimeUnit.SECONDS);
            holder.signal("STOP");
            assertEquals("old0", map.get("k0"), "a reader takes no lock");
            final CompletableFuture<String> writer = CompletableFuture.supplyAsync(() -> map.put("k1", "mine"));
            assertThrows(TimeoutException.class, () -> writer.get(1, TimeUnit.SECONDS),
                "a stopped writer is never taken for dead");
            holder.signal("CONT");
            holder.killAndWait();
            assertEquals("old1", writer.get(60, TimeUnit.SECONDS));
        }
        assertEquals("old0", map.get("k0"));
        assertEquals(6, map.check());
    }

    @Test
    void aReaderSeesEveryValueWholeWhileTheMapGrows() throws Exception
    {
        final ShmMap<Long, byte[]> map = ShmMap.openOrCreate(segment, "m", Codecs.LONG, Codecs.BYTES,
            MapOptions.defaults().withInitialCapacity(16).withFirstExtentLength(4096));
        map.put(-1L, new byte[0]);
        try (JvmProcess reader = child(ReadWhole.class))
        {
            reader.awaitOutput(line -> line.equals("reading"), 60, TimeUnit.SECONDS);
            for (long i = 0; i < 100_000; i++)
            {
                final byte[] value = new byte[(int)(i % 64) + 8];
                java.util.Arrays.fill(value, (byte)i);
                map.put(i, value);
                map.put(-1L, Long.toString(i).getBytes());
            }
            map.put(-2L, new byte[0]);
            assertEquals(0, reader.join(120, TimeUnit.SECONDS), reader.output());
            assertTrue(reader.output().contains("all whole"), reader.output());
        }
        assertEquals(100_002, map.check());
    }

    private JvmProcess child(final Class<?> scenario, final String... args)
    {
        return ChildArgs.child(scenario, segments, segment.name(), args).jvmArgs("-XX:TieredStopAtLevel=1").start();
    }

    /**
     * Child: puts its keys, removes every third, and counts into shared counters: {@code (writer)}.
     */
    public static final class Write
    {
        public static void main(final String[] args)
        {
            try (ChildArgs child = ChildArgs.open(args))
            {
                final ShmMap<String, Long> map = ShmMap.open(child.segment(), "m", Codecs.STRING, Codecs.LONG);
                final int w = child.getInt(0);
                for (int i = 0; i < KEYS_PER_WRITER; i++)
                {
                    map.put(w + ":" + i, (long)i);
                    map.merge("shared:" + (i % COUNTERS), 1L, Long::sum);
                    if (i % 3 == 0 && map.remove(w + ":" + i) != i)
                    {
                        throw new IllegalStateException("lost " + w + ":" + i);
                    }
                }
            }
        }
    }

    /**
     * Child: replaces, removes or grows the map and stops at {@code (op:point)} inside that step until killed.
     */
    public static final class StopIn
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.open(args))
            {
                final Segment segment = child.segment();
                final ShmMap<String, String> map = ShmMap.openOrCreate(segment, "m", Codecs.STRING, Codecs.STRING, SMALL);
                final String point = child.get(0);
                final StopAt stop = new StopAt(point);
                final String op = stop.op();
                map.steps(stop);
                switch (op)
                {
                    case "put" -> map.put("k0", "new");
                    case "remove" -> map.remove("k0");
                    default -> map.put("k6", "grown");
                }
                throw new IllegalStateException("never reached " + point);
            }
        }
    }

    /**
     * Child: puts key i as ~i for i = acked, acked + 1, ..., removing every fifth, and counts each
     * put that returned in "acked", until killed.
     */
    public static final class PutForever
    {
        public static void main(final String[] args)
        {
            try (ChildArgs child = ChildArgs.open(args))
            {
                final ShmMap<Long, Long> map = ShmMap.open(child.segment(), "m", Codecs.LONG, Codecs.LONG);
                final LongValue acknowledged = LongValue.open(child.segment(), "acked");
                System.out.println("putting");
                for (long i = acknowledged.get(); ; i++)
                {
                    map.put(i, ~i);
                    if (i % 5 == 4)
                    {
                        map.remove(i);
                    }
                    acknowledged.set(i + 1);
                }
            }
        }
    }

    /**
     * Child: reads keys while the parent grows the map, checking every value it finds is whole
     * (all its bytes the key's low byte), until the key -2 appears.
     */
    public static final class ReadWhole
    {
        public static void main(final String[] args)
        {
            try (ChildArgs child = ChildArgs.open(args))
            {
                final ShmMap<Long, byte[]> map = ShmMap.open(child.segment(), "m", Codecs.LONG, Codecs.BYTES);
                System.out.println("reading");
                final SplittableRandom random = new SplittableRandom();
                long found = 0;
                while (!map.containsKey(-2L))
                {
                    final byte[] last = map.get(-1L);
                    final long newest = last.length == 0 ? 0 : Long.parseLong(new String(last));
                    final long key = random.nextLong(newest + 1);
                    final byte[] value = map.get(key);
                    if (key < newest && value == null)
                    {
                        throw new IllegalStateException("key " + key + " vanished; newest " + newest);
                    }
                    if (value != null)
                    {
                        found++;
                        if (value.length != key % 64 + 8)
                        {
                            throw new IllegalStateException("key " + key + " has " + value.length + " bytes");
                        }
                        for (final byte b : value)
                        {
                            if (b != (byte)key)
                            {
                                throw new IllegalStateException("key " + key + " has a torn value");
                            }
                        }
                    }
                }
                System.out.println("all whole, " + found + " found");
            }
        }
    }
}
