package io.shm.journal;

import org.agrona.DirectBuffer;

/**
 * What a {@link JournalReader} hands its messages to, in sequence order.
 */
public interface JournalHandler
{
    /**
     * @param sequence the message's sequence number in the stream.
     * @param buffer   the buffer holding it, valid during the call.
     * @param offset   its first byte.
     * @param length   its length.
     */
    void onMessage(long sequence, DirectBuffer buffer, int offset, int length);

    /**
     * Messages {@code from} to {@code to} (inclusive) cannot be delivered: neither the journal nor
     * the live stream has them. By default, nothing.
     */
    default void onGap(final long from, final long to)
    {
    }
}
