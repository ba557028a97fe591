package io.shm.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Codecs for the common item types.
 */
public final class Codecs
{
    /**
     * Bytes as they are.
     */
    public static final Codec<byte[]> BYTES = new Codec<>()
    {
        @Override
        public byte[] encode(final byte[] item)
        {
            return item;
        }

        @Override
        public byte[] decode(final byte[] bytes)
        {
            return bytes;
        }
    };

    /**
     * Strings as UTF-8.
     */
    public static final Codec<String> STRING = new Codec<>()
    {
        @Override
        public byte[] encode(final String item)
        {
            return item.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(final byte[] bytes)
        {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    };

    /**
     * Longs as 8 bytes, big-endian.
     */
    public static final Codec<Long> LONG = fixed(Long.BYTES, (buffer, item) -> buffer.putLong(0, item), buffer -> buffer.getLong(0));

    /**
     * Integers as 4 bytes, big-endian.
     */
    public static final Codec<Integer> INT = fixed(Integer.BYTES, (buffer, item) -> buffer.putInt(0, item), buffer -> buffer.getInt(0));

    /**
     * Doubles as 8 bytes, big-endian.
     */
    public static final Codec<Double> DOUBLE =
        fixed(Double.BYTES, (buffer, item) -> buffer.putDouble(0, item), buffer -> buffer.getDouble(0));

    private Codecs()
    {
    }

    /**
     * A codec for a record whose components are primitives, their boxes, {@code String},
     * {@code byte[]}, or records of those: the record is examined once, here, and each item is
     * then written component by component, without reflection or Java serialization; decoding
     * runs the record's constructor.
     *
     * @param type the record class.
     * @return the codec.
     * @throws IllegalArgumentException if a component is of another type.
     */
    public static <R extends Record> Codec<R> record(final Class<R> type)
    {
        return new RecordCodec<>(type);
    }

    /**
     * A codec of items that are always {@code length} bytes, big-endian.
     */
    private static <T> Codec<T> fixed(
        final int length, final BiConsumer<ByteBuffer, T> put, final Function<ByteBuffer, T> get)
    {
        return new Codec<>()
        {
            @Override
            public byte[] encode(final T item)
            {
                final ByteBuffer buffer = ByteBuffer.allocate(length);
                put.accept(buffer, item);
                return buffer.array();
            }

            @Override
            public T decode(final byte[] bytes)
            {
                if (bytes.length != length)
                {
                    throw new IllegalArgumentException("expected " + length + " bytes, found " + bytes.length);
                }
                return get.apply(ByteBuffer.wrap(bytes));
            }
        };
    }
}
