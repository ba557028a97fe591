package io.shm.channel;

import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.AtomicBuffer;

import java.nio.ByteBuffer;

import static io.shm.channel.ChannelDescriptor.*;

/**
 * Writes a whole message into the ring for a {@link ChannelSender}: as one record when it fits
 * {@link ChannelOptions#maxRecordPayload()}, else as fragments, the first carrying the total
 * length, then the data. Where the bytes come from is a {@link Source}.
 */
final class RecordWriter
{
    private final SenderRing ring;
    private final AtomicBuffer buffer;
    private final int maxRecordPayload;

    RecordWriter(final SenderRing ring, final AtomicBuffer buffer, final int maxRecordPayload)
    {
        this.ring = ring;
        this.buffer = buffer;
        this.maxRecordPayload = maxRecordPayload;
    }

    /**
     * Copies part of a message into the ring.
     */
    @FunctionalInterface
    interface Source
    {
        void copy(AtomicBuffer target, int targetIndex, int sourceIndex, int length);
    }

    static Source bytes(final byte[] source, final int offset)
    {
        return (target, targetIndex, sourceIndex, length) -> target.putBytes(targetIndex, source, offset + sourceIndex, length);
    }

    static Source bytes(final ByteBuffer source)
    {
        final int position = source.position();
        return (target, targetIndex, sourceIndex, length) -> target.putBytes(targetIndex, source, position + sourceIndex, length);
    }

    static Source bytes(final DirectBuffer source, final int offset)
    {
        return (target, targetIndex, sourceIndex, length) -> target.putBytes(targetIndex, source, offset + sourceIndex, length);
    }

    static Source words(final Object array, final long arrayBase, final int offset)
    {
        final long start = arrayBase + (long)offset * Long.BYTES;
        return (target, targetIndex, sourceIndex, length) ->
            UnsafeApi.copyMemory(array, start + sourceIndex, null, target.addressOffset() + targetIndex, length);
    }

    /**
     * Writes a message of {@code length} bytes (within the channel's limit, checked by the
     * caller), waiting for room until {@code deadline}.
     *
     * @return false if the deadline passed first (fragments written by then stay, and the
     *         receiver discards the cut message).
     */
    boolean write(final Source source, final int length, final long deadline) throws InterruptedException
    {
        if (length <= maxRecordPayload)
        {
            final int index = ring.claim(length, deadline);
            if (index == SenderRing.NO_SPACE)
            {
                return false;
            }
            source.copy(buffer, index + HEADER_LENGTH, 0, length);
            ring.publish(index, UNFRAGMENTED | length);
            return true;
        }
        // Fragments: the first carries the total length, then the data in whole 8-byte words.
        int sent = 0;
        boolean first = true;
        while (sent < length || first)
        {
            final int room = first ? maxRecordPayload - Long.BYTES : maxRecordPayload;
            final int chunk = Math.min(room, length - sent);
            final int payload = first ? chunk + Long.BYTES : chunk;
            final int index = ring.claim(payload, deadline);
            if (index == SenderRing.NO_SPACE)
            {
                return false;
            }
            int data = index + HEADER_LENGTH;
            if (first)
            {
                buffer.putLong(data, length);
                data += Long.BYTES;
            }
            source.copy(buffer, data, sent, chunk);
            sent += chunk;
            ring.publish(index, (first ? BEGIN : 0) | (sent == length ? END : 0) | payload);
            first = false;
        }
        return true;
    }
}
