package io.shm.collections;

import org.agrona.concurrent.AtomicBuffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Hashing and comparing encoded keys. The hash is part of the layout: every process must compute
 * the same one for the same bytes, so it depends on nothing but the bytes.
 */
final class Keys
{
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long P1 = 0x9E37_79B9_7F4A_7C15L;
    private static final long P2 = 0xBF58_476D_1CE4_E5B9L;

    private Keys()
    {
    }

    /**
     * @return a 64-bit hash of {@code bytes}, mixed so that every bit depends on every input bit.
     */
    static long hash(final byte[] bytes)
    {
        final int n = bytes.length;
        long h = n * P1;
        int i = 0;
        for (; i + Long.BYTES <= n; i += Long.BYTES)
        {
            h = Long.rotateLeft(h ^ (long)LONGS.get(bytes, i) * P1, 31) * P2;
        }
        long tail = 0;
        for (int shift = 0; i < n; i++, shift += Byte.SIZE)
        {
            tail |= (bytes[i] & 0xFFL) << shift;
        }
        h = Long.rotateLeft(h ^ tail * P1, 31) * P2;
        // MurmurHash3's finalizer.
        h ^= h >>> 33;
        h *= 0xFF51_AFD7_ED55_8CCDL;
        h ^= h >>> 33;
        h *= 0xC4CE_B9FE_1A85_EC53L;
        return h ^ h >>> 33;
    }

    /**
     * @return whether the {@code key.length} bytes at {@code offset} of {@code buffer} are {@code key}.
     */
    static boolean equal(final AtomicBuffer buffer, final int offset, final byte[] key)
    {
        final int n = key.length;
        int i = 0;
        for (; i + Long.BYTES <= n; i += Long.BYTES)
        {
            if (buffer.getLong(offset + i, ByteOrder.LITTLE_ENDIAN) != (long)LONGS.get(key, i))
            {
                return false;
            }
        }
        for (; i < n; i++)
        {
            if (buffer.getByte(offset + i) != key[i])
            {
                return false;
            }
        }
        return true;
    }
}
