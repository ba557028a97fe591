package io.shm.collections;

import io.shm.codec.Codec;
import io.shm.exceptions.CorruptSegmentException;
import io.shm.segment.ObjectType;
import io.shm.segment.Segment;
import io.shm.segment.Shared;
import io.shm.segment.SharedObject;
import io.shm.segment.TypeId;
import org.agrona.concurrent.AtomicBuffer;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;

import static io.shm.collections.MapDescriptor.*;

/**
 * A hash map in shared memory, the dict of Python's {@code Manager().dict()} without the manager
 * process: every process that opens it by name reads and writes the same entries, keys and values
 * carried as bytes by {@link Codec}s.
 * <pre>{@code
 * ShmMap<String, Long> prices = ShmMap.openOrCreate(segment, "prices", Codecs.STRING, Codecs.LONG);
 * prices.put("ACME", 1250L);            // in one process
 * long acme = prices.get("ACME");        // in another
 * prices.merge("ACME", 5L, Long::sum);   // atomic across processes (a replace loop)
 * }</pre>
 * <b>How it works.</b> The map is split into stripes by key hash. A stripe is an open-addressing
 * table (linear probing) of slots, each the ref of an entry (key and value bytes) in the map's heap
 * and a tag of the key's hash. Reads take no lock: they read under the stripe's sequence word and
 * read again if a writer changed the stripe meanwhile. Writers lock their stripe with a robust
 * {@link io.shm.sync.ShmLock}, write a new entry and switch the slot to it in one recorded step;
 * see {@link Stripe} for the step and how the next writer repairs a dead one's. A stripe's table
 * doubles when three quarters of its slots are used, built beside the old one while readers go on
 * reading the old; the heap gains extents (companion objects {@code NAME.x0}, {@code NAME.x1},
 * &hellip;) as it fills, so growth never moves what other processes have mapped. A removed entry's
 * block goes on its stripe's free list for its size class and is reused by the next entry of that
 * class in that stripe; tables outgrown are not reused.
 * <p>
 * <b>{@code ConcurrentMap} across processes.</b> {@code get}, {@code containsKey}, {@code put},
 * {@code putIfAbsent}, {@code remove}, {@code replace} (both) are atomic across processes; the
 * {@code compute}/{@code merge} family is the interface's retry loop over them, so it is atomic
 * too, but the function runs in the caller and may run more than once. Values compare by their
 * encoded bytes ({@code remove(k, v)}, {@code replace(k, old, new)}). {@code size()} adds up the
 * stripes' counts without locking, as {@code ConcurrentHashMap} does. Iteration is weakly
 * consistent: each stripe is copied as it was at one moment, and removing through the iterator
 * removes that key. {@code clear()} removes entry by entry, not atomically. Nulls are refused.
 * <p>
 * <b>Memory consistency effects.</b> A write's bytes are visible to any process whose read returns
 * them; actions in a process before a write happen-before actions after a read, in another process,
 * that returns what it wrote.
 * <p>
 * <b>Failure model.</b> A writer killed at any instruction leaves its stripe consistent: the next
 * writer of the stripe (or a reader that finds it mid-change, within one wait slice) finishes or
 * undoes its step, so the key holds its old value or its new one, never a torn entry, and no other
 * entry is touched; readers see the old value until then. A fresh block taken just before the
 * record is lost. A stopped writer keeps its stripe's lock: only
 * pid and start time prove death. A key or value longer than the map's maximum is refused with
 * {@link IllegalArgumentException} before anything is written; a full segment gives
 * {@link io.shm.exceptions.SegmentFullException} naming the sizes, and the map is unchanged.
 *
 * @param <K> the key type.
 * @param <V> the value type.
 */
public final class ShmMap<K, V> extends AbstractMap<K, V> implements ConcurrentMap<K, V>, Shared
{
    static final ObjectType TYPE = ObjectType.of(TypeId.MAP, "Map", 1);

    /** A read saw refs or lengths that make no sense: torn by a writer, unless the sequence held. */
    private static final byte[] TORN = new byte[0];
    /** A conditional write whose condition failed. */
    private static final byte[] NOT_APPLIED = new byte[0];

    private final Container container;
    private final Stripe[] stripes;
    private final Heap heap;
    private final int stripeMask;
    private final Codec<K> keys;
    private final Codec<V> values;

