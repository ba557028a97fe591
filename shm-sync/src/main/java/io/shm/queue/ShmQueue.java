package io.shm.queue;

import io.shm.exceptions.MessageTooLargeException;
import io.shm.exceptions.SegmentFullException;
import io.shm.process.ProcessIdentity;
import io.shm.segment.ObjectType;
import io.shm.segment.Segment;
import io.shm.segment.SharedObject;
import io.shm.sync.ShmCondition;
import io.shm.sync.ShmLock;
import org.agrona.concurrent.AtomicBuffer;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static io.shm.queue.QueueDescriptor.*;

/**
 * A bounded queue shared by any number of producer and consumer processes: Python's
 * {@code multiprocessing.Queue}, shaped like {@link java.util.concurrent.BlockingQueue}. Items
 * cross as bytes through a {@link Codec}.
 * <pre>{@code
 * ShmQueue<String> tasks = ShmQueue.openOrCreate(segment, "tasks", 100, 256, Codecs.STRING);
 * tasks.put("resize photo-1.jpg");       // in producers
 * String task = tasks.take();            // in consumers
 * }</pre>
 * <b>Design.</b> The items live in a ring of fixed-size slots guarded by a robust {@link ShmLock}
 * ({@code <name>.lock}) with two conditions ({@code <name>.notEmpty}, {@code <name>.notFull}). An item
 * is written before the tail moves past it, and taken before the head moves, so a process killed
 * in the middle of either leaves the queue consistent; the next holder of the lock is told the
 * owner died and carries on.
 * <p>
 * <b>Memory consistency effects across processes:</b> what a process did before {@code put} is
 * visible to the process whose {@code take} returns that item.
 * <p>
 * {@link #close()} tells this handle no more items will be put through it (Python's
 * {@code close()}); other processes are unaffected.
 *
 * @param <T> the item type.
 */
public class ShmQueue<T>
{
    /**
     * The type recorded in the segment for the queue's state and items.
     */
    public static final ObjectType TYPE = ObjectType.of(201, "Queue", 1);

    final SharedObject object;
    final AtomicBuffer buffer;
    final ShmLock lock;
    final int base;
    private final Codec<T> codec;
    private final ShmCondition notEmpty;
    private final ShmCondition notFull;
    private final int capacity;
    private final int maxItemLength;
    private final int slotLength;
    private boolean closed;

    ShmQueue(final Segment segment, final String name, final ObjectType type, final int capacity, final int maxItemLength,
        final Codec<T> codec)
    {
        if (capacity < 1 || maxItemLength < 0)
        {
            throw new IllegalArgumentException("queue '" + name + "' needs a capacity of at least 1 and a max item " +
                "length of at least 0: " + capacity + ", " + maxItemLength);
        }
        final long length = ITEMS_OFFSET + (long)capacity * itemSlotLength(maxItemLength);
        if (length > Integer.MAX_VALUE / 2)
        {
            throw new SegmentFullException("queue '" + name + "' of " + capacity + " items of " + maxItemLength +
                " bytes is too large (" + length + " bytes)");
        }
        this.codec = Objects.requireNonNull(codec, "codec");
        this.object = segment.object(name, type, length, created ->
        {
            created.buffer().putInt(SharedObject.DATA_OFFSET + CAPACITY_OFFSET, capacity);
            created.buffer().putInt(SharedObject.DATA_OFFSET + MAX_ITEM_LENGTH_OFFSET, maxItemLength);
        });
        this.buffer = object.buffer();
        this.base = SharedObject.DATA_OFFSET;
        this.capacity = buffer.getInt(base + CAPACITY_OFFSET);
        this.maxItemLength = buffer.getInt(base + MAX_ITEM_LENGTH_OFFSET);
        this.slotLength = itemSlotLength(this.maxItemLength);
        this.lock = ShmLock.openOrCreate(segment, name + ".lock");
        this.notEmpty = ShmCondition.openOrCreate(segment, name + ".notEmpty", lock);
        this.notFull = ShmCondition.openOrCreate(segment, name + ".notFull", lock);
    }

    /**
     * Opens the queue, or creates it empty.
     *
     * @param segment       the segment.
     * @param name          the queue's name.
     * @param capacity      the most items it holds (ignored when it exists).
     * @param maxItemLength the longest item, in encoded bytes (ignored when it exists).
     * @param codec         turns items into bytes and back.
     * @param <T>           the item type.
     * @return the queue.
     */
    public static <T> ShmQueue<T> openOrCreate(
        final Segment segment, final String name, final int capacity, final int maxItemLength, final Codec<T> codec)
    {
        return new ShmQueue<>(segment, name, TYPE, capacity, maxItemLength, codec);
    }

    /**
     * Puts an item, waiting for room as long as it takes.
     *
     * @param item the item.
     * @throws MessageTooLargeException if its encoding is longer than the queue's items.
     * @throws InterruptedException     if interrupted while waiting; nothing was put.
     */
    public void put(final T item) throws InterruptedException
    {
        put(item, -1);
    }

