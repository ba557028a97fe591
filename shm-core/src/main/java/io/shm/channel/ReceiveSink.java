package io.shm.channel;

import io.shm.exceptions.MessageTooLargeException;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.LongBuffer;
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

    static final class DoubleArraySink extends ReceiveSink
    {
        private final DoubleBuffer doubles;
        private double[] destination;
        private int offset;

        /**
         * @param doubles a native-order view of the ring's mapping, for bulk copies.
         */
        DoubleArraySink(final DoubleBuffer doubles)
        {
            this.doubles = doubles;
        }

        DoubleArraySink into(final double[] destination, final int offset)
        {
            this.destination = Objects.requireNonNull(destination, "destination");
            this.offset = Objects.checkIndex(offset, destination.length + 1);
            return this;
        }

        @Override
        boolean begin(final int total)
        {
            checkWhole(total, Double.BYTES);
            checkRoom(total, (destination.length - offset) * Double.BYTES);
            return true;
        }

        @Override
        void copy(final DirectBuffer source, final int index, final int at, final int length, final boolean fromRing)
        {
            if (fromRing)
            {
                doubles.get(index >> 3, destination, offset + (at >> 3), length >> 3);
                return;
            }
            // A message reassembled aside, in a byte[]: a bulk copy through a native-order view.
            ByteBuffer.wrap(source.byteArray(), index, length).order(ByteOrder.nativeOrder()).asDoubleBuffer()
                .get(destination, offset + (at >> 3), length >> 3);
        }
    }

    static final class LongArraySink extends ReceiveSink
    {
        private final LongBuffer longs;
        private long[] destination;
        private int offset;

        /**
         * @param longs a native-order view of the ring's mapping, for bulk copies.
         */
        LongArraySink(final LongBuffer longs)
        {
            this.longs = longs;
        }

        LongArraySink into(final long[] destination, final int offset)
        {
            this.destination = Objects.requireNonNull(destination, "destination");
            this.offset = Objects.checkIndex(offset, destination.length + 1);
            return this;
        }

        @Override
        boolean begin(final int total)
        {
            checkWhole(total, Long.BYTES);
            checkRoom(total, (destination.length - offset) * Long.BYTES);
            return true;
        }

        @Override
        void copy(final DirectBuffer source, final int index, final int at, final int length, final boolean fromRing)
        {
            if (fromRing)
            {
                longs.get(index >> 3, destination, offset + (at >> 3), length >> 3);
                return;
            }
            // A message reassembled aside, in a byte[]: a bulk copy through a native-order view.
            ByteBuffer.wrap(source.byteArray(), index, length).order(ByteOrder.nativeOrder()).asLongBuffer()
                .get(destination, offset + (at >> 3), length >> 3);
        }
    }
}
