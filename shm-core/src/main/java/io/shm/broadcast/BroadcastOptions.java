package io.shm.broadcast;

import org.agrona.BitUtil;

/**
 * How a broadcast channel is made: ring capacity, largest message, how many receivers may be
 * attached at once, and what the sender does when a receiver falls a ring behind. Immutable; each
 * {@code withX} returns a checked copy. Defaults: 1 MiB ring, messages up to an eighth of it,
 * 16 receivers, lossy.
 *
 * @param capacity         the ring's size in bytes: a power of two, 1 KiB to 512 MiB.
 * @param maxMessageLength the largest message, 1 byte to an eighth of the ring less a record header;
 *                         a broadcast message is never cut into fragments.
 * @param maxReceivers     how many receivers may be attached at once, 1 to 1024.
 * @param backPressured    false (lossy): the sender never waits, and a receiver a ring behind is
 *                         told how many messages it lost; true: the sender waits for the slowest
 *                         live receiver.
 */
public record BroadcastOptions(int capacity, int maxMessageLength, int maxReceivers, boolean backPressured)
{
    public static final int DEFAULT_CAPACITY = 1024 * 1024;
    public static final int DEFAULT_MAX_RECEIVERS = 16;
    public static final int MAX_CAPACITY = 1 << 29;
    public static final int MAX_RECEIVERS = 1024;

    /**
     * Checks the fields.
     */
    public BroadcastOptions
    {
        if (capacity < BroadcastDescriptor.MIN_CAPACITY || capacity > MAX_CAPACITY || !BitUtil.isPowerOfTwo(capacity))
        {
            throw new IllegalArgumentException("broadcast capacity must be a power of two from " +
                BroadcastDescriptor.MIN_CAPACITY + " to " + MAX_CAPACITY + ": " + capacity);
        }
        if (maxMessageLength < 1 || maxMessageLength > largestMessage(capacity))
        {
            throw new IllegalArgumentException("broadcast max message length must be 1 to " + largestMessage(capacity) +
                " for a capacity of " + capacity + ": " + maxMessageLength);
        }
        if (maxReceivers < 1 || maxReceivers > MAX_RECEIVERS)
        {
            throw new IllegalArgumentException("broadcast max receivers must be 1 to " + MAX_RECEIVERS + ": " +
                maxReceivers);
        }
    }

    /**
     * @return the defaults.
     */
    public static BroadcastOptions defaults()
    {
        return new BroadcastOptions(DEFAULT_CAPACITY, largestMessage(DEFAULT_CAPACITY), DEFAULT_MAX_RECEIVERS, false);
    }

    /**
     * @return the largest message a ring of {@code capacity} bytes takes: an eighth of it, less a
     *         record header.
     */
    public static int largestMessage(final int capacity)
    {
        return capacity / 8 - BroadcastDescriptor.HEADER_LENGTH;
    }

    /**
     * A copy with this capacity; the largest message shrinks to fit it if need be.
     */
    public BroadcastOptions withCapacity(final int capacity)
    {
        return new BroadcastOptions(capacity, Math.min(maxMessageLength, largestMessage(capacity)), maxReceivers,
            backPressured);
    }

    public BroadcastOptions withMaxMessageLength(final int maxMessageLength)
    {
        return new BroadcastOptions(capacity, maxMessageLength, maxReceivers, backPressured);
    }

    public BroadcastOptions withMaxReceivers(final int maxReceivers)
    {
        return new BroadcastOptions(capacity, maxMessageLength, maxReceivers, backPressured);
    }

    public BroadcastOptions withBackPressure(final boolean backPressured)
    {
        return new BroadcastOptions(capacity, maxMessageLength, maxReceivers, backPressured);
    }
}
