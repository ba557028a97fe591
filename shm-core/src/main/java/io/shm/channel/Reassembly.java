package io.shm.channel;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayDeque;

import static io.shm.channel.ChannelDescriptor.BEGIN;
import static io.shm.channel.ChannelDescriptor.END;
import static io.shm.channel.ChannelDescriptor.MAX_PRODUCERS;

/**
 * Messages of other senders that a {@link ChannelReceiver} meets while it streams one sender's
 * fragmented message: their fragments are copied aside, one buffer per producer slot, and each
 * message, once whole, waits in a queue to be received next. A stream of whole records never
 * touches it.
 */
final class Reassembly
{
    private final ExpandableArrayBuffer[] fragments = new ExpandableArrayBuffer[MAX_PRODUCERS];
    private final int[] lengths = new int[MAX_PRODUCERS];
    private final boolean[] begun = new boolean[MAX_PRODUCERS];
    private final ArrayDeque<byte[]> completed = new ArrayDeque<>();
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);

    /**
     * Copies a record's payload aside.
     *
     * @param ring     the ring.
     * @param producer the record's producer slot.
     * @param meta     its flags and length.
     * @param payload  the index of its payload.
     * @param length   the payload's length.
     * @return 0, or {@code length} if the record was dropped: it continues a message whose first
     *         fragment this receiver never saw (a receiver before it, now dead, took it).
     */
    int stash(final DirectBuffer ring, final int producer, final int meta, final int payload, final int length)
    {
        ExpandableArrayBuffer assembly = fragments[producer];
        if (assembly == null)
        {
            assembly = new ExpandableArrayBuffer(length);
            fragments[producer] = assembly;
        }
        int data = payload;
        int count = length;
        if ((meta & BEGIN) != 0)
        {
            begun[producer] = true;
            lengths[producer] = 0;
            if ((meta & END) == 0)
            {
                // The first of several fragments starts with the total length.
                data += Long.BYTES;
                count -= Long.BYTES;
            }
        }
        else if (!begun[producer])
        {
            return length;
        }
        assembly.putBytes(lengths[producer], ring, data, count);
        lengths[producer] += count;
        if ((meta & END) != 0)
        {
            final byte[] message = new byte[lengths[producer]];
            assembly.getBytes(0, message);
            completed.add(message);
            lengths[producer] = 0;
            begun[producer] = false;
        }
        return 0;
    }

    /**
     * Drops what a producer slot had begun: its sender died mid-message.
     */
    void forget(final int producer)
    {
        lengths[producer] = 0;
        begun[producer] = false;
    }

    boolean isEmpty()
    {
        return completed.isEmpty();
    }

    byte[] peek()
    {
        return completed.peek();
    }

    byte[] poll()
    {
        return completed.poll();
    }

    /**
     * Hands whole messages over, up to {@code limit} in all, to {@code handler} or, if it is null,
     * to {@code controlled}, which may refuse one: that one then stays first in line.
     *
     * @return {@code count} plus the messages handed over; its complement ({@code ~}) if one was refused.
     */
    int hand(final MessageHandler handler, final ControlledMessageHandler controlled, final int count, final int limit)
    {
        int handed = count;
        byte[] done;
        while (handed < limit && (done = completed.peek()) != null)
        {
            view.wrap(done);
            if (controlled == null)
            {
                completed.poll();
                handler.onMessage(view, 0, done.length);
            }
            else if (controlled.onMessage(view, 0, done.length))
            {
                completed.poll();
            }
            else
            {
                return ~handed;
            }
            handed++;
        }
        return handed;
    }
}
