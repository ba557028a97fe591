package io.shm.value;

import org.agrona.concurrent.AtomicBuffer;

import java.nio.ByteOrder;
import java.util.function.IntUnaryOperator;

/**
 * Atomic updates of 1- and 2-byte values, for which there is no compare-and-set instruction to
 * call: compare-and-set on the aligned 32-bit word that contains the value, changing only its
 * bytes. Values are handled as their unsigned bits in the low bits of an {@code int}; callers cast
 * the result back to {@code byte}, {@code short} or {@code char}.
 */
final class SubWord
{
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private SubWord()
    {
    }

    static boolean compareAndSet(
        final AtomicBuffer buffer, final int index, final int width, final int expected, final int newValue)
    {
        return compareAndExchange(buffer, index, width, expected, newValue) == (expected & mask(width));
    }

    /**
     * @return the sub-word found: {@code expected} if it was replaced by {@code newValue}.
     */
    static int compareAndExchange(
        final AtomicBuffer buffer, final int index, final int width, final int expected, final int newValue)
    {
        final int word = index & ~3;
        final int shift = shift(index, width);
        final int mask = mask(width);
        while (true)
        {
            final int old = buffer.getIntVolatile(word);
            final int found = (old >>> shift) & mask;
            if (found != (expected & mask))
            {
                return found;
            }
            final int next = (old & ~(mask << shift)) | ((newValue & mask) << shift);
            if (buffer.compareAndSetInt(word, old, next))
            {
                return found;
            }
        }
    }

    static int getAndSet(final AtomicBuffer buffer, final int index, final int width, final int newValue)
    {
        return getAndUpdate(buffer, index, width, previous -> newValue);
    }

    static int getAndAdd(final AtomicBuffer buffer, final int index, final int width, final int delta)
    {
        return getAndUpdate(buffer, index, width, previous -> previous + delta);
    }

    private static int getAndUpdate(
        final AtomicBuffer buffer, final int index, final int width, final IntUnaryOperator function)
    {
        final int word = index & ~3;
        final int shift = shift(index, width);
        final int mask = mask(width);
        while (true)
        {
            final int old = buffer.getIntVolatile(word);
            final int previous = (old >>> shift) & mask;
            final int next = (old & ~(mask << shift)) | ((function.applyAsInt(previous) & mask) << shift);
            if (buffer.compareAndSetInt(word, old, next))
            {
                return previous;
            }
        }
    }

    private static int shift(final int index, final int width)
    {
        final int byteInWord = index & 3;
        return (LITTLE_ENDIAN ? byteInWord : 4 - width - byteInWord) << 3;
    }

    private static int mask(final int width)
    {
        return (1 << (width << 3)) - 1;
    }
}
