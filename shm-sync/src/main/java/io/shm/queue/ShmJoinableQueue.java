package io.shm.queue;

import io.shm.codec.Codec;
import io.shm.exceptions.PeerDiedException;
import io.shm.process.ProcessSlot;
import io.shm.segment.Companion;
import io.shm.segment.ObjectType;
import io.shm.segment.Segment;
import io.shm.segment.SharedObject;
import io.shm.segment.TypeId;
import io.shm.sync.ShmCondition;
import io.shm.wait.Deadline;
import io.shm.wait.WaitStrategy;

import java.util.concurrent.TimeUnit;

import static io.shm.queue.QueueDescriptor.*;

/**
 * A queue whose producers can wait until every item has been processed: Python's
 * {@code multiprocessing.JoinableQueue}.
 * <pre>{@code
 * // consumer process                       // producer process
 * while (true)                               for (String task : tasks)
 * {                                          {
 *     String task = queue.take();                queue.put(task);
 *     process(task);                         }
 *     queue.taskDone();                      queue.join();     // every task processed
 * }
 * }</pre>
 * Each put adds an unfinished task; each {@link #taskDone()} finishes one that the calling process
 * took. {@link #taskDone()} called more times than the process took items throws
 * {@link IllegalStateException} (Python's {@code ValueError}). The queue records, per consumer
 * process, how many items it took and has not finished, so {@link #join()} fails with
 * {@link PeerDiedException} naming a consumer that died with unfinished items, instead of waiting
 * forever.
 * <p>
 * A process killed inside a step (holding the queue's lock) leaves the counts consistent: a put
 * and a {@code taskDone} are finished by the next holder of the lock, a take is undone (its item
 * stays queued and is counted against nobody), so {@link #join()} neither returns early nor fails
 * for an item that is still in the queue. See {@link ShmQueue} and {@link QueueDescriptor}.
 *
 * @param <T> the item type.
 */
public final class ShmJoinableQueue<T> extends ShmQueue<T>
{
    /**
     * The type recorded in the segment.
     */
    // Layout 2 records the pending step (see QueueDescriptor): an older process would neither
    // record nor repair it, so it refuses these queues and they refuse it.
    public static final ObjectType TYPE = new ObjectType(TypeId.JOINABLE_QUEUE.id(), "JoinableQueue", 1, 3);

    private final ShmCondition allDone;
    private int consumerSlot = -1;

    private ShmJoinableQueue(final Segment segment, final SharedObject object, final Codec<T> codec)
    {
        super(segment, object, codec);
        this.allDone = ShmCondition.openOrCreate(segment, Companion.ALL_DONE.of(segment.name(), object.name()), lock);
    }

    /**
     * Opens the queue, or creates it empty.
     *
     * @see ShmQueue#openOrCreate
     */
    public static <T> ShmJoinableQueue<T> openOrCreate(
        final Segment segment, final String name, final int capacity, final int maxItemLength, final Codec<T> codec)
    {
        return new ShmJoinableQueue<>(segment,
            QueueObjects.find(segment, name, TYPE, QueueObjects.Mode.OPEN_OR_CREATE, capacity, maxItemLength,
                QueueDescriptor.defaultRingLength(capacity, maxItemLength)), codec);
    }

    /**
     * Creates the queue, empty.
     *
     * @see ShmQueue#create
     */
    public static <T> ShmJoinableQueue<T> create(
        final Segment segment, final String name, final int capacity, final int maxItemLength, final Codec<T> codec)
    {
        return new ShmJoinableQueue<>(segment, QueueObjects.find(segment, name, TYPE, QueueObjects.Mode.CREATE, capacity, maxItemLength,
            QueueDescriptor.defaultRingLength(capacity, maxItemLength)),
            codec);
    }

    /**
     * Opens an existing queue.
     *
     * @see ShmQueue#open
     */
    public static <T> ShmJoinableQueue<T> open(final Segment segment, final String name, final Codec<T> codec)
    {
        return new ShmJoinableQueue<>(segment, segment.openObject(name, TYPE), codec);
    }

