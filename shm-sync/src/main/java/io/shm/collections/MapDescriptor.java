package io.shm.collections;

import io.shm.sync.LockDescriptor;

import static org.agrona.BitUtil.CACHE_LINE_LENGTH;
import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * The layout of a shared container (map, list or namespace): a root object holding the parameters,
 * the heap's cursor and one block per stripe; the entries and tables live in the heap, a chain of
 * extent objects ({@code NAME.x0}, {@code NAME.x1}, &hellip;) of doubling length.
 * <pre>
 * Root object data (offsets from the data start):
 *   0                   4                   8                  16
 *  +-------------------+-------------------+------------------+------------------+
 *  | stripes           | max key length    | max value length | initial slots    |
 *  +-------------------+-------------------+------------------+------------------+
 *  | first extent length (long)            |  ... to 64                          |
 *  +---------------------------------------+-------------------------------------+
 *  64: heap line: cursor (ref, CAS), extents published (long)
 *  128: stripe 0, stripe 1, ... each STRIPE_LENGTH bytes
 *
 * Stripe:
 *    0  lock (LockDescriptor, 64 bytes)
 *   64  seq | table (ref | log2 slots &lt;&lt; 56) | live | used (live + tombstones)
 *  128  step record: op | slot | old slot | new slot | alloc class | alloc head after |
 *       freed ref | freed class | freed head before | seq before | live after | used after
 *  256  free list heads, one per size class (CLASSES longs)
 *
 * Entry (in the heap, 16-byte aligned, CLASS sizes):
 *    0  key length (int) | value length (int) | hash (long) | key bytes | value bytes
 *   a free entry: next free ref (long) at 0
 * </pre>
 * A <b>ref</b> is {@code extent << 32 | offset}, the offset into that extent's buffer (header
 * included, so never below 64): 0 is "empty" and 1 a tombstone. A table slot holds the entry's ref
 * in its low 40 bits and the top 24 bits of the key's hash above them.
 */
final class MapDescriptor
{
    /** Number of stripes, a power of two. */
    static final int STRIPES_OFFSET = 0;
    /** Longest key in bytes. */
    static final int MAX_KEY_LENGTH_OFFSET = STRIPES_OFFSET + SIZE_OF_INT;
    /** Longest value in bytes. */
    static final int MAX_VALUE_LENGTH_OFFSET = MAX_KEY_LENGTH_OFFSET + SIZE_OF_INT;
    /** Slots of each stripe's first table, a power of two. */
    static final int INITIAL_SLOTS_OFFSET = MAX_VALUE_LENGTH_OFFSET + SIZE_OF_INT;
    /** Length of extent 0; extent k is this shifted left by k, at most {@link #MAX_EXTENT_LENGTH}. */
    static final int FIRST_EXTENT_LENGTH_OFFSET = INITIAL_SLOTS_OFFSET + SIZE_OF_INT;

    /** The heap's allocation cursor: the ref of the first byte never handed out (CAS). */
    static final int CURSOR_OFFSET = CACHE_LINE_LENGTH;
    /** How many extents exist: refs in extents at or past this are not real. */
    static final int EXTENTS_OFFSET = CURSOR_OFFSET + SIZE_OF_LONG;

    /** Where stripe 0 starts. */
    static final int STRIPES_START = 2 * CACHE_LINE_LENGTH;

    /** The stripe's robust lock. */
    static final int LOCK_OFFSET = 0;
    /** Sequence: odd while a writer changes the table or the free lists (seqlock). */
    static final int SEQ_OFFSET = LOCK_OFFSET + LockDescriptor.LENGTH;
    /** The table: its ref, with log2 of its slot count in the top byte. */
    static final int TABLE_OFFSET = SEQ_OFFSET + SIZE_OF_LONG;
    /** Live entries (a list: its size). */
    static final int LIVE_OFFSET = TABLE_OFFSET + SIZE_OF_LONG;
    /** Slots not empty: live entries and tombstones. */
    static final int USED_OFFSET = LIVE_OFFSET + SIZE_OF_LONG;

    /** The step record: 0 none, {@link #PREPARED} or {@link #COMMITTED}; written last, cleared last. */
    static final int STEP_OP_OFFSET = 2 * CACHE_LINE_LENGTH;
    /** Index of the slot the step changes. */
    static final int STEP_SLOT_OFFSET = STEP_OP_OFFSET + SIZE_OF_LONG;
    /** The slot as it was. */
    static final int STEP_OLD_SLOT_OFFSET = STEP_SLOT_OFFSET + SIZE_OF_LONG;
    /** The slot as it will be. */
    static final int STEP_NEW_SLOT_OFFSET = STEP_OLD_SLOT_OFFSET + SIZE_OF_LONG;
    /** Size class the new entry was taken from a free list of, or -1 (fresh heap, or none). */
    static final int STEP_ALLOC_CLASS_OFFSET = STEP_NEW_SLOT_OFFSET + SIZE_OF_LONG;
    /** That free list's head once the new entry is off it. */
    static final int STEP_ALLOC_HEAD_AFTER_OFFSET = STEP_ALLOC_CLASS_OFFSET + SIZE_OF_LONG;
    /** The entry the step frees, or 0. */
    static final int STEP_FREED_REF_OFFSET = STEP_ALLOC_HEAD_AFTER_OFFSET + SIZE_OF_LONG;
    /** Its size class. */
    static final int STEP_FREED_CLASS_OFFSET = STEP_FREED_REF_OFFSET + SIZE_OF_LONG;
    /** Head of that class's free list before the freed entry is pushed (after the allocation). */
    static final int STEP_FREED_HEAD_BEFORE_OFFSET = STEP_FREED_CLASS_OFFSET + SIZE_OF_LONG;
    /** The sequence before the step (even). */
    static final int STEP_SEQ_BEFORE_OFFSET = STEP_FREED_HEAD_BEFORE_OFFSET + SIZE_OF_LONG;
    /** Live count after the step. */
    static final int STEP_LIVE_AFTER_OFFSET = STEP_SEQ_BEFORE_OFFSET + SIZE_OF_LONG;
    /** Used count after the step. */
    static final int STEP_USED_AFTER_OFFSET = STEP_LIVE_AFTER_OFFSET + SIZE_OF_LONG;
    /** The new entry's ref, or 0. */
    static final int STEP_NEW_REF_OFFSET = STEP_USED_AFTER_OFFSET + SIZE_OF_LONG;

