package io.shm.value;

import io.shm.segment.Segment;
import io.shm.test.TestSegments;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(60)
class ValuesTest
{
    private final TestSegments segments = new TestSegments();
    private Segment segment;

    @BeforeEach
    void createSegment()
    {
        segment = Segment.create(segments.name("values"), segments.options());
    }

    @AfterEach
    void removeSegment()
    {
        segment.close();
        segments.close();
    }

    @Test
    void intValueFollowsAtomicIntegerSemantics()
    {
        final IntValue v = IntValue.openOrCreate(segment, "i", 5);
        assertEquals(5, v.get());
        v.set(6);
        assertEquals(6, v.getPlain());
        v.setPlain(7);
        assertEquals(7, v.getAcquire());
        v.setRelease(8);
        assertEquals(8, v.getOpaque());
        v.setOpaque(9);
        assertTrue(v.compareAndSet(9, 10));
        assertFalse(v.compareAndSet(9, 11));
        assertEquals(10, v.compareAndExchange(10, 12));
        assertEquals(12, v.getAndSet(13));
        assertEquals(13, v.getAndAdd(2));
        assertEquals(17, v.addAndGet(2));
        assertEquals(17, v.getAndIncrement());
        assertEquals(19, v.incrementAndGet());
        assertEquals(19, v.getAndDecrement());
        assertEquals(17, v.decrementAndGet());
        assertEquals(17, v.getAndUpdate(x -> x * 2));
        assertEquals(35, v.updateAndGet(x -> x + 1));
        assertEquals(35, v.getAndAccumulate(5, Math::max));
        assertEquals(-35, v.accumulateAndGet(-1, (x, y) -> x * y));
        assertEquals("-35", v.toString());
    }

    @Test
    void longValueFollowsAtomicLongSemantics()
    {
        final LongValue v = LongValue.openOrCreate(segment, "l", Long.MAX_VALUE - 1);
        assertEquals(Long.MAX_VALUE, v.incrementAndGet());
        assertEquals(Long.MIN_VALUE, v.incrementAndGet());
        assertTrue(v.compareAndSet(Long.MIN_VALUE, 1L << 40));
        assertEquals(1L << 40, v.getAndAdd(1));
        assertEquals((1L << 40) + 1, v.getAcquire());
        v.setRelease(3);
        assertEquals(6, v.updateAndGet(x -> x * 2));
        assertEquals(6, v.getAndAccumulate(10, Long::sum));
        assertEquals(16, v.get());
    }

    @Test
    void doubleValueUpdatesByCompareAndSetOnRawBits()
    {
        final DoubleValue v = DoubleValue.openOrCreate(segment, "d", 3.14);
        assertEquals(3.14, v.get());
        assertEquals(3.14, v.getAndAdd(1.0));
        assertEquals(5.14 + 1e-12, v.addAndGet(1.0 + 1e-12), 1e-9);
        v.set(Double.NaN);
        assertTrue(v.compareAndSet(Double.NaN, 0.0), "NaN matches NaN by its bits");
        assertFalse(v.compareAndSet(-0.0, 1.0), "0.0 and -0.0 differ by their bits");
        assertEquals(0.0, v.getAndSet(2.5));
        assertEquals(5.0, v.updateAndGet(x -> x * 2));
        assertEquals(7.0, v.accumulateAndGet(2.0, Double::sum));
        v.setPlain(1.5);
        assertEquals(1.5, v.getOpaque());
    }

    @Test
    void floatValueUpdatesByCompareAndSetOnRawBits()
    {
        final FloatValue v = FloatValue.openOrCreate(segment, "f", 1.5f);
        assertEquals(1.5f, v.get());
        assertEquals(1.5f, v.getAndAdd(0.5f));
        assertEquals(4.0f, v.updateAndGet(x -> x * 2));
        assertTrue(v.compareAndSet(4.0f, -1f));
        v.setRelease(8f);
        assertEquals(8f, v.getAcquire());
    }

    @Test
    void shortValueLeavesItsNeighboursAlone()
    {
        final ShortValue v = ShortValue.openOrCreate(segment, "s", (short)-2);
        assertEquals(-2, v.get());
        assertEquals(-1, v.incrementAndGet());
        assertEquals(0, v.incrementAndGet());
        assertEquals(Short.MAX_VALUE, v.addAndGet(Short.MAX_VALUE));
        assertEquals(Short.MIN_VALUE, v.incrementAndGet(), "wraps like a short");
        assertTrue(v.compareAndSet(Short.MIN_VALUE, (short)7));
        assertFalse(v.compareAndSet((short)6, (short)8));
        assertEquals(7, v.getAndSet((short)-300));
        assertEquals(-300, v.getAcquire());
        v.setRelease((short)4);
        assertEquals(8, v.updateAndGet(x -> x * 2));
    }

    @Test
    void byteAndCharValuesUpdateAtomically()
    {
        final ByteValue b = ByteValue.openOrCreate(segment, "b", (byte)127);
        assertEquals(-128, b.incrementAndGet());
        assertTrue(b.compareAndSet((byte)-128, (byte)5));
        assertEquals(5, b.getAndDecrement());
        assertEquals(4, b.get());
        final CharValue c = CharValue.openOrCreate(segment, "c", 'a');
        assertEquals('a', c.getAndSet('\uffff'));
        assertTrue(c.compareAndSet('\uffff', 'z'));
        assertEquals('Z', c.updateAndGet(Character::toUpperCase));
        c.setOpaque('q');
        assertEquals('q', c.getPlain());
    }

