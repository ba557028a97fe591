package io.shm.queue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

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
    public static final Codec<Long> LONG = new Codec<>()
    {
        @Override
        public byte[] encode(final Long item)
        {
            return ByteBuffer.allocate(Long.BYTES).putLong(0, item).array();
        }

        @Override
        public Long decode(final byte[] bytes)
        {
            return ByteBuffer.wrap(checkLength(bytes, Long.BYTES)).getLong(0);
        }
    };

    /**
     * Integers as 4 bytes, big-endian.
     */
    public static final Codec<Integer> INT = new Codec<>()
    {
        @Override
        public byte[] encode(final Integer item)
        {
            return ByteBuffer.allocate(Integer.BYTES).putInt(0, item).array();
        }

        @Override
        public Integer decode(final byte[] bytes)
        {
            return ByteBuffer.wrap(checkLength(bytes, Integer.BYTES)).getInt(0);
        }
    };

    /**
     * Doubles as 8 bytes, big-endian.
     */
    public static final Codec<Double> DOUBLE = new Codec<>()
    {
        @Override
        public byte[] encode(final Double item)
        {
            return ByteBuffer.allocate(Double.BYTES).putDouble(0, item).array();
        }

        @Override
        public Double decode(final byte[] bytes)
        {
            return ByteBuffer.wrap(checkLength(bytes, Double.BYTES)).getDouble(0);
        }
    };

    private Codecs()
    {
    }

    private static byte[] checkLength(final byte[] bytes, final int length)
    {
        if (bytes.length != length)
        {
            throw new IllegalArgumentException("expected " + length + " bytes, found " + bytes.length);
        }
        return bytes;
    }
}
