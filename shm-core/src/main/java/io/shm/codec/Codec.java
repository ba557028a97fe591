package io.shm.codec;

/**
 * Turns items into bytes and back, so they can cross between processes. Java serialization is
 * never used by default: decoding bytes written by another process must not run its code.
 *
 * @param <T> the item type.
 */
public interface Codec<T>
{
    /**
     * @param item an item.
     * @return its bytes.
     */
    byte[] encode(T item);

    /**
     * @param bytes what {@link #encode} made, possibly in another process.
     * @return the item.
     */
    T decode(byte[] bytes);
}
