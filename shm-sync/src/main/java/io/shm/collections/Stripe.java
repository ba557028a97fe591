package io.shm.collections;

import io.shm.segment.SharedObject;
import io.shm.sync.ShmLock;
import io.shm.wait.WaitStrategy;
import org.agrona.concurrent.AtomicBuffer;

import java.lang.invoke.VarHandle;

import static io.shm.collections.MapDescriptor.*;

/**
 * One stripe of a container: a table of slots, a robust lock for its writers, a sequence word for
 * its readers, free lists of entries by size class, and the step record that makes every change
 * recoverable.
 * <p>
 * <b>Readers</b> take no lock (a seqlock): read the sequence (acquire) and go on only if it is
 * even; read the table, slots and entries; then check the sequence is unchanged, else read again.
 * What they read between may be torn by a writer, so every length and ref is bounds-checked before
 * use ({@link Heap#buffer}), and a read that makes no sense while the sequence held is corruption.
 * A reader that finds the sequence odd for longer than a spin takes and releases the lock: it waits
 * (through the lock's wait, spin then futex) for a live writer to finish, or, if the writer died
 * mid-step, its lock acquire is the one that repairs the stripe.
 * <p>
 * <b>A writer's step</b> changes one slot: it fills a new entry (or none, for a removal), and
 * frees the entry the slot held (or none). Entries are never changed in place, so a reader never
 * sees a half-written value under an even sequence. Under the lock:
 * <ol>
 *     <li>choose the new entry's block: the head of its size class's free list, else fresh heap;</li>
 *     <li>record the step: slot index, old and new slot, the free-list heads after the allocation
 *     and before the free, the sequence, and the counts after; then the op {@code PREPARED}, last;</li>
 *     <li>write the entry into its block (this overwrites the block's free-list link, which the
 *     record holds);</li>
 *     <li>set the op to {@code COMMITTED};</li>
 *     <li>apply: sequence odd, pop the free list, store the slot, the counts, push the freed entry,
 *     sequence even; each a plain store of a value taken from the record;</li>
 *     <li>clear the op.</li>
 * </ol>
 * <b>Repair.</b> The next process to take the lock from a dead writer ({@link ShmLock#ownerDied()})
 * reads the op: none, nothing to do (a fresh block taken before the record is lost, one block at
 * most); {@code PREPARED}, undo (put back the link the entry overwrote; the map holds the old
 * value); {@code COMMITTED}, apply again from the record, which gives the same stores whatever
 * subset the dead writer made (the map holds the new value). Either way no other entry is touched.
 * <p>
 * <b>Growth.</b> Replacing the table is a step of the same kind, whose "slot" is the table word:
 * the new table is the new block, filled off to the side while readers read the old one; applying
 * stores the table word and frees the old table's block, under an odd sequence like any step, so
 * a reader that read the old table fails its check if that block is reused.
 */
final class Stripe
{
    private static final int READ_SPINS = 1_000;

    final ShmLock lock;
    private final SharedObject object;
    private final AtomicBuffer root;
    private final Heap heap;
    private final int base;
    Steps steps = Steps.NONE;
    /** What {@link #take} chose, for the record: the free list's class (or -1) and its head after. */
    private int allocClass;
    private long allocHeadAfter;

    Stripe(final SharedObject object, final Heap heap, final int index, final WaitStrategy strategy)
    {
        this.object = object;
        this.root = object.buffer();
        this.heap = heap;
        this.base = SharedObject.DATA_OFFSET + stripeOffset(index);
        this.lock = ShmLock.embedded(object, base + LOCK_OFFSET, strategy);
    }

    // ---------------------------------------------------------------- readers

    /**
     * @return an even sequence to check the read against with {@link #unchanged}.
     */
    long beginRead()
    {
        // A closed or deleted container is unmapped: refuse before touching it.
        object.checkOpen();
        for (int spins = 0; ; spins++)
        {
            final long seq = root.getLongAcquire(base + SEQ_OFFSET);
            if ((seq & 1) == 0)
            {
                return seq;
            }
            if (spins < READ_SPINS)
            {
                Thread.onSpinWait();
            }
            else
            {
                lock();
                lock.unlock();
                spins = 0;
            }
        }
    }

    /**
     * @return whether no writer changed the stripe since {@code seq} was read.
     */
    boolean unchanged(final long seq)
    {
        // Loads before the fence (the slots and entries) complete before the sequence is read again.
        VarHandle.loadLoadFence();
        return root.getLong(base + SEQ_OFFSET) == seq;
    }

    /**
     * @return the table word, read with acquire so that a table published by a resize is seen whole.
     */
    long tableAcquire()
    {
        return root.getLongAcquire(base + TABLE_OFFSET);
    }

    long live()
    {
        object.checkOpen();
        return root.getLongVolatile(base + LIVE_OFFSET);
    }

    long used()
    {
        return root.getLong(base + USED_OFFSET);
    }

    Heap heap()
    {
        return heap;
    }

    // ---------------------------------------------------------------- writers

