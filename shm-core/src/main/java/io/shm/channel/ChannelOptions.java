package io.shm.channel;

import org.agrona.BitUtil;

/**
 * How a channel is made: ring capacity, largest message, one or many producers, and whether
 * receivers may sleep. Immutable; each {@code withX} returns a checked copy. Defaults: 256 KiB
 * ring, messages up to 64 MiB, one producer, blocking.
 *
 * @param capacity          the ring's size in bytes: a power of two, at least 1 KiB, at most 512 MiB.
 * @param maxMessageLength  the largest message; longer ones are refused before anything is written.
 *                          Messages longer than an eighth of the ring are sent in fragments.
 * @param multiProducer     whether many senders (threads or processes) may send at once.
 * @param blocking          whether receivers may sleep in the kernel; if not, they only spin and yield,
 *                          and senders never look for a sleeping receiver (for spin-only latency work).
 */
public record ChannelOptions(int capacity, int maxMessageLength, boolean multiProducer, boolean blocking)
{
    public static final int DEFAULT_CAPACITY = 256 * 1024;
    public static final int DEFAULT_MAX_MESSAGE_LENGTH = 64 * 1024 * 1024;
    public static final int MAX_CAPACITY = 1 << 29;

    /**
     * Checks the fields.
     */
    public ChannelOptions
    {
        if (capacity < ChannelDescriptor.MIN_CAPACITY || capacity > MAX_CAPACITY || !BitUtil.isPowerOfTwo(capacity))
        {
            throw new IllegalArgumentException("channel capacity must be a power of two from " +
                ChannelDescriptor.MIN_CAPACITY + " to " + MAX_CAPACITY + ": " + capacity);
        }
        if (maxMessageLength < 1 || maxMessageLength > ChannelDescriptor.LENGTH_MASK)
        {
            throw new IllegalArgumentException("max message length must be 1 to " + ChannelDescriptor.LENGTH_MASK +
                ": " + maxMessageLength);
        }
    }

    /**
     * @return the defaults.
     */
    public static ChannelOptions defaults()
    {
        return new ChannelOptions(DEFAULT_CAPACITY, DEFAULT_MAX_MESSAGE_LENGTH, false, true);
    }

    public ChannelOptions withCapacity(final int capacity)
    {
        return new ChannelOptions(capacity, maxMessageLength, multiProducer, blocking);
    }

    public ChannelOptions withMaxMessageLength(final int maxMessageLength)
    {
        return new ChannelOptions(capacity, maxMessageLength, multiProducer, blocking);
    }

    public ChannelOptions withMultiProducer(final boolean multiProducer)
    {
        return new ChannelOptions(capacity, maxMessageLength, multiProducer, blocking);
    }

    public ChannelOptions withBlocking(final boolean blocking)
    {
        return new ChannelOptions(capacity, maxMessageLength, multiProducer, blocking);
    }

    /**
     * @return the largest payload of one record: an eighth of the ring, less its header, in whole 8-byte words.
     */
    public int maxRecordPayload()
    {
        return (capacity / 8 - ChannelDescriptor.HEADER_LENGTH) & ~7;
    }
}