    @Test
    void subWordValuesPackedInOneWordDoNotDisturbEachOther()
    {
        final ByteArray bytes = ByteArray.openOrCreate(segment, "packed", 8);
        for (int i = 0; i < 8; i++)
        {
            bytes.set(i, (byte)(0x10 * i));
        }
        bytes.incrementAndGet(1);
        assertTrue(bytes.compareAndSet(2, (byte)0x20, (byte)-1));
        bytes.getAndAdd(3, (byte)1);
        assertArrayEquals(new byte[] {0, 0x11, -1, 0x31, 0x40, 0x50, 0x60, 0x70}, bytes.toArray());
        final ShortArray shorts = ShortArray.openOrCreate(segment, "shorts", new short[] {1, 2, 3, 4});
        shorts.getAndSet(1, (short)-1);
        shorts.decrementAndGet(2);
        assertArrayEquals(new short[] {1, -1, 2, 4}, shorts.toArray());
        final CharArray chars = CharArray.openOrCreate(segment, "chars", "abcd".toCharArray());
        chars.compareAndSet(3, 'd', 'D');
        assertEquals("abcD", new String(chars.toArray()));
    }

    @Test
    void arraysAreCreatedWithContentsLikePythonArray()
    {
        final int[] range = new int[10];
        for (int i = 0; i < range.length; i++)
        {
            range[i] = i;
        }
        final IntArray array = IntArray.openOrCreate(segment, "range", range);
        assertEquals(10, array.length());
        assertArrayEquals(range, array.toArray());
        assertEquals(5, array.getAndIncrement(5));
        assertEquals(6, array.get(5));
        assertEquals(9, array.getAndAccumulate(9, 100, Math::max));
        assertEquals(100, array.get(9));
        final IntArray opened = IntArray.open(segment, "range");
        assertEquals(100, opened.get(9), "the same memory");
    }

    @Test
    void bulkCopiesMoveRangesBothWays()
    {
        final DoubleArray array = DoubleArray.openOrCreate(segment, "bulk", 1000);
        final double[] source = new double[300];
        for (int i = 0; i < source.length; i++)
        {
            source[i] = i * 0.5;
        }
        array.set(600, source, 100, 200);
        assertEquals(50.0, array.get(600));
        assertEquals(149.5, array.get(799));
        assertEquals(0.0, array.get(800));
        final double[] copy = new double[202];
        array.get(599, copy, 1, 201);
        assertEquals(0.0, copy[1]);
        assertEquals(50.0, copy[2]);
        assertEquals(149.5, copy[201]);
        final long[] longs = {1, 2, 3};
        final LongArray longArray = LongArray.openOrCreate(segment, "longs", longs);
        longArray.set(new long[] {7, 8});
        assertArrayEquals(new long[] {7, 8, 3}, longArray.toArray());
        final FloatArray floats = FloatArray.openOrCreate(segment, "floats", new float[] {1f, 2f});
        assertEquals(3f, floats.addAndGet(1, 1f));
        final ByteArray bytes = ByteArray.openOrCreate(segment, "bytes", new byte[] {9, 8, 7});
        final byte[] two = new byte[2];
        bytes.get(1, two, 0, 2);
        assertArrayEquals(new byte[] {8, 7}, two);
    }

    @Test
    void bytesValueIsLengthPrefixedAndKeepsNuls()
    {
        final BytesValue value = BytesValue.openOrCreate(segment, "text", 16);
        assertEquals(16, value.capacity());
        assertEquals(0, value.length());
        assertEquals("", value.getString());
        final byte[] withNuls = {'a', 0, 'b', 0, 0};
        value.setBytes(withNuls);
        assertArrayEquals(withNuls, value.getBytes());
        value.setString("h\u00e9llo");
        assertEquals("h\u00e9llo", value.getString());
        assertEquals(6, value.length());
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> value.setBytes(new byte[17]));
        assertTrue(ex.getMessage().contains("16"), ex.getMessage());
        assertEquals("h\u00e9llo", new String(value.getBytes(), StandardCharsets.UTF_8), "old contents stay");
        assertEquals(16, BytesValue.openOrCreate(segment, "text", 16).capacity());
    }

    @Test
    void valuesOfEveryTypeCanBeReopenedByClass()
    {
        IntValue.openOrCreate(segment, "i", 1);
        LongValue.openOrCreate(segment, "l", 2);
        DoubleValue.openOrCreate(segment, "d", 3);
        FloatValue.openOrCreate(segment, "f", 4);
        ShortValue.openOrCreate(segment, "s", (short)5);
        ByteValue.openOrCreate(segment, "b", (byte)6);
        CharValue.openOrCreate(segment, "c", '7');
        assertEquals(1, IntValue.open(segment, "i").get());
        assertEquals(2, LongValue.open(segment, "l").get());
        assertEquals(3.0, DoubleValue.open(segment, "d").get());
        assertEquals(4.0f, FloatValue.open(segment, "f").get());
        assertEquals(5, ShortValue.open(segment, "s").get());
        assertEquals(6, ByteValue.open(segment, "b").get());
        assertEquals('7', CharValue.open(segment, "c").get());
    }

    @Test
    void concurrentIncrementsFromManyThreadsAreExact() throws Exception
    {
        final LongValue counter = LongValue.openOrCreate(segment, "counter");
        final ShortArray shorts = ShortArray.openOrCreate(segment, "shorts", 2);
        final Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++)
        {
            threads[t] = new Thread(() ->
            {
                for (int i = 0; i < 10_000; i++)
                {
                    counter.incrementAndGet();
                    shorts.incrementAndGet(0);
                    shorts.decrementAndGet(1);
                }
            });
            threads[t].start();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        assertEquals(40_000, counter.get());
        assertEquals((short)40_000, shorts.get(0));
        assertEquals((short)-40_000, shorts.get(1));
    }
}
