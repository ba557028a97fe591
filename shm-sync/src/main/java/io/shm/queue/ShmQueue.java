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
import io.shm.sync.Held;
import io.shm.sync.ShmCondition;
import io.shm.sync.ShmLock;
import io.shm.wait.Deadline;
import io.shm.wait.Waitable;
import io.shm.wait.Waiter;
import org.agrona.concurrent.AtomicBuffer;

import java.lang.invoke.VarHandle;
import java.util.AbstractQueue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.shm.queue.QueueDescriptor.*;

/**
 * A bounded queue shared by any number of producer and consumer processes: Python's
 * {@code multiprocessing.Queue}, a {@link BlockingQueue}. Items cross as bytes through a
 * {@link Codec}, each taking only its own length in the queue's ring of bytes.
 * <pre>{@code
 * ShmQueue<String> tasks = ShmQueue.openOrCreate(segment, "tasks", 100, 256, Codecs.STRING);
 * tasks.put("resize photo-1.jpg");       // in producers
 * String task = tasks.take();            // in consumers
 * }</pre>
 * <b>Design.</b> The items live in a ring of bytes ({@link QueueDescriptor}) guarded by a robust
 * {@link ShmLock} ({@code <name>.lock}) with two conditions ({@code <name>.notEmpty},
 * {@code <name>.notFull}). The queue holds at most {@link #capacity()} items and at most its
 * ring's bytes: a put waits while either is full, so {@link #remainingCapacity()} (in items) is
 * what can be put without waiting only if the items are short enough. Nulls are refused, as in
 * every {@link BlockingQueue}. The iterator walks a snapshot taken under the lock.
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
 * {@code close()}); other processes are unaffected. Python's names: {@code qsize} is
 * {@link #size()}, {@code get} {@link #take()} or {@link #poll(long, TimeUnit)},
 * {@code get_nowait} {@link #poll()}, {@code put_nowait} {@link #offer(Object)}.
 *
 * @param <T> the item type.
 */
public class ShmQueue<T> extends AbstractQueue<T> implements BlockingQueue<T>, Shared, AutoCloseable, Waitable
{
    /**
     * The type recorded in the segment for the queue's state and items.
     */
    // Layout 3 keeps items in a ring of bytes (see QueueDescriptor): an older process would read
    // fixed slots, so it refuses these queues and they refuse it.
    public static final ObjectType TYPE = new ObjectType(TypeId.QUEUE.id(), "Queue", 1, 3);

