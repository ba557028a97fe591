package io.shm.channel;

import io.shm.exceptions.MessageTooLargeException;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.Objects;

/**
 * Where a {@link ChannelReceiver} receives one message to: a destination of each kind, each
 * re-aimed at every call (one per receiver), so that receiving allocates nothing.
 */
abstract class ReceiveSink
{
    /**
     * @param total the message length; throws if it does not fit, before anything is consumed.
     * @return false to stop before consuming the message (a peek).
     */
    abstract boolean begin(int total);

    abstract void copy(DirectBuffer source, int index, int at, int length, boolean fromRing);

    void checkRoom(final int total, final int room)
    {
        if (total > room)
        {
            throw new MessageTooLargeException("the receive buffer holds " + room + " bytes, the message has " +
                total + "; it stays to be received into a larger one");
        }
    }

    void checkWhole(final int total, final int size)
    {
        if (total % size != 0)
        {
            throw new IllegalStateException("a message of " + total + " bytes is not a whole number of " + size +
                "-byte values");
        }
    }

    /**
     * Looks without consuming: stops before the message.
     */
    static final class Peek extends ReceiveSink
    {
        @Override
        boolean begin(final int total)
        {
            return false;
        }

        @Override
        void copy(final DirectBuffer source, final int index, final int at, final int length, final boolean fromRing)
        {
            throw new AssertionError("a peek copies nothing");
        }
    }

    /**
     * Into a {@code byte[]}; one per receiver, re-aimed at each call, so receiving allocates nothing.
     */
    static final class ByteArraySink extends ReceiveSink
    {
        private byte[] destination;

        ByteArraySink into(final byte[] destination)
        {
            this.destination = Objects.requireNonNull(destination, "destination");
            return this;
        }

        @Override
        boolean begin(final int total)
        {
            checkRoom(total, destination.length);
            return true;
        }

        @Override
        void copy(final DirectBuffer source, final int index, final int at, final int length, final boolean fromRing)
        {
            source.getBytes(index, destination, at, length);
        }
    }

    static final class DirectBufferSink extends ReceiveSink
    {
        private MutableDirectBuffer destination;
        private int offset;

        DirectBufferSink into(final MutableDirectBuffer destination, final int offset)
        {
            this.destination = Objects.requireNonNull(destination, "destination");
            this.offset = Objects.checkIndex(offset, destination.capacity() + 1);
            return this;
        }

        @Override
        boolean begin(final int total)
        {
            checkRoom(total, destination.capacity() - offset);
            return true;
        }

        @Override
        void copy(final DirectBuffer source, final int index, final int at, final int length, final boolean fromRing)
        {
            destination.putBytes(offset + at, source, index, length);
        }
    }

    /**
     * Into a {@code ByteBuffer} from its position; the caller moves the position once it is all there.
     */
    static final class ByteBufferSink extends ReceiveSink
    {
        private ByteBuffer destination;

        ByteBufferSink into(final ByteBuffer destination)
        {
            if (destination.isReadOnly())
            {
                throw new ReadOnlyBufferException();
            }
            this.destination = destination;
            return this;
        }

        @Override
        boolean begin(final int total)
        {
            checkRoom(total, destination.remaining());
            return true;
        }

        @Override
        void copy(final DirectBuffer source, final int index, final int at, final int length, final boolean fromRing)
        {
            source.getBytes(index, destination, destination.position() + at, length);
        }
    }

    /**
     * An array of 8-byte words ({@code double[]} or {@code long[]}), filled by bulk copies of the
     * message's bytes in native order, as a native-order view of the bytes would read them.
     */
    static final class WordArraySink extends ReceiveSink
    {
        private static final long DOUBLES = UnsafeApi.arrayBaseOffset(double[].class);
        private static final long LONGS = UnsafeApi.arrayBaseOffset(long[].class);

        private Object destination;
        private long base;
        private int words;

        WordArraySink into(final double[] destination, final int offset)
        {
            return into(Objects.requireNonNull(destination, "destination"), DOUBLES, destination.length, offset);
        }

        WordArraySink into(final long[] destination, final int offset)
        {
            return into(Objects.requireNonNull(destination, "destination"), LONGS, destination.length, offset);
        }

        private WordArraySink into(final Object destination, final long arrayBase, final int length, final int offset)
        {
            Objects.checkIndex(offset, length + 1);
            this.destination = destination;
            this.base = arrayBase + (long)offset * Long.BYTES;
            this.words = length - offset;
            return this;
        }

        @Override
        boolean begin(final int total)
        {
            checkWhole(total, Long.BYTES);
            checkRoom(total, words * Long.BYTES);
            return true;
        }

        @Override
        void copy(final DirectBuffer source, final int index, final int at, final int length, final boolean fromRing)
        {
            // From the ring (off heap: no array) or from a message reassembled aside (a byte[]).
            UnsafeApi.copyMemory(source.byteArray(), source.addressOffset() + index, destination, base + at, length);
        }
    }
}
