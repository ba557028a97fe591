package io.shm.queue;

import io.shm.codec.Codec;
import io.shm.codec.Codecs;
import io.shm.exceptions.MessageTooLargeException;
import io.shm.exceptions.ParameterMismatchException;
import io.shm.segment.Companion;
import io.shm.segment.ObjectType;
import io.shm.segment.Segment;
import io.shm.segment.Shared;
import io.shm.segment.SharedObject;
import io.shm.segment.TypeId;
import io.shm.sync.ShmCondition;
import io.shm.sync.ShmLock;
import io.shm.wait.Deadline;
import org.agrona.concurrent.AtomicBuffer;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

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
 * ({@code <name>.lock}) with two conditions ({@code <name>.notEmpty}, {@code <name>.notFull}).
 * <p>
 * <b>A process killed inside {@code put} or {@code take}</b> (holding the lock) never leaves the
 * queue inconsistent: each step records, before it changes the queue's words, what they were
 * ({@link QueueDescriptor}), and the next process to take the lock, told that the owner died,
 * repairs them from that record before anything else. A <b>put</b> whose item was written is
 * finished: the item is in the queue (and counted as unfinished, in a {@link ShmJoinableQueue}).
 * A <b>take</b> is undone: its item never reached the caller, so it stays at the head for the
 * next consumer. A process killed while waiting for room or for an item holds nothing and
 * changes nothing.
 * <p>
 * <b>Memory consistency effects across processes:</b> what a process did before {@code put} is
 * visible to the process whose {@code take} returns that item.
 * <p>
 * {@link #close()} tells this handle no more items will be put through it (Python's
 * {@code close()}); other processes are unaffected.
 *
 * @param <T> the item type.
 */
public class ShmQueue<T> implements Shared
{
    /**
     * The type recorded in the segment for the queue's state and items.
     */
    // Layout 2 records the pending step (see QueueDescriptor): an older process would neither
    // record nor repair it, so it refuses these queues and they refuse it.
    public static final ObjectType TYPE = new ObjectType(TypeId.QUEUE.id(), "Queue", 1, 2);

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
    StepListener steps = NO_STEPS;

    /**
     * Told of each point inside a step, where a test stops a process to kill it there.
     */
    @FunctionalInterface
    interface StepListener
    {
        void at(String point);
    }

    private static final StepListener NO_STEPS = point -> { };

    ShmQueue(final Segment segment, final SharedObject object, final Codec<T> codec)
    {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.object = object;
        this.buffer = object.buffer();
        this.base = SharedObject.DATA_OFFSET;
        this.capacity = buffer.getInt(base + CAPACITY_OFFSET);
        this.maxItemLength = buffer.getInt(base + MAX_ITEM_LENGTH_OFFSET);
        this.slotLength = itemSlotLength(this.maxItemLength);
        final String name = object.name();
        this.lock = ShmLock.openOrCreate(segment, Companion.LOCK.of(segment.name(), name));
        this.notEmpty = ShmCondition.openOrCreate(segment, Companion.NOT_EMPTY.of(segment.name(), name), lock);
        this.notFull = ShmCondition.openOrCreate(segment, Companion.NOT_FULL.of(segment.name(), name), lock);
    }

    /**
     * Opens the queue, or creates it empty.
     *
     * @param segment       the segment.
     * @param name          the queue's name.
     * @param capacity      the most items it holds.
     * @param maxItemLength the longest item, in encoded bytes.
     * @param codec         turns items into bytes and back.
     * @param <T>           the item type.
     * @return the queue.
     * @throws ParameterMismatchException if it exists with another capacity or max item length.
     */
    public static <T> ShmQueue<T> openOrCreate(
        final Segment segment, final String name, final int capacity, final int maxItemLength, final Codec<T> codec)
    {
        return new ShmQueue<>(segment, QueueObjects.find(segment, name, TYPE, QueueObjects.Mode.OPEN_OR_CREATE, capacity, maxItemLength),
            codec);
    }

    /**
     * Creates the queue, empty.
     *
     * @throws io.shm.exceptions.ObjectExistsException if the segment has an object of that name.
     * @see #openOrCreate
     */
    public static <T> ShmQueue<T> create(
        final Segment segment, final String name, final int capacity, final int maxItemLength, final Codec<T> codec)
    {
        return new ShmQueue<>(segment, QueueObjects.find(segment, name, TYPE, QueueObjects.Mode.CREATE, capacity, maxItemLength), codec);
    }

    /**
     * Opens an existing queue, whatever its capacity.
     *
     * @param segment the segment.
     * @param name    the queue's name.
     * @param codec   turns items into bytes and back.
     * @return the queue.
     * @throws io.shm.exceptions.UnknownObjectException if there is none of that name.
     */
    public static <T> ShmQueue<T> open(final Segment segment, final String name, final Codec<T> codec)
    {
        return new ShmQueue<>(segment, segment.openObject(name, TYPE), codec);
    }