    /**
     * Takes the stripe's lock, repairing the stripe first if its last holder died.
     */
    void lock()
    {
        lock.lock();
        if (lock.ownerDied())
        {
            repair();
            lock.markConsistent();
        }
    }

    void unlock()
    {
        lock.unlock();
    }

    /**
     * @return the free-list head of a size class (under the lock).
     */
    private long freeHead(final int sizeClass)
    {
        return root.getLong(base + FREE_HEADS_OFFSET + sizeClass * Long.BYTES);
    }

    /**
     * One recorded step that changes a slot (see the class comment); under the lock.
     *
     * @param index     the slot's index in the current table.
     * @param oldSlot   what the slot holds now.
     * @param key       the new entry's key, or null for none (the slot becomes {@code emptySlot}).
     * @param hash      the key's hash.
     * @param value     the new entry's value.
     * @param emptySlot what the slot becomes when there is no new entry: EMPTY or TOMBSTONE.
     * @param liveAfter the live count after the step.
     * @param usedAfter the used count after the step.
     */
    void step(final long index, final long oldSlot, final byte[] key, final long hash, final byte[] value,
        final long emptySlot, final long liveAfter, final long usedAfter)
    {
        final long newRef = key == null ? 0 : take(classOf(ENTRY_HEADER_LENGTH + (long)key.length + value.length));
        steps.at("allocated");
        final long freedRef = oldSlot == EMPTY || oldSlot == TOMBSTONE ? 0 : refOfSlot(oldSlot);
        int freedClass = -1;
        if (freedRef != 0)
        {
            final AtomicBuffer freed = heap.at(freedRef);
            final int at = offsetOf(freedRef);
            freedClass = classOf(ENTRY_HEADER_LENGTH + (long)freed.getInt(at + ENTRY_KEY_LENGTH_OFFSET) +
                freed.getInt(at + ENTRY_VALUE_LENGTH_OFFSET));
        }
        record(index, oldSlot, newRef != 0 ? slot(newRef, hash) : emptySlot, newRef, freedRef, freedClass, liveAfter,
            usedAfter);
        if (newRef != 0)
        {
            final AtomicBuffer entry = heap.at(newRef);
            final int at = offsetOf(newRef);
            entry.putInt(at + ENTRY_KEY_LENGTH_OFFSET, key.length);
            entry.putInt(at + ENTRY_VALUE_LENGTH_OFFSET, value.length);
            entry.putLong(at + ENTRY_HASH_OFFSET, hash);
            entry.putBytes(at + ENTRY_HEADER_LENGTH, key);
            entry.putBytes(at + ENTRY_HEADER_LENGTH + key.length, value);
        }
        commit();
    }

    /**
     * One recorded step that replaces the table with one of {@code 2^log2} slots, which
     * {@code filler} fills (zeroed first) while readers still read the old one; the old table's
     * block is freed like an entry's. Under the lock.
     */
    void replaceTable(final int log2, final Filler filler, final long usedAfter)
    {
        final long oldTable = root.getLong(base + TABLE_OFFSET);
        final long newRef = take(classOf(8L << log2));
        steps.at("allocated");
        final long freedRef = oldTable == 0 ? 0 : tableRef(oldTable);
        record(TABLE_STEP, oldTable, table(newRef, log2), newRef, freedRef,
            freedRef == 0 ? -1 : classOf(8L << tableLog2(oldTable)), live(), usedAfter);
        final AtomicBuffer target = heap.at(newRef);
        target.setMemory(offsetOf(newRef), 8 << log2, (byte)0);
        filler.fill(target, offsetOf(newRef), (1 << log2) - 1);
        commit();
    }

    /**
     * Chooses a block of a size class: the head of its free list (left on the list until the step
     * is applied), else fresh heap.
     */
    private long take(final int sizeClass)
    {
        final long head = freeHead(sizeClass);
        if (head != 0)
        {
            allocClass = sizeClass;
            allocHeadAfter = heap.at(head).getLong(offsetOf(head) + FREE_NEXT_OFFSET);
            return head;
        }
        allocClass = -1;
        allocHeadAfter = 0;
        return heap.allocate(classLength(sizeClass), SMALL_CLASS_STEP);
    }

    /**
     * Writes the step record and publishes it as PREPARED.
     */
    private void record(final long index, final long oldSlot, final long newSlot, final long newRef, final long freedRef,
        final int freedClass, final long liveAfter, final long usedAfter)
    {
        root.putLong(base + STEP_SLOT_OFFSET, index);
        root.putLong(base + STEP_OLD_SLOT_OFFSET, oldSlot);
        root.putLong(base + STEP_NEW_SLOT_OFFSET, newSlot);
        root.putLong(base + STEP_ALLOC_CLASS_OFFSET, newRef == 0 ? -1 : allocClass);
        root.putLong(base + STEP_ALLOC_HEAD_AFTER_OFFSET, allocHeadAfter);
        root.putLong(base + STEP_FREED_REF_OFFSET, freedRef);
        root.putLong(base + STEP_FREED_CLASS_OFFSET, freedClass);
        root.putLong(base + STEP_FREED_HEAD_BEFORE_OFFSET,
            freedRef == 0 ? 0 : newRef != 0 && freedClass == allocClass ? allocHeadAfter : freeHead(freedClass));
        root.putLong(base + STEP_SEQ_BEFORE_OFFSET, root.getLong(base + SEQ_OFFSET));
        root.putLong(base + STEP_LIVE_AFTER_OFFSET, liveAfter);
        root.putLong(base + STEP_USED_AFTER_OFFSET, usedAfter);
        root.putLong(base + STEP_NEW_REF_OFFSET, newRef);
        // Release: the record is whole before the op says it is there.
        root.putLongRelease(base + STEP_OP_OFFSET, PREPARED);
        steps.at("recorded");
    }