    /** First free-list head. */
    static final int FREE_HEADS_OFFSET = 4 * CACHE_LINE_LENGTH;

    /** Size classes: 16 to 512 bytes in steps of 16, then powers of two to {@link #MAX_EXTENT_LENGTH}. */
    static final int SMALL_CLASSES = 32;
    static final int SMALL_CLASS_STEP = 16;
    static final int MAX_EXTENT_SHIFT = 29;
    /** The longest extent: 512 MiB, well inside one mapped chunk. */
    static final int MAX_EXTENT_LENGTH = 1 << MAX_EXTENT_SHIFT;
    static final int CLASSES = SMALL_CLASSES + MAX_EXTENT_SHIFT - 9;
    /** One stripe's block, whole cache lines. */
    static final int STRIPE_LENGTH = align(FREE_HEADS_OFFSET + CLASSES * SIZE_OF_LONG);

    /** The most extents a heap has. */
    static final int MAX_EXTENTS = 64;

    /** The slot index of a step that replaces the table (its slots are the table words). */
    static final long TABLE_STEP = -1;

    /** Step record ops. */
    static final long PREPARED = 1;
    static final long COMMITTED = 2;

    /** Slot values. */
    static final long EMPTY = 0;
    static final long TOMBSTONE = 1;
    static final int REF_BITS = 40;
    static final long REF_MASK = (1L << REF_BITS) - 1;

    /** Entry fields. */
    static final int ENTRY_KEY_LENGTH_OFFSET = 0;
    static final int ENTRY_VALUE_LENGTH_OFFSET = ENTRY_KEY_LENGTH_OFFSET + SIZE_OF_INT;
    static final int ENTRY_HASH_OFFSET = ENTRY_VALUE_LENGTH_OFFSET + SIZE_OF_INT;
    static final int ENTRY_HEADER_LENGTH = ENTRY_HASH_OFFSET + SIZE_OF_LONG;
    static final int FREE_NEXT_OFFSET = 0;

    private MapDescriptor()
    {
    }

    /**
     * @return the root object's data length for {@code stripes} stripes.
     */
    static long rootLength(final int stripes)
    {
        return STRIPES_START + (long)stripes * STRIPE_LENGTH;
    }

    /**
     * @return where stripe {@code index} starts, from the data start.
     */
    static int stripeOffset(final int index)
    {
        return STRIPES_START + index * STRIPE_LENGTH;
    }

    /**
     * @return the size class of a block of {@code length} bytes.
     */
    static int classOf(final long length)
    {
        if (length <= (long)SMALL_CLASSES * SMALL_CLASS_STEP)
        {
            return (int)((Math.max(length, 1) + SMALL_CLASS_STEP - 1) / SMALL_CLASS_STEP) - 1;
        }
        final int log2 = 64 - Long.numberOfLeadingZeros(length - 1);
        return SMALL_CLASSES + log2 - 10;
    }

    /**
     * @return the length of a block of size class {@code sizeClass}.
     */
    static long classLength(final int sizeClass)
    {
        return sizeClass < SMALL_CLASSES ? (long)(sizeClass + 1) * SMALL_CLASS_STEP : 1L << (sizeClass - SMALL_CLASSES + 10);
    }

    static long ref(final int extent, final int offset)
    {
        return (long)extent << 32 | offset;
    }

    static int extentOf(final long ref)
    {
        return (int)(ref >>> 32);
    }

    static int offsetOf(final long ref)
    {
        return (int)ref;
    }

    static long slot(final long ref, final long hash)
    {
        return (hash >>> REF_BITS) << REF_BITS | ref;
    }

    static long refOfSlot(final long slot)
    {
        return slot & REF_MASK;
    }

    static boolean tagMatches(final long slot, final long hash)
    {
        return (slot >>> REF_BITS) == (hash >>> REF_BITS);
    }

    static long table(final long ref, final int log2Slots)
    {
        return (long)log2Slots << 56 | ref;
    }

    static long tableRef(final long table)
    {
        return table & ((1L << 56) - 1);
    }

    static int tableLog2(final long table)
    {
        return (int)(table >>> 56);
    }

    private static int align(final int length)
    {
        return (length + CACHE_LINE_LENGTH - 1) / CACHE_LINE_LENGTH * CACHE_LINE_LENGTH;
    }
}