    @Override
    public SharedObject object()
    {
        return object;
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
        return put(item, Deadline.nanos(timeout, unit));
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
        return decode(take(Deadline.nanos(timeout, unit)));
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
     * @return whether puts count unfinished tasks (a joinable queue).
     */
    boolean countsTasks()
    {
        return false;
    }

    /**
     * @return the consumer slot of this process, claimed if need be, to count what it takes; -1
     *         if takes are not counted.
     */
    int takerSlot()
    {
        return -1;
    }

    /**
     * Called under the lock after a step was finished or undone for a dead owner.
     */
    void afterRepair()
    {
    }

    /**
     * Called under the lock before anything else: if the previous holder died inside a step, the
     * step is finished or undone (see the class comment), then the lock is marked consistent.
     */
    final void recover()
    {
        if (lock.ownerDied())
        {
            repairStep();
            lock.markConsistent();
        }
    }

    /**
     * Records the step about to change the queue: the words it changes, as they are now; the
     * op goes last, so a record cut short is no record.
     */
    final void beginStep(final int op, final int slot, final long index, final long taken)
    {
        buffer.putInt(base + PENDING_SLOT_OFFSET, slot);
        buffer.putLong(base + PENDING_INDEX_OFFSET, index);
        buffer.putLong(base + PENDING_TAKEN_OFFSET, taken);
        buffer.putLong(base + PENDING_UNFINISHED_OFFSET, buffer.getLong(base + UNFINISHED_OFFSET));
        buffer.putIntRelease(base + PENDING_OP_OFFSET, op);
    }

    final void endStep()
    {
        buffer.putIntRelease(base + PENDING_OP_OFFSET, NO_STEP);
    }

    final int takenOffset(final int slot)
    {
        return base + consumerSlotOffset(slot) + CONSUMER_TAKEN_OFFSET;
    }

    /**
     * Sets the words a dead owner's step changes to where the step takes them (put, taskDone) or
     * to where they were before it (take), from the record alone: the same whichever of its stores
     * the owner made before it died.
     */
    private void repairStep()
    {
        final int op = buffer.getIntAcquire(base + PENDING_OP_OFFSET);
        if (op == NO_STEP)
        {
            return;
        }
        final int slot = buffer.getInt(base + PENDING_SLOT_OFFSET);
        final long index = buffer.getLong(base + PENDING_INDEX_OFFSET);
        final long taken = buffer.getLong(base + PENDING_TAKEN_OFFSET);
        final long unfinished = buffer.getLong(base + PENDING_UNFINISHED_OFFSET);
        switch (op)
        {
            case PUT_STEP ->
            {
                buffer.putLong(base + TAIL_OFFSET, index + 1);
                buffer.putLong(base + UNFINISHED_OFFSET, countsTasks() ? unfinished + 1 : unfinished);
            }
            case TAKE_STEP ->
            {
                buffer.putLong(base + HEAD_OFFSET, index);
                if (slot >= 0)
                {
                    buffer.putLong(takenOffset(slot), taken);
                }
            }
            case DONE_STEP ->
            {
                buffer.putLong(takenOffset(slot), taken - 1);
                buffer.putLong(base + UNFINISHED_OFFSET, unfinished - 1);
            }
            default -> throw new io.shm.exceptions.CorruptSegmentException(object.describe() +
                " records an unknown pending step " + op);
        }
        endStep();
        afterRepair();
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
        lock.lockInterruptibly();
        try
        {
            if (!awaitWhile(() -> tail() - head() == capacity, notFull, timeoutNanos))
            {
                return false;
            }
            final long tail = tail();
            final int slot = slotIndex(tail);
            buffer.putInt(slot, bytes.length);
            buffer.putBytes(slot + Integer.BYTES, bytes);
            // Recorded once the item is whole: from here on, a death finishes the put.
            beginStep(PUT_STEP, -1, tail, 0);
            steps.at("put:recorded");
            buffer.putLongRelease(base + TAIL_OFFSET, tail + 1);
            steps.at("put:tail-moved");
            if (countsTasks())
            {
                buffer.putLong(base + UNFINISHED_OFFSET, buffer.getLong(base + UNFINISHED_OFFSET) + 1);
            }
            steps.at("put:counted");
            endStep();
            notEmpty.signal();
            return true;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * With the lock held, repairs a dead holder's step and waits on {@code condition} while
     * {@code blocked}, repairing again after each wake.
     *
     * @param timeoutNanos the longest wait, or a negative value for no limit.
     * @return false if the time ran out while still blocked.
     */
    private boolean awaitWhile(final BooleanSupplier blocked, final ShmCondition condition, final long timeoutNanos)
        throws InterruptedException
    {
        long nanos = timeoutNanos;
        recover();
        while (blocked.getAsBoolean())
        {
            if (nanos == 0)
            {
                return false;
            }
            if (nanos < 0)
            {
                condition.await();
            }
            else
            {
                nanos = Math.max(0, condition.awaitNanos(nanos));
            }
            recover();
        }
        return true;
    }

    private byte[] take(final long timeoutNanos) throws InterruptedException
    {
        object.checkOpen();
        lock.lockInterruptibly();
        try
        {
            if (!awaitWhile(() -> tail() == head(), notEmpty, timeoutNanos))
            {
                return null;
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
            final int taker = takerSlot();
            final long taken = taker >= 0 ? buffer.getLong(takenOffset(taker)) : 0;
            // Until the step ends, a death undoes the take: the item has not reached the caller.
            beginStep(TAKE_STEP, taker, head, taken);
            steps.at("take:recorded");
            buffer.putLongRelease(base + HEAD_OFFSET, head + 1);
            steps.at("take:head-moved");
            if (taker >= 0)
            {
                buffer.putLong(takenOffset(taker), taken + 1);
            }
            steps.at("take:counted");
            endStep();
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
