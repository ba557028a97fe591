package io.shm.channel;

import org.agrona.DirectBuffer;

/**
 * A handler that may refuse a message, leaving it to be handed over again by the next poll (as
 * Aeron's controlled poll does): a bridge whose onward transport is back-pressured refuses, so the
 * message stays in the ring and the back pressure reaches the local sender. The buffer is valid
 * only during the call.
 */
@FunctionalInterface
public interface ControlledMessageHandler
{
    /**
     * @param buffer the buffer holding the message.
     * @param offset its first byte.
     * @param length its length.
     * @return true to take the message; false to leave it, and stop the poll, so that the next
     *         poll hands the same message over again.
     */
    boolean onMessage(DirectBuffer buffer, int offset, int length);
}