    final SharedObject object;
    final AtomicBuffer buffer;
    final ShmLock lock;
    final int base;
    private final Codec<T> codec;
    private final ShmCondition notEmpty;
    private final ShmCondition notFull;
    private Waiter watcher;
    private final int capacity;
    private final int maxItemLength;
    private final int ringLength;
    final QueueRing layout;
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
        this.ringLength = buffer.getInt(base + RING_LENGTH_OFFSET);
        this.layout = new QueueRing(object);
        final String name = object.name();
        this.lock = ShmLock.openOrCreate(segment, Companion.LOCK.of(segment.name(), name));
        this.notEmpty = ShmCondition.openOrCreate(segment, Companion.NOT_EMPTY.of(segment.name(), name), lock);
        this.notFull = ShmCondition.openOrCreate(segment, Companion.NOT_FULL.of(segment.name(), name), lock);
    }

    /**
     * Opens the queue, or creates it empty with the default ring
     * ({@link QueueDescriptor#defaultRingLength}: {@code capacity} items of up to 60 bytes, and
     * at least two of the longest).
     *
     * @param segment       the segment.
     * @param name          the queue's name.
     * @param capacity      the most items it holds.
     * @param maxItemLength the longest item, in encoded bytes.
     * @param codec         turns items into bytes and back.
     * @param <T>           the item type.
     * @return the queue.
     * @throws ParameterMismatchException if it exists with another capacity, max item length or ring.
     */
    public static <T> ShmQueue<T> openOrCreate(
        final Segment segment, final String name, final int capacity, final int maxItemLength, final Codec<T> codec)
    {
        return openOrCreate(segment, name, capacity, maxItemLength, defaultRingLength(capacity, maxItemLength), codec);
    }

    /**
     * Opens the queue, or creates it empty with a ring of {@code ringLength} bytes.
     *
     * @param ringLength the bytes its items may take, a multiple of 8 holding at least two of the
     *                   longest items (each takes its length rounded up to 8, plus 4).
     * @see #openOrCreate(Segment, String, int, int, Codec)
     */
    public static <T> ShmQueue<T> openOrCreate(final Segment segment, final String name, final int capacity,
        final int maxItemLength, final long ringLength, final Codec<T> codec)
    {
        return new ShmQueue<>(segment,
            QueueObjects.find(segment, name, TYPE, QueueObjects.Mode.OPEN_OR_CREATE, capacity, maxItemLength, ringLength),
            codec);
    }

    /**
     * Creates the queue, empty, with the default ring.
     *
     * @throws io.shm.exceptions.ObjectExistsException if the segment has an object of that name.
     * @see #openOrCreate
     */
    public static <T> ShmQueue<T> create(
        final Segment segment, final String name, final int capacity, final int maxItemLength, final Codec<T> codec)
    {
        return new ShmQueue<>(segment, QueueObjects.find(segment, name, TYPE, QueueObjects.Mode.CREATE, capacity,
            maxItemLength, defaultRingLength(capacity, maxItemLength)), codec);
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
    @Override
    public void put(final T item) throws InterruptedException
    {
        put(encode(item), -1, true);
    }

    /**
     * Puts an item, waiting at most {@code timeout} for room; a zero or negative time does not wait.
     *
     * @return false if there was no room in time.
     */
    @Override
    public boolean offer(final T item, final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return put(encode(item), Deadline.nanos(timeout, unit), true);
    }

    /**
     * Puts an item if there is room now; never waits, whatever the thread's interrupt status.
     *
     * @return false if the queue was full.
     */
    @Override
    public boolean offer(final T item)
    {
        try
        {
            return put(encode(item), 0, false);
        }
        catch (final InterruptedException ex)
        {
            throw new AssertionError("a put that does not wait was interrupted", ex);
        }
    }

    /**
     * Takes the oldest item, waiting as long as it takes.
     *
     * @return the item.
     * @throws InterruptedException if interrupted while waiting; nothing was taken.
     */
    @Override
    public T take() throws InterruptedException
    {
        return decode(take(-1, true, true));
    }

    /**
     * Takes the oldest item, waiting at most {@code timeout}.
     *
     * @return the item, or null if none came in time.
     */
    @Override
    public T poll(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return decode(take(Deadline.nanos(timeout, unit), true, true));
    }

    /**
     * Takes the oldest item if there is one; never waits.
     *
     * @return the item, or null if the queue was empty.
     */
    @Override
    public T poll()
    {
        return decode(takeNow(true));
    }

    /**
     * @return the oldest item, left in the queue, or null if it is empty; never waits.
     */
    @Override
    public T peek()
    {
        return decode(takeNow(false));
    }

    /**
     * @return whether an item seems to be there, looked at without the lock: a take would find
     *         one unless another taker is first ({@link io.shm.wait.WaitMany}).
     */
    @Override
    public boolean isReady()
    {
        object.checkOpen();
        return layout.hasItemNow();
    }

    /**
     * @return a waiter woken by every put, for a {@link io.shm.wait.WaitMany} of the thread that
     *         takes from this handle.
     */
    @Override
    public Waiter waiter()
    {
        if (watcher == null)
        {
            watcher = notEmpty.watcher(this::isReady);
        }
        return watcher;
    }

    /**
     * @return the number of items in the queue now.
     */
    @Override
    public int size()
    {
        try (Held held = hold())
        {
            return (int)(layout.tail() - layout.head());
        }
    }

    /**
     * @return how many more items fit by count; fewer fit if they are long (the ring's bytes bound them too).
     */
    @Override
    public int remainingCapacity()
    {
        return capacity - size();
    }

    @Override
    public int drainTo(final Collection<? super T> target)
    {
        return drainTo(target, Integer.MAX_VALUE);
    }

    /**
     * Takes at most {@code maxElements} items into {@code target}, under one hold of the lock.
     */
    @Override
    public int drainTo(final Collection<? super T> target, final int maxElements)
    {
        Objects.requireNonNull(target, "target");
        if (target == this)
        {
            throw new IllegalArgumentException("cannot drain " + object.describe() + " into itself");
        }
        int drained = 0;
        try (Held held = hold())
        {
            while (drained < maxElements && !layout.isEmpty())
            {
                target.add(decode(layout.removeHead(takerSlot(), steps)));
                drained++;
            }
            if (drained > 0)
            {
                notFull.signalAll();
            }
        }
        return drained;
    }

    /**
     * @return an iterator over a snapshot of the items, oldest first, taken under the lock; it
     *         does not see later changes, and its {@code remove} is not supported.
     */
    @Override
    public Iterator<T> iterator()
    {
        final List<T> snapshot = new ArrayList<>();
        try (Held held = hold())
        {
            layout.items().forEach(bytes -> snapshot.add(decode(bytes)));
        }
        return Collections.unmodifiableList(snapshot).iterator();
    }

    public boolean isFull()
    {
        return size() == capacity;
    }

    public int capacity()
    {
        return capacity;
    }

    /**
     * @return the bytes the queue's items may take together.
     */
    public int ringLength()
    {
        return ringLength;
    }

    public String name()
    {
        return object.name();
    }

    /**
     * No more items will be put through this handle; {@code put} and {@code offer} then throw
     * {@link IllegalStateException}. Taking still works.
     */
    @Override
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
     * Takes the lock (not interruptibly) and repairs a dead holder's step.
     */
    final Held hold()
    {
        object.checkOpen();
        final Held held = lock.hold();
        recover();
        return held;
    }

    /**
     * Called under the lock before anything else: if the previous holder died inside a step, the
     * step is finished or undone (see the class comment), then the lock is marked consistent.
     */
    final void recover()
    {
        if (lock.ownerDied())
        {
            if (layout.repairStep(countsTasks()))
            {
                afterRepair();
            }
            lock.markConsistent();
        }
    }

    private byte[] encode(final T item)
    {
        Objects.requireNonNull(item, "a queue holds no nulls");
        final byte[] bytes = codec.encode(item);
        if (bytes.length > maxItemLength)
        {
            throw new MessageTooLargeException("an item of " + bytes.length + " bytes exceeds the " + maxItemLength +
                "-byte items of " + object.describe());
        }
        return bytes;
    }

    private boolean put(final byte[] bytes, final long timeoutNanos, final boolean interruptible)
        throws InterruptedException
    {
        object.checkOpen();
        if (closed)
        {
            throw new IllegalStateException(object.describe() + " was closed by this handle");
        }
        final long record = recordLength(bytes.length);
        try (Held held = interruptible ? lock.holdInterruptibly() : lock.hold())
        {
            if (!notFull.awaitWhile(() -> !layout.fits(record), timeoutNanos, this::recover))
            {
                return false;
            }
            layout.append(bytes, countsTasks(), steps);
            // A watcher (a wait on many sources) looks at the tail without the lock, and takes
            // none of the items: the tail is visible before the look at the waiters, and every
            // sleeper is woken, so that a taker's wake never goes to a watcher.
            VarHandle.fullFence();
            notEmpty.signalAll();
            return true;
        }
    }

    private byte[] take(final long timeoutNanos, final boolean interruptible, final boolean remove)
        throws InterruptedException
    {
        object.checkOpen();
        try (Held held = interruptible ? lock.holdInterruptibly() : lock.hold())
        {
            if (!notEmpty.awaitWhile(layout::isEmpty, timeoutNanos, this::recover))
            {
                return null;
            }
            if (!remove)
            {
                return layout.readItem(layout.itemPosition(buffer.getLong(base + HEAD_POSITION_OFFSET)));
            }
            final byte[] bytes = layout.removeHead(takerSlot(), steps);
            notFull.signal();
            return bytes;
        }
    }

    private byte[] takeNow(final boolean remove)
    {
        try
        {
            return take(0, false, remove);
        }
        catch (final InterruptedException ex)
        {
            throw new AssertionError("a take that does not wait was interrupted", ex);
        }
    }

    private T decode(final byte[] bytes)
    {
        return bytes == null ? null : codec.decode(bytes);
    }

    @Override
    public String toString()
    {
        return object.describe() + " of " + capacity + " items in " + ringLength + " bytes";
    }
}