    /**
     * Puts an item, waiting at most {@code timeout} for room; a zero or negative time does not wait.
     *
     * @return false if there was no room in time.
     */
    public boolean offer(final T item, final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return put(item, Math.max(0, unit.toNanos(timeout)));
    }

    /**
     * Puts an item if there is room now.
     *
     * @return false if the queue was full.
     */
    public boolean offer(final T item)
    {
        try
        {
            return put(item, 0);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Takes the oldest item, waiting as long as it takes.
     *
     * @return the item.
     * @throws InterruptedException if interrupted while waiting; nothing was taken.
     */
    public T take() throws InterruptedException
    {
        return decode(take(-1));
    }

    /**
     * Takes the oldest item, waiting at most {@code timeout}.
     *
     * @return the item, or null if none came in time.
     */
    public T poll(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return decode(take(Math.max(0, unit.toNanos(timeout))));
    }

    /**
     * Takes the oldest item if there is one.
     *
     * @return the item, or null if the queue was empty.
     */
    public T poll()
    {
        try
        {
            return decode(take(0));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * @return the number of items in the queue now.
     */
    public int size()
    {
        object.checkOpen();
        lock.lock();
        try
        {
            recover();
            return (int)(tail() - head());
        }
        finally
        {
            lock.unlock();
        }
    }

    public boolean isEmpty()
    {
        return size() == 0;
    }

    public boolean isFull()
    {
        return size() == capacity;
    }

    public int capacity()
    {
        return capacity;
    }

    public String name()
    {
        return object.name();
    }

    /**
     * No more items will be put through this handle; {@code put} and {@code offer} then throw
     * {@link IllegalStateException}. Taking still works.
     */
    public void close()
    {
        closed = true;
    }

    /**
     * Called under the lock when an item has been taken.
     */
    void onTaken()
    {
    }

    /**
     * Called under the lock when an item has been put.
     */
    void onPut()
    {
    }

    /**
     * Called under the lock before anything else: if the previous holder died, the queue is
     * consistent by construction (see the class comment), so the lock is marked consistent.
     */
    final void recover()
    {
        if (lock.ownerDied())
        {
            lock.markConsistent();
        }
    }

    private boolean put(final T item, final long timeoutNanos) throws InterruptedException
    {
        object.checkOpen();
        if (closed)
        {
            throw new IllegalStateException(object.describe() + " was closed by this handle");
        }
        final byte[] bytes = codec.encode(item);
        if (bytes.length > maxItemLength)
        {
            throw new MessageTooLargeException("an item of " + bytes.length + " bytes exceeds the " + maxItemLength +
                "-byte items of " + object.describe());
        }
        long nanos = timeoutNanos;
        lock.lockInterruptibly();
        try
        {
            recover();
            while (tail() - head() == capacity)
            {
                if (nanos == 0)
                {
                    return false;
                }
                if (nanos < 0)
                {
                    notFull.await();
                }
                else
                {
                    nanos = Math.max(0, notFull.awaitNanos(nanos));
                }
                recover();
            }
            final long tail = tail();
            final int slot = slotIndex(tail);
            buffer.putInt(slot, bytes.length);
            buffer.putBytes(slot + Integer.BYTES, bytes);
            // The tail moves last: a put cut short leaves no half item behind.
            buffer.putLongRelease(base + TAIL_OFFSET, tail + 1);
            onPut();
            notEmpty.signal();
            return true;
        }
        finally
        {
            lock.unlock();
        }
    }

    private byte[] take(final long timeoutNanos) throws InterruptedException
    {
        object.checkOpen();
        long nanos = timeoutNanos;
        lock.lockInterruptibly();
        try
        {
            recover();
            while (tail() == head())
            {
                if (nanos == 0)
                {
                    return null;
                }
                if (nanos < 0)
                {
                    notEmpty.await();
                }
                else
                {
                    nanos = Math.max(0, notEmpty.awaitNanos(nanos));
                }
                recover();
            }
            final long head = head();
            final int slot = slotIndex(head);
            final int length = buffer.getInt(slot);
            if (length < 0 || length > maxItemLength)
            {
                throw new io.shm.exceptions.CorruptSegmentException(object.describe() + " holds an item of " + length +
                    " bytes at index " + head + ", outside 0 to " + maxItemLength);
            }
            final byte[] bytes = new byte[length];
            buffer.getBytes(slot + Integer.BYTES, bytes);
            onTaken();
            buffer.putLongRelease(base + HEAD_OFFSET, head + 1);
            notFull.signal();
            return bytes;
        }
        finally
        {
            lock.unlock();
        }
    }

    private T decode(final byte[] bytes)
    {
        return bytes == null ? null : codec.decode(bytes);
    }

    private long head()
    {
        return buffer.getLong(base + HEAD_OFFSET);
    }

    private long tail()
    {
        return buffer.getLong(base + TAIL_OFFSET);
    }

    private int slotIndex(final long index)
    {
        return base + ITEMS_OFFSET + (int)(index % capacity) * slotLength;
    }

    @Override
    public String toString()
    {
        return object.describe() + " of " + capacity + " items";
    }
}
