package io.shm.channel;

import org.agrona.DirectBuffer;

/**
 * Sees a received message in place, without a copy. The bytes are valid only during the call:
 * the ring reuses them afterwards.
 */
@FunctionalInterface
public interface MessageHandler
{
    /**
     * @param buffer the buffer holding the message.
     * @param offset its first byte.
     * @param length its length.
     */
    void onMessage(DirectBuffer buffer, int offset, int length);
}
