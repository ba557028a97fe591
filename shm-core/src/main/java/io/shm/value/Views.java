package io.shm.value;

import io.shm.segment.Segment;

import java.util.Map;
import java.util.function.BiFunction;

/**
 * Opens the core's typed views by class, for {@link Segment#open(String, Class)}.
 */
public final class Views
{
    private static final Map<Class<?>, BiFunction<Segment, String, ?>> OPENERS = Map.ofEntries(
        Map.entry(IntValue.class, IntValue::open),
        Map.entry(LongValue.class, LongValue::open),
        Map.entry(DoubleValue.class, DoubleValue::open),
        Map.entry(FloatValue.class, FloatValue::open),
        Map.entry(ShortValue.class, ShortValue::open),
        Map.entry(ByteValue.class, ByteValue::open),
        Map.entry(CharValue.class, CharValue::open),
        Map.entry(BytesValue.class, BytesValue::open),
        Map.entry(IntArray.class, IntArray::open),
        Map.entry(LongArray.class, LongArray::open),
        Map.entry(DoubleArray.class, DoubleArray::open),
        Map.entry(FloatArray.class, FloatArray::open),
        Map.entry(ShortArray.class, ShortArray::open),
        Map.entry(ByteArray.class, ByteArray::open),
        Map.entry(CharArray.class, CharArray::open));

    private Views()
    {
    }

    /**
     * @param segment the segment.
     * @param name    the object name.
     * @param type    a value or array class of this package.
     * @return the view.
     * @throws IllegalArgumentException if {@code type} is not one of them.
     */
    public static Object open(final Segment segment, final String name, final Class<?> type)
    {
        final BiFunction<Segment, String, ?> opener = OPENERS.get(type);
        if (opener == null)
        {
            throw new IllegalArgumentException(type.getName() + " is not a value or array type of shm-core; " +
                "open other objects through their own classes");
        }
        return opener.apply(segment, name);
    }
}
