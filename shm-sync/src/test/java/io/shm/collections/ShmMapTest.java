package io.shm.collections;

import io.shm.codec.Codec;
import io.shm.codec.Codecs;
import io.shm.exceptions.ParameterMismatchException;
import io.shm.exceptions.SegmentFullException;
import io.shm.exceptions.TypeMismatchException;
import io.shm.queue.ShmQueue;
import io.shm.segment.Segment;
import io.shm.segment.SegmentOptions;
import io.shm.test.SegmentTestCase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(120)
class ShmMapTest extends SegmentTestCase
{
    @Override
    protected SegmentOptions options(final SegmentOptions defaults)
    {
        return defaults.withSize(64L << 20);
    }

    @Test
    void concurrentMapMethodsFollowTheirContract()
    {
        final ShmMap<String, Long> map = ShmMap.openOrCreate(segment, "m", Codecs.STRING, Codecs.LONG);
        assertTrue(map.isEmpty());
        assertNull(map.get("a"));
        assertNull(map.put("a", 1L));
        assertEquals(1L, map.put("a", 2L));
        assertEquals(2L, map.putIfAbsent("a", 3L));
        assertNull(map.putIfAbsent("b", 3L));
        assertFalse(map.replace("a", 1L, 5L));
        assertTrue(map.replace("a", 2L, 5L));
        assertEquals(5L, map.replace("a", 6L));
        assertNull(map.replace("zz", 6L));
        assertFalse(map.containsKey("zz"));
        assertFalse(map.remove("a", 5L));
        assertTrue(map.remove("a", 6L));
        assertNull(map.remove("a"));
        assertEquals(3L, map.remove("b"));
        assertTrue(map.isEmpty());
        assertEquals(7L, map.merge("c", 7L, Long::sum));
        assertEquals(10L, map.merge("c", 3L, Long::sum));
        assertEquals(11L, map.compute("c", (k, v) -> v + 1));
        assertEquals(4L, map.computeIfAbsent("d", k -> 4L));
        assertEquals(Map.of("c", 11L, "d", 4L), new HashMap<>(map));
        assertEquals(Map.of("c", 11L, "d", 4L), map);
        assertThrows(NullPointerException.class, () -> map.put(null, 1L));
        assertThrows(NullPointerException.class, () -> map.put("x", null));
        assertEquals(0, map.check() - 2);
    }