    ShmMap(final Container container, final Codec<K> keys, final Codec<V> values)
    {
        this.container = container;
        this.stripes = container.stripes;
        this.heap = container.heap;
        this.stripeMask = stripes.length - 1;
        this.keys = Objects.requireNonNull(keys, "key codec");
        this.values = Objects.requireNonNull(values, "value codec");
    }

    /**
     * Opens the map, or creates it with the default options.
     */
    public static <K, V> ShmMap<K, V> openOrCreate(final Segment segment, final String name, final Codec<K> keys,
        final Codec<V> values)
    {
        return openOrCreate(segment, name, keys, values, MapOptions.defaults());
    }

    /**
     * Opens the map, or creates it with {@code options}; an existing map must have the same
     * stripes and maximum lengths.
     *
     * @throws io.shm.exceptions.ParameterMismatchException if an existing map differs.
     * @throws io.shm.exceptions.TypeMismatchException if the name is another kind of object.
     */
    public static <K, V> ShmMap<K, V> openOrCreate(final Segment segment, final String name, final Codec<K> keys,
        final Codec<V> values, final MapOptions options)
    {
        return new ShmMap<>(Container.find(segment, name, TYPE, false, options), keys, values);
    }

    /**
     * Creates the map; fails if the name exists.
     *
     * @throws io.shm.exceptions.ObjectExistsException if the segment has an object of that name.
     */
    public static <K, V> ShmMap<K, V> create(final Segment segment, final String name, final Codec<K> keys,
        final Codec<V> values, final MapOptions options)
    {
        return new ShmMap<>(Container.find(segment, name, TYPE, true, options), keys, values);
    }

    /**
     * Opens an existing map, whatever its options.
     *
     * @throws io.shm.exceptions.UnknownObjectException if there is none of that name.
     */
    public static <K, V> ShmMap<K, V> open(final Segment segment, final String name, final Codec<K> keys,
        final Codec<V> values)
    {
        return new ShmMap<>(Container.open(segment, name, TYPE), keys, values);
    }

    @Override
    public SharedObject object()
    {
        return container.root;
    }

    // ---------------------------------------------------------------- reads