    /**
     * The new block is written: mark the step COMMITTED, apply it, clear the record.
     */
    private void commit()
    {
        steps.at("written");
        // Release: the new block is whole before the op says the step will be applied.
        root.putLongRelease(base + STEP_OP_OFFSET, COMMITTED);
        steps.at("committed");
        apply();
        root.putLongRelease(base + STEP_OP_OFFSET, 0);
    }

    /**
     * Applies the recorded step; every store is a value from the record, so applying again after
     * a partial apply gives the same result.
     */
    private void apply()
    {
        final long seqBefore = root.getLong(base + STEP_SEQ_BEFORE_OFFSET);
        root.putLongVolatile(base + SEQ_OFFSET, seqBefore + 1);
        // The odd sequence is visible before any of the stores below.
        VarHandle.storeStoreFence();
        final int allocClass = (int)root.getLong(base + STEP_ALLOC_CLASS_OFFSET);
        if (allocClass >= 0)
        {
            root.putLong(base + FREE_HEADS_OFFSET + allocClass * Long.BYTES, root.getLong(base + STEP_ALLOC_HEAD_AFTER_OFFSET));
        }
        final long index = root.getLong(base + STEP_SLOT_OFFSET);
        if (index == TABLE_STEP)
        {
            root.putLongRelease(base + TABLE_OFFSET, root.getLong(base + STEP_NEW_SLOT_OFFSET));
        }
        else
        {
            final long tableRef = tableRef(root.getLong(base + TABLE_OFFSET));
            heap.at(tableRef).putLongRelease(offsetOf(tableRef) + (int)index * Long.BYTES,
                root.getLong(base + STEP_NEW_SLOT_OFFSET));
        }
        steps.at("slot-stored");
        root.putLong(base + LIVE_OFFSET, root.getLong(base + STEP_LIVE_AFTER_OFFSET));
        root.putLong(base + USED_OFFSET, root.getLong(base + STEP_USED_AFTER_OFFSET));
        final long freedRef = root.getLong(base + STEP_FREED_REF_OFFSET);
        if (freedRef != 0)
        {
            final int freedClass = (int)root.getLong(base + STEP_FREED_CLASS_OFFSET);
            heap.at(freedRef).putLong(offsetOf(freedRef) + FREE_NEXT_OFFSET, root.getLong(base + STEP_FREED_HEAD_BEFORE_OFFSET));
            root.putLong(base + FREE_HEADS_OFFSET + freedClass * Long.BYTES, freedRef);
        }
        steps.at("freed");
        // Release: every store above is visible before a reader sees the even sequence.
        root.putLongRelease(base + SEQ_OFFSET, seqBefore + 2);
    }

    /**
     * Finishes or undoes the step a dead writer left (see the class comment); under the lock.
     */
    private void repair()
    {
        final long op = root.getLongVolatile(base + STEP_OP_OFFSET);
        if (op == COMMITTED)
        {
            apply();
        }
        else if (op == PREPARED)
        {
            final int allocClass = (int)root.getLong(base + STEP_ALLOC_CLASS_OFFSET);
            if (allocClass >= 0)
            {
                final long newRef = root.getLong(base + STEP_NEW_REF_OFFSET);
                heap.at(newRef).putLong(offsetOf(newRef) + FREE_NEXT_OFFSET, root.getLong(base + STEP_ALLOC_HEAD_AFTER_OFFSET));
            }
        }
        final long seq = root.getLong(base + SEQ_OFFSET);
        if ((seq & 1) != 0)
        {
            // Only apply() makes the sequence odd, and only while COMMITTED: unreachable, but
            // readers must never be left spinning on it.
            root.putLongRelease(base + SEQ_OFFSET, seq + 1);
        }
        root.putLongRelease(base + STEP_OP_OFFSET, 0);
    }

    /**
     * @return the free-list heads, for a consistency check.
     */
    long[] freeHeads()
    {
        final long[] heads = new long[CLASSES];
        for (int c = 0; c < CLASSES; c++)
        {
            heads[c] = freeHead(c);
        }
        return heads;
    }

    /**
     * Fills a new table: {@code mask + 1} slots from {@code start} of {@code target}, all EMPTY.
     */
    interface Filler
    {
        void fill(AtomicBuffer target, int start, int mask);
    }

    /**
     * Points inside a step where a test may stop a writer.
     */
    interface Steps
    {
        Steps NONE = point -> { };

        void at(String point);
    }
}