    @Test
    void randomOperationsMatchAHashMap()
    {
        final ShmMap<Integer, String> map = ShmMap.openOrCreate(segment, "m", Codecs.INT, Codecs.STRING,
            MapOptions.defaults().withStripes(4).withInitialCapacity(8));
        final Map<Integer, String> model = new HashMap<>();
        final SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 200_000; i++)
        {
            final int key = random.nextInt(2_000);
            final String value = "v".repeat(random.nextInt(1, 60)) + i;
            switch (random.nextInt(5))
            {
                case 0, 1 -> assertEquals(model.put(key, value), map.put(key, value));
                case 2 -> assertEquals(model.remove(key), map.remove(key));
                case 3 -> assertEquals(model.putIfAbsent(key, value), map.putIfAbsent(key, value));
                default -> assertEquals(model.get(key), map.get(key));
            }
        }
        assertEquals(model.size(), map.size());
        assertEquals(model, new HashMap<>(map));
        assertEquals(model.size(), map.check());
    }

    @Test
    void growsFarPastItsInitialCapacity()
    {
        final ShmMap<Long, Long> map = ShmMap.openOrCreate(segment, "m", Codecs.LONG, Codecs.LONG,
            MapOptions.defaults().withInitialCapacity(16).withFirstExtentLength(4096));
        for (long i = 0; i < 300_000; i++)
        {
            map.put(i, i * 3);
        }
        assertEquals(300_000, map.size());
        for (long i = 0; i < 300_000; i++)
        {
            assertEquals(i * 3, map.get(i));
        }
        assertEquals(300_000, map.check());
        assertTrue(segment.contains("m.x5"), "the heap grew into further extents");
    }

    @Test
    void aMapGrowsItsSegmentAndIsDeletedWithItsExtents()
    {
        try (Segment small = Segment.create(segments.name("growing"),
            segments.options().withSize(256 * 1024).withMaxSize(256L << 20)))
        {
            final ShmMap<Long, Long> map = ShmMap.openOrCreate(small, "m", Codecs.LONG, Codecs.LONG,
                MapOptions.defaults().withInitialCapacity(16).withFirstExtentLength(4096));
            for (long i = 0; i < 200_000; i++)
            {
                map.put(i, -i);
            }
            assertTrue(small.size() > 16L << 20, "the segment grew to " + small.size());
            assertEquals(200_000, map.check());
            final Segment.Deletion deletion = small.delete("m");
            assertTrue(deletion.freed() && deletion.bytes() > 16L << 20, deletion.toString());
            assertTrue(small.objects().isEmpty(), small.objects().toString());
            assertThrows(IllegalStateException.class, () -> map.get(1L), "the deleted map's view is closed");
            final ShmMap<Long, Long> again = ShmMap.openOrCreate(small, "m", Codecs.LONG, Codecs.LONG);
            assertTrue(again.isEmpty());
            again.put(1L, 1L);
            assertEquals(1, again.check());
        }
    }

    @Test
    void removedEntriesMemoryIsReused()
    {
        final ShmMap<Integer, byte[]> map = ShmMap.openOrCreate(segment, "m", Codecs.INT, Codecs.BYTES);
        for (int i = 0; i < 1000; i++)
        {
            map.put(i, new byte[100]);
        }
        final SplittableRandom random = new SplittableRandom(1);
        final Runnable churn = () ->
        {
            for (int round = 0; round < 100_000; round++)
            {
                final int key = random.nextInt(1000);
                map.remove(key);
                map.put(key, new byte[random.nextInt(80, 93)]);
            }
        };
        churn.run();
        final long used = map.heapUsage()[0];
        churn.run();
        // Entries of 80 to 92 value bytes share one size class, and tables rebuilt to clear
        // tombstones reuse the blocks of the tables before them: the heap stops growing.
        assertEquals(used, map.heapUsage()[0]);
        assertEquals(1000, map.check());
    }

    @Test
    void tooLongKeysAndValuesAreRefusedAndChangeNothing()
    {
        final ShmMap<String, String> map = ShmMap.openOrCreate(segment, "m", Codecs.STRING, Codecs.STRING,
            MapOptions.defaults().withMaxKeyLength(8).withMaxValueLength(16));
        map.put("k", "v");
        final IllegalArgumentException key = assertThrows(IllegalArgumentException.class, () -> map.put("123456789", "v"));
        assertTrue(key.getMessage().contains("9 bytes") && key.getMessage().contains("at most 8"), key.getMessage());
        final IllegalArgumentException value = assertThrows(IllegalArgumentException.class, () -> map.put("k", "x".repeat(17)));
        assertTrue(value.getMessage().contains("17 bytes") && value.getMessage().contains("at most 16"), value.getMessage());
        assertNull(map.get("123456789"), "a key too long to be in the map is simply absent");
        assertEquals(Map.of("k", "v"), new TreeMap<>(map));
    }

    @Test
    void aFailingCodecChangesNothing()
    {
        final Codec<String> failing = new Codec<>()
        {
            @Override
            public byte[] encode(final String item)
            {
                if (item.equals("bad"))
                {
                    throw new IllegalStateException("cannot encode bad");
                }
                return Codecs.STRING.encode(item);
            }

            @Override
            public String decode(final byte[] bytes)
            {
                return Codecs.STRING.decode(bytes);
            }
        };
        final ShmMap<String, String> map = ShmMap.openOrCreate(segment, "m", Codecs.STRING, failing);
        map.put("k", "v");
        assertThrows(IllegalStateException.class, () -> map.put("k", "bad"));
        assertThrows(IllegalStateException.class, () -> map.put("other", "bad"));
        assertEquals(Map.of("k", "v"), new TreeMap<>(map));
        assertEquals(1, map.check());
    }

    @Test
    void aMapOpenedAsAnotherTypeOrWithOtherOptionsIsRefused()
    {
        ShmMap.openOrCreate(segment, "m", Codecs.STRING, Codecs.STRING);
        assertThrows(TypeMismatchException.class, () -> ShmQueue.openOrCreate(segment, "m", 4, 16, Codecs.STRING));
        final ParameterMismatchException stripes = assertThrows(ParameterMismatchException.class,
            () -> ShmMap.openOrCreate(segment, "m", Codecs.STRING, Codecs.STRING, MapOptions.defaults().withStripes(4)));
        assertTrue(stripes.getMessage().contains("stripes 16, not the 4"), stripes.getMessage());
        assertThrows(ParameterMismatchException.class, () -> ShmMap.openOrCreate(segment, "m", Codecs.STRING, Codecs.STRING,
            MapOptions.defaults().withMaxValueLength(10)));
        assertThrows(IllegalArgumentException.class, () -> MapOptions.defaults().withStripes(3));
        assertNotNull(ShmMap.open(segment, "m", Codecs.STRING, Codecs.STRING));
    }

    @Test
    void aFullSegmentSaysSoAndTheMapKeepsWhatItHas()
    {
        final ShmMap<Integer, byte[]> map = ShmMap.openOrCreate(segment, "m", Codecs.INT, Codecs.BYTES,
            MapOptions.defaults().withFirstExtentLength(1 << 20));
        int stored = 0;
        final SegmentFullException full = assertThrows(SegmentFullException.class, () ->
        {
            for (int i = 0; ; i++)
            {
                map.put(i, new byte[4000]);
            }
        });
        assertTrue(full.getMessage().contains("withSize") && full.getMessage().contains("extent"), full.getMessage());
        stored = map.size();
        assertTrue(stored > 1000, "stored " + stored);
        for (int i = 0; i < stored; i++)
        {
            assertEquals(4000, map.get(i).length);
        }
        map.remove(0);
        map.put(0, new byte[4000]);
        assertEquals(stored, map.check());
    }

    @Test
    void iterationSeesEveryEntryAndRemovesThroughTheIterator()
    {
        final ShmMap<Integer, Integer> map = ShmMap.openOrCreate(segment, "m", Codecs.INT, Codecs.INT);
        for (int i = 0; i < 1000; i++)
        {
            map.put(i, -i);
        }
        int seen = 0;
        for (final Iterator<Map.Entry<Integer, Integer>> it = map.entrySet().iterator(); it.hasNext(); )
        {
            final Map.Entry<Integer, Integer> entry = it.next();
            assertEquals(-entry.getKey(), entry.getValue());
            seen++;
            if (entry.getKey() % 2 == 0)
            {
                it.remove();
            }
        }
        assertEquals(1000, seen);
        assertEquals(500, map.size());
        assertTrue(map.keySet().stream().allMatch(k -> k % 2 == 1));
        map.clear();
        assertTrue(map.isEmpty());
        assertEquals(0, map.check());
    }
}
