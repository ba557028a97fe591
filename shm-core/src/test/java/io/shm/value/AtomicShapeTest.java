package io.shm.value;

import io.shm.test.SegmentTestCase;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every value and array type has the {@code AtomicLong} members: {@code compareAndExchange} (and
 * its acquire and release forms), the four {@code weakCompareAndSet} forms and {@code lazySet},
 * not only the int and long types.
 */
class AtomicShapeTest extends SegmentTestCase
{
    @Test
    void floatingValuesExchangeByBitsAndReturnTheWitness()
    {
        final DoubleValue value = DoubleValue.create(segment, "double", 1.5);
        assertEquals(1.5, value.compareAndExchange(2.0, 3.0), "a failed exchange returns what it found");
        assertEquals(1.5, value.compareAndExchangeAcquire(1.5, 2.5));
        assertEquals(2.5, value.compareAndExchangeRelease(2.5, -0.0));
        assertEquals(-0.0, value.compareAndExchange(0.0, 7.0), "0.0 and -0.0 differ in bits");
        assertTrue(value.weakCompareAndSetVolatile(-0.0, Double.NaN));
        assertTrue(value.weakCompareAndSetPlain(Double.NaN, 4.0), "NaN is compared by its bits");
        value.lazySet(5.0);
        assertEquals(5.0, value.get());
        final FloatArray floats = FloatArray.create(segment, "floats", 3);
        assertEquals(0f, floats.compareAndExchange(2, 0f, 1f));
        assertEquals(1f, floats.compareAndExchange(2, 0f, 9f));
        assertTrue(floats.weakCompareAndSetAcquire(2, 1f, 2f));
        assertFalse(floats.weakCompareAndSetRelease(2, 1f, 3f));
        floats.lazySet(1, 6f);
        assertEquals(6f, floats.get(1));
    }

    @Test
    void subWordValuesExchangeWithoutTouchingTheirNeighbours()
    {
        final ByteArray bytes = ByteArray.create(segment, "bytes", new byte[] {1, 2, 3, 4});
        assertEquals(2, bytes.compareAndExchange(1, (byte)2, (byte)-7));
        assertEquals(-7, bytes.compareAndExchange(1, (byte)2, (byte)9));
        assertArrayEquals(new byte[] {1, -7, 3, 4}, new byte[] {bytes.get(0), bytes.get(1), bytes.get(2), bytes.get(3)});
        final ShortValue value = ShortValue.create(segment, "short", (short)-1);
        assertEquals(-1, value.compareAndExchange((short)-1, Short.MAX_VALUE));
        assertTrue(value.weakCompareAndSetPlain(Short.MAX_VALUE, (short)3));
        final CharValue letter = CharValue.create(segment, "char", 'a');
        assertEquals('a', letter.compareAndExchangeRelease('a', '\uffff'));
        assertEquals('\uffff', letter.get());
        letter.lazySet('z');
        assertEquals('z', letter.get());
        final CharArray chars = CharArray.create(segment, "chars", new char[] {'x', 'y'});
        assertEquals('y', chars.compareAndExchangeAcquire(1, 'q', 'r'));
        assertTrue(chars.weakCompareAndSetVolatile(1, 'y', 'r'));
        assertEquals('r', chars.get(1));
        assertEquals('x', chars.get(0));
    }

    @Test
    void integralTypesHaveTheWeakAndOrderedForms()
    {
        final LongValue value = LongValue.create(segment, "long", 1);
        assertTrue(value.weakCompareAndSetRelease(1, 2));
        assertEquals(2, value.compareAndExchangeAcquire(5, 6));
        value.lazySet(8);
        assertEquals(8, value.get());
        final IntArray ints = IntArray.create(segment, "ints", 2);
        assertTrue(ints.weakCompareAndSetPlain(1, 0, 4));
        assertEquals(4, ints.compareAndExchangeRelease(1, 4, 5));
        assertEquals(5, ints.get(1));
    }
}