    /**
     * Marks one item this process took as processed.
     *
     * @throws IllegalStateException if this process has no taken item left to mark.
     */
    public void taskDone()
    {
        object.checkOpen();
        lock.lock();
        try
        {
            recover();
            final int slot = findSlot();
            final long taken = slot < 0 ? 0 : buffer.getLong(layout.takenOffset(slot));
            if (taken == 0)
            {
                throw new IllegalStateException("taskDone() called more times than items taken from " +
                    object.describe() + " by this process");
            }
            final long unfinished = buffer.getLong(base + UNFINISHED_OFFSET) - 1;
            // A death from here on finishes the step: the item was processed.
            layout.beginStep(DONE_STEP, slot, 0, 0, taken);
            steps.at("done:recorded");
            buffer.putLong(layout.takenOffset(slot), taken - 1);
            steps.at("done:taken-counted");
            buffer.putLong(base + UNFINISHED_OFFSET, unfinished);
            steps.at("done:unfinished-counted");
            layout.endStep();
            if (unfinished == 0)
            {
                allDone.signalAll();
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Waits until every item put has been taken and marked done.
     *
     * @throws PeerDiedException    if a consumer process died with items it had not finished.
     * @throws InterruptedException if interrupted while waiting.
     */
    public void join() throws InterruptedException
    {
        join(-1);
    }

    /**
     * As {@link #join()}, waiting at most {@code timeout}.
     *
     * @return false if items were still unfinished when the time ran out.
     */
    public boolean join(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return join(Deadline.nanos(timeout, unit));
    }

    /**
     * @return the items put and not yet marked done.
     */
    public long unfinishedTasks()
    {
        object.checkOpen();
        lock.lock();
        try
        {
            recover();
            return buffer.getLong(base + UNFINISHED_OFFSET);
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    boolean countsTasks()
    {
        return true;
    }

    @Override
    int takerSlot()
    {
        final int slot = findSlot();
        return slot >= 0 ? slot : claimSlot();
    }

    @Override
    void afterRepair()
    {
        if (buffer.getLong(base + UNFINISHED_OFFSET) == 0)
        {
            allDone.signalAll();
        }
    }

    private boolean join(final long timeoutNanos) throws InterruptedException
    {
        object.checkOpen();
        final long deadline = Deadline.after(timeoutNanos);
        lock.lockInterruptibly();
        try
        {
            while (true)
            {
                recover();
                if (buffer.getLong(base + UNFINISHED_OFFSET) == 0)
                {
                    return true;
                }
                checkConsumers();
                final long remaining = Deadline.remaining(deadline, System.nanoTime());
                if (remaining <= 0)
                {
                    return false;
                }
                // Wake at least once a slice to look for consumers that died.
                allDone.awaitNanos(Math.min(remaining, WaitStrategy.DEFAULT_SLICE_NANOS));
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    private void checkConsumers()
    {
        for (int slot = 0; slot < MAX_CONSUMERS; slot++)
        {
            final int offset = base + consumerSlotOffset(slot);
            final long pid = ProcessSlot.pid(buffer, offset);
            final long taken = buffer.getLong(offset + CONSUMER_TAKEN_OFFSET);
            if (taken > 0 && ProcessSlot.isProvenDead(buffer, offset, pid))
            {
                throw new PeerDiedException("consumer process " + pid + " of " + object.describe() + " died with " +
                    taken + " item(s) taken and not marked done; join() cannot complete");
            }
        }
    }

    private int findSlot()
    {
        if (consumerSlot >= 0 && ProcessSlot.isHeldByThisProcess(buffer, base + consumerSlotOffset(consumerSlot)))
        {
            return consumerSlot;
        }
        for (int slot = 0; slot < MAX_CONSUMERS; slot++)
        {
            if (ProcessSlot.isHeldByThisProcess(buffer, base + consumerSlotOffset(slot)))
            {
                consumerSlot = slot;
                return slot;
            }
        }
        return -1;
    }

    /**
     * Takes a free consumer slot, or one whose process is proven dead with nothing left unfinished
     * (a dead consumer's unfinished items keep its slot, so that {@link #join()} can name it).
     */
    private int claimSlot()
    {
        for (int pass = 0; pass < 2; pass++)
        {
            for (int slot = 0; slot < MAX_CONSUMERS; slot++)
            {
                final int offset = base + consumerSlotOffset(slot);
                final boolean claimed = pass == 0 ? ProcessSlot.claimIfFree(buffer, offset) :
                    buffer.getLong(offset + CONSUMER_TAKEN_OFFSET) == 0 && ProcessSlot.takeOverFromDead(buffer, offset);
                if (claimed)
                {
                    buffer.putLong(offset + CONSUMER_TAKEN_OFFSET, 0);
                    consumerSlot = slot;
                    return slot;
                }
            }
        }
        throw new IllegalStateException(object.describe() + " has " + MAX_CONSUMERS + " consumer processes already");
    }
}
