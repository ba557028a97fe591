package io.shm.collections;

import org.agrona.concurrent.AtomicBuffer;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.shm.collections.MapDescriptor.*;

/**
 * A hash stripe's table as a whole: rehashing it into a new one, copying its entries for an
 * iterator, and checking its invariants.
 */
final class Tables
{
    private Tables()
    {
    }

    /**
     * @return log2 of the slots that hold {@code entries} at a load of at most one half.
     */
    static int log2For(final long entries, final int minimum)
    {
        return Math.max(minimum, 64 - Long.numberOfLeadingZeros(2 * entries - 1));
    }

    /**
     * Builds a table of {@code 2^log2} slots holding the stripe's live entries, off to the side,
     * and publishes it (see {@link Stripe}); under the lock. Tombstones are left behind.
     */
    static void rehash(final Stripe stripe, final int log2)
    {
        final Heap heap = stripe.heap();
        final long table = stripe.tableAcquire();
        stripe.replaceTable(log2, (target, targetStart, mask) ->
        {
            if (table == 0)
            {
                return;
            }
            final AtomicBuffer source = heap.at(tableRef(table));
            final int sourceStart = offsetOf(tableRef(table));
            final int slots = 1 << tableLog2(table);
            for (int i = 0; i < slots; i++)
            {
                final long slot = source.getLong(sourceStart + i * Long.BYTES);
                if (slot == EMPTY || slot == TOMBSTONE)
                {
                    continue;
                }
                final long ref = refOfSlot(slot);
                final long hash = heap.at(ref).getLong(offsetOf(ref) + ENTRY_HASH_OFFSET);
                int j = ShmMap.index(hash, mask);
                while (target.getLong(targetStart + j * Long.BYTES) != EMPTY)
                {
                    j = (j + 1) & mask;
                }
                target.putLong(targetStart + j * Long.BYTES, slot);
            }
        }, stripe.live());
    }

    /**
     * Appends each live entry's key and value bytes to {@code pairs}, reading without the lock.
     *
     * @return false if a ref or length made no sense (torn, if the caller's sequence check fails).
     */
    static boolean copyEntries(final Stripe stripe, final int maxKey, final int maxValue, final List<byte[]> pairs)
    {
        final long table = stripe.tableAcquire();
        if (table == 0)
        {
            return true;
        }
        final Heap heap = stripe.heap();
        final int log2 = tableLog2(table);
        final AtomicBuffer slots = log2 > 30 ? null : heap.buffer(tableRef(table), Long.BYTES << log2);
        if (slots == null)
        {
            return false;
        }
        final int start = offsetOf(tableRef(table));
        for (int i = 0; i < 1 << log2; i++)
        {
            final long slot = slots.getLong(start + i * Long.BYTES);
            if (slot == EMPTY || slot == TOMBSTONE)
            {
                continue;
            }
            final long ref = refOfSlot(slot);
            final AtomicBuffer header = heap.buffer(ref, ENTRY_HEADER_LENGTH);
            if (header == null)
            {
                return false;
            }
            final int at = offsetOf(ref);
            final int keyLength = header.getInt(at + ENTRY_KEY_LENGTH_OFFSET);
            final int valueLength = header.getInt(at + ENTRY_VALUE_LENGTH_OFFSET);
            if (keyLength < 0 || keyLength > maxKey || valueLength < 0 || valueLength > maxValue ||
                heap.buffer(ref, ENTRY_HEADER_LENGTH + keyLength + valueLength) == null)
            {
                return false;
            }
            final byte[] key = new byte[keyLength];
            final byte[] value = new byte[valueLength];
            header.getBytes(at + ENTRY_HEADER_LENGTH, key);
            header.getBytes(at + ENTRY_HEADER_LENGTH + keyLength, value);
            pairs.add(key);
            pairs.add(value);
        }
        return true;
    }

    /**
     * Checks a stripe under its lock: the live and used counts match its table, no entry is on a
     * free list, and no free list has a cycle or a block of another class.
     *
     * @return the live entries.
     */
    static long check(final Stripe stripe, final String what)
    {
        final Heap heap = stripe.heap();
        final Set<Long> reachable = new HashSet<>();
        long live = 0;
        long used = 0;
        final long table = stripe.tableAcquire();
        if (table != 0)
        {
            final AtomicBuffer slots = heap.at(tableRef(table));
            final int start = offsetOf(tableRef(table));
            for (int i = 0; i < 1 << tableLog2(table); i++)
            {
                final long slot = slots.getLong(start + i * Long.BYTES);
                if (slot != EMPTY)
                {
                    used++;
                }
                if (slot != EMPTY && slot != TOMBSTONE)
                {
                    live++;
                    if (!reachable.add(refOfSlot(slot)))
                    {
                        throw new IllegalStateException(what + ": entry " + Long.toHexString(refOfSlot(slot)) + " is in two slots");
                    }
                }
            }
        }
        if (live != stripe.live() || used != stripe.used())
        {
            throw new IllegalStateException(what + ": a stripe counts " + stripe.live() + " live and " + stripe.used() +
                " used slots, its table has " + live + " and " + used);
        }
        if (table != 0)
        {
            reachable.add(tableRef(table));
        }
        final long[] heads = stripe.freeHeads();
        final Set<Long> free = new HashSet<>();
        for (int c = 0; c < heads.length; c++)
        {
            for (long ref = heads[c]; ref != 0; ref = heap.at(ref).getLong(offsetOf(ref) + FREE_NEXT_OFFSET))
            {
                if (reachable.contains(ref))
                {
                    throw new IllegalStateException(what + ": entry " + Long.toHexString(ref) + " is both live and free");
                }
                if (!free.add(ref))
                {
                    throw new IllegalStateException(what + ": free list of class " + c + " has a cycle or a shared block");
                }
                if (heap.buffer(ref, (int)classLength(c)) == null)
                {
                    throw new IllegalStateException(what + ": free block " + Long.toHexString(ref) + " lies outside the heap");
                }
            }
        }
        return live;
    }
}