    @Override
    @SuppressWarnings("unchecked")
    public V get(final Object key)
    {
        final byte[] found = getBytes(encodeKey((K)key, false));
        return found == null ? null : values.decode(found);
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean containsKey(final Object key)
    {
        return getBytes(encodeKey((K)key, false)) != null;
    }

    /**
     * The value's bytes for a key's bytes, without the codecs.
     *
     * @param key an encoded key.
     * @return the encoded value, or null if the key is absent.
     */
    public byte[] getBytes(final byte[] key)
    {
        if (key == null || key.length > container.maxKeyLength)
        {
            return null;
        }
        final long hash = Keys.hash(key);
        final Stripe stripe = stripes[(int)hash & stripeMask];
        while (true)
        {
            final long seq = stripe.beginRead();
            final byte[] found = find(stripe, key, hash);
            if (stripe.unchanged(seq))
            {
                if (found == TORN)
                {
                    throw new CorruptSegmentException(container.describe() + " has a slot that leads nowhere " +
                        "while no writer changes it");
                }
                return found;
            }
        }
    }

    /**
     * Looks for a key in a stripe's table, reading what may be torn by a writer.
     *
     * @return the value's bytes, null if absent, or {@link #TORN}.
     */
    private byte[] find(final Stripe stripe, final byte[] key, final long hash)
    {
        final long table = stripe.tableAcquire();
        if (table == 0)
        {
            return null;
        }
        final int log2 = tableLog2(table);
        if (log2 > 30)
        {
            return TORN;
        }
        final int slots = 1 << log2;
        final AtomicBuffer slotBuffer = heap.buffer(tableRef(table), slots * Long.BYTES);
        if (slotBuffer == null)
        {
            return TORN;
        }
        final int start = offsetOf(tableRef(table));
        final int mask = slots - 1;
        for (int n = 0, i = index(hash, mask); n < slots; n++, i = (i + 1) & mask)
        {
            final long slot = slotBuffer.getLong(start + i * Long.BYTES);
            if (slot == EMPTY)
            {
                return null;
            }
            if (slot == TOMBSTONE || !tagMatches(slot, hash))
            {
                continue;
            }
            final long ref = refOfSlot(slot);
            final AtomicBuffer entry = heap.buffer(ref, ENTRY_HEADER_LENGTH);
            if (entry == null)
            {
                return TORN;
            }
            final int at = offsetOf(ref);
            final int keyLength = entry.getInt(at + ENTRY_KEY_LENGTH_OFFSET);
            final int valueLength = entry.getInt(at + ENTRY_VALUE_LENGTH_OFFSET);
            if (keyLength != key.length)
            {
                continue;
            }
            if (valueLength < 0 || valueLength > container.maxValueLength ||
                heap.buffer(ref, ENTRY_HEADER_LENGTH + keyLength + valueLength) == null)
            {
                return TORN;
            }
            if (Keys.equal(entry, at + ENTRY_HEADER_LENGTH, key))
            {
                final byte[] value = new byte[valueLength];
                entry.getBytes(at + ENTRY_HEADER_LENGTH + keyLength, value);
                return value;
            }
        }
        return null;
    }

    static int index(final long hash, final int mask)
    {
        return (int)(hash >>> 8) & mask;
    }

    @Override
    public int size()
    {
        long size = 0;
        for (final Stripe stripe : stripes)
        {
            size += stripe.live();
        }
        return (int)Math.min(size, Integer.MAX_VALUE);
    }

    @Override
    public boolean isEmpty()
    {
        for (final Stripe stripe : stripes)
        {
            if (stripe.live() != 0)
            {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- writes

    @Override
    public V put(final K key, final V value)
    {
        return decoded(update(key, Op.PUT, null, value));
    }

    /**
     * Puts a value's bytes for a key's bytes, without the codecs.
     *
     * @return the previous value's bytes, or null.
     */
    public byte[] putBytes(final byte[] key, final byte[] value)
    {
        checkLengths(key, value);
        return write(key, Op.PUT, null, value);
    }

    @Override
    public V putIfAbsent(final K key, final V value)
    {
        return decoded(update(key, Op.PUT_IF_ABSENT, null, value));
    }

    @Override
    @SuppressWarnings("unchecked")
    public V remove(final Object key)
    {
        final byte[] encoded = encodeKey((K)key, false);
        return encoded.length > container.maxKeyLength ? null : decoded(write(encoded, Op.REMOVE, null, null));
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean remove(final Object key, final Object value)
    {
        if (value == null)
        {
            return false;
        }
        final byte[] encoded = encodeKey((K)key, false);
        return encoded.length <= container.maxKeyLength &&
            write(encoded, Op.REMOVE_IF, values.encode((V)value), null) != NOT_APPLIED;
    }

    @Override
    public V replace(final K key, final V value)
    {
        return decoded(update(key, Op.REPLACE, null, value));
    }

    @Override
    public boolean replace(final K key, final V oldValue, final V newValue)
    {
        Objects.requireNonNull(oldValue, "old value");
        return update(key, Op.REPLACE_IF, values.encode(oldValue), newValue) != NOT_APPLIED;
    }

    /**
     * Removes every entry, one at a time (not atomically: a concurrent put may survive).
     */
    @Override
    public void clear()
    {
        for (final Stripe stripe : stripes)
        {
            stripe.lock();
            try
            {
                final long table = stripe.tableAcquire();
                if (table == 0)
                {
                    continue;
                }
                final AtomicBuffer buffer = heap.at(tableRef(table));
                final int start = offsetOf(tableRef(table));
                final int slots = 1 << tableLog2(table);
                for (int i = slots - 1; i >= 0; i--)
                {
                    final long slot = buffer.getLong(start + i * Long.BYTES);
                    // From the end backwards, a slot's successor is mostly empty once handled.
                    final boolean nextEmpty = buffer.getLong(start + ((i + 1) & (slots - 1)) * Long.BYTES) == EMPTY;
                    if (slot != EMPTY && (slot != TOMBSTONE || nextEmpty))
                    {
                        final long used = stripe.used();
                        final long live = stripe.live() - (slot == TOMBSTONE ? 0 : 1);
                        stripe.step(i, slot, null, 0, null, nextEmpty ? EMPTY : TOMBSTONE, live, nextEmpty ? used - 1 : used);
                    }
                }
            }
            finally
            {
                stripe.unlock();
            }
        }
    }

    private byte[] update(final K key, final Op op, final byte[] expected, final V value)
    {
        final byte[] encodedKey = encodeKey(key, true);
        final byte[] encodedValue = values.encode(Objects.requireNonNull(value, "value"));
        checkLengths(encodedKey, encodedValue);
        return write(encodedKey, op, expected, encodedValue);
    }

    /**
     * One write under the key's stripe lock.
     *
     * @return the previous value's bytes, null if there was none, or {@link #NOT_APPLIED}.
     */
    private byte[] write(final byte[] key, final Op op, final byte[] expected, final byte[] value)
    {
        final long hash = Keys.hash(key);
        final Stripe stripe = stripes[(int)hash & stripeMask];
        stripe.lock();
        try
        {
            while (true)
            {
                final long table = stripe.tableAcquire();
                if (table == 0)
                {
                    if (!op.inserts)
                    {
                        return op.conditional ? NOT_APPLIED : null;
                    }
                    Tables.rehash(stripe, container.initialLog2Slots);
                    continue;
                }
                final AtomicBuffer buffer = heap.at(tableRef(table));
                final int start = offsetOf(tableRef(table));
                final int slots = 1 << tableLog2(table);
                final int mask = slots - 1;
                int free = -1;
                int found = -1;
                for (int n = 0, i = index(hash, mask); n < slots; n++, i = (i + 1) & mask)
                {
                    final long slot = buffer.getLong(start + i * Long.BYTES);
                    if (slot == EMPTY)
                    {
                        free = free < 0 ? i : free;
                        break;
                    }
                    if (slot == TOMBSTONE)
                    {
                        free = free < 0 ? i : free;
                    }
                    else if (tagMatches(slot, hash) && keyAt(refOfSlot(slot), key))
                    {
                        found = i;
                        break;
                    }
                }
                if (found >= 0)
                {
                    final long slot = buffer.getLong(start + found * Long.BYTES);
                    final byte[] previous = valueAt(refOfSlot(slot));
                    if (op == Op.PUT_IF_ABSENT || (op.conditional && !Arrays.equals(previous, expected)))
                    {
                        return op == Op.PUT_IF_ABSENT ? previous : NOT_APPLIED;
                    }
                    if (op.removes)
                    {
                        final boolean nextEmpty = buffer.getLong(start + ((found + 1) & mask) * Long.BYTES) == EMPTY;
                        stripe.step(found, slot, null, 0, null, nextEmpty ? EMPTY : TOMBSTONE, stripe.live() - 1,
                            nextEmpty ? stripe.used() - 1 : stripe.used());
                    }
                    else
                    {
                        stripe.step(found, slot, key, hash, value, EMPTY, stripe.live(), stripe.used());
                    }
                    return previous;
                }
                if (!op.inserts)
                {
                    return op.conditional ? NOT_APPLIED : null;
                }
                final long slot = free < 0 ? EMPTY : buffer.getLong(start + free * Long.BYTES);
                if (free < 0 || (slot == EMPTY && (stripe.used() + 1) * 4 > 3L * slots))
                {
                    Tables.rehash(stripe, Tables.log2For(stripe.live() + 1, container.initialLog2Slots));
                    continue;
                }
                stripe.step(free, slot, key, hash, value, EMPTY, stripe.live() + 1,
                    slot == EMPTY ? stripe.used() + 1 : stripe.used());
                return null;
            }
        }
        finally
        {
            stripe.unlock();
        }
    }

    private boolean keyAt(final long ref, final byte[] key)
    {
        final AtomicBuffer entry = heap.at(ref);
        final int at = offsetOf(ref);
        return entry.getInt(at + ENTRY_KEY_LENGTH_OFFSET) == key.length && Keys.equal(entry, at + ENTRY_HEADER_LENGTH, key);
    }

    private byte[] valueAt(final long ref)
    {
        final AtomicBuffer entry = heap.at(ref);
        final int at = offsetOf(ref);
        final byte[] value = new byte[entry.getInt(at + ENTRY_VALUE_LENGTH_OFFSET)];
        entry.getBytes(at + ENTRY_HEADER_LENGTH + entry.getInt(at + ENTRY_KEY_LENGTH_OFFSET), value);
        return value;
    }

    private byte[] encodeKey(final K key, final boolean checked)
    {
        final byte[] encoded = keys.encode(Objects.requireNonNull(key, "key"));
        if (checked && encoded.length > container.maxKeyLength)
        {
            throw new IllegalArgumentException("a key of " + encoded.length + " bytes: " + container.describe() +
                " takes keys of at most " + container.maxKeyLength + " bytes");
        }
        return encoded;
    }

    private void checkLengths(final byte[] key, final byte[] value)
    {
        if (key.length > container.maxKeyLength || value.length > container.maxValueLength)
        {
            throw new IllegalArgumentException("a key of " + key.length + " bytes and a value of " + value.length +
                " bytes: " + container.describe() + " takes keys of at most " + container.maxKeyLength +
                " and values of at most " + container.maxValueLength);
        }
    }

    private V decoded(final byte[] bytes)
    {
        return bytes == null || bytes == NOT_APPLIED ? null : values.decode(bytes);
    }

    // ---------------------------------------------------------------- iteration

    @Override
    public Set<Entry<K, V>> entrySet()
    {
        return new AbstractSet<>()
        {
            @Override
            public Iterator<Entry<K, V>> iterator()
            {
                return new Entries();
            }

            @Override
            public int size()
            {
                return ShmMap.this.size();
            }

            @Override
            public void clear()
            {
                ShmMap.this.clear();
            }
        };
    }

    /**
     * Each stripe's entries as they were at one moment: key and value bytes, in pairs.
     */
    List<byte[]> snapshot(final Stripe stripe)
    {
        while (true)
        {
            final long seq = stripe.beginRead();
            final List<byte[]> pairs = new ArrayList<>();
            final boolean whole = Tables.copyEntries(stripe, container.maxKeyLength, container.maxValueLength, pairs);
            if (stripe.unchanged(seq))
            {
                if (!whole)
                {
                    throw new CorruptSegmentException(container.describe() + " has a slot that leads nowhere " +
                        "while no writer changes it");
                }
                return pairs;
            }
        }
    }

    private final class Entries implements Iterator<Entry<K, V>>
    {
        private int stripe;
        private List<byte[]> pairs = List.of();
        private int next;
        private K lastKey;

        @Override
        public boolean hasNext()
        {
            while (next >= pairs.size() && stripe < stripes.length)
            {
                pairs = snapshot(stripes[stripe++]);
                next = 0;
            }
            return next < pairs.size();
        }

        @Override
        public Entry<K, V> next()
        {
            if (!hasNext())
            {
                throw new NoSuchElementException();
            }
            lastKey = keys.decode(pairs.get(next));
            final V value = values.decode(pairs.get(next + 1));
            next += 2;
            return new SimpleImmutableEntry<>(lastKey, value);
        }

        @Override
        public void remove()
        {
            if (lastKey == null)
            {
                throw new IllegalStateException("next() first");
            }
            ShmMap.this.remove(lastKey);
            lastKey = null;
        }
    }

    /**
     * @return the bytes of the map's heap handed out so far and the bytes of all its extents.
     */
    public long[] heapUsage()
    {
        return heap.usage();
    }

    /**
     * Checks every stripe's invariants under its lock, for tests: counts match the table, every
     * live entry is found by its key, and no block is both in the table and on a free list.
     *
     * @return the number of live entries.
     * @throws IllegalStateException naming the first broken invariant.
     */
    long check()
    {
        long total = 0;
        for (final Stripe stripe : stripes)
        {
            stripe.lock();
            try
            {
                total += Tables.check(stripe, container.describe());
            }
            finally
            {
                stripe.unlock();
            }
        }
        for (final Map.Entry<K, V> entry : entrySet())
        {
            if (!containsKey(entry.getKey()))
            {
                throw new IllegalStateException(container.describe() + " cannot find its own key " + entry.getKey());
            }
        }
        return total;
    }

    /**
     * Sets where each stripe's writer reports the points of its steps, for tests.
     */
    void steps(final Stripe.Steps steps)
    {
        for (final Stripe stripe : stripes)
        {
            stripe.steps = steps;
        }
    }

    private enum Op
    {
        PUT(true, false, false),
        PUT_IF_ABSENT(true, false, false),
        REPLACE(false, false, false),
        REPLACE_IF(false, true, false),
        REMOVE(false, false, true),
        REMOVE_IF(false, true, true);

        final boolean inserts;
        final boolean conditional;
        final boolean removes;

        Op(final boolean inserts, final boolean conditional, final boolean removes)
        {
            this.inserts = inserts;
            this.conditional = conditional;
            this.removes = removes;
        }
    }
}
