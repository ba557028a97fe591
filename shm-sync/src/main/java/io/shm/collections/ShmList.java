package io.shm.collections;

import io.shm.codec.Codec;
import io.shm.exceptions.CorruptSegmentException;
import io.shm.segment.ObjectType;
import io.shm.segment.Segment;
import io.shm.segment.Shared;
import io.shm.segment.SharedObject;
import io.shm.segment.TypeId;
import org.agrona.concurrent.AtomicBuffer;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.RandomAccess;

import static io.shm.collections.MapDescriptor.*;

/**
 * A list in shared memory, the list of Python's {@code Manager().list()} and
 * {@code ShareableList} without a manager process: items of any length carried by a {@link Codec},
 * appended, read, replaced and removed at the end by every process that opens it by name.
 * <pre>{@code
 * ShmList<String> log = ShmList.openOrCreate(segment, "log", Codecs.STRING);
 * log.add("started");                  // in one process
 * String first = log.get(0);           // in another
 * }</pre>
 * It is one stripe of the machinery of {@link ShmMap}: a table of slots, slot {@code i} the ref of
 * item {@code i}; reads take no lock, and {@link #add}, {@link #set}, {@link #removeLast} are each
 * one recorded step under a robust lock, so a writer killed at any instruction leaves the list with
 * the step done or not done. The table doubles when full, built beside the old one.
 * <p>
 * Only the end changes size: {@code add(index, item)} and {@code remove(index)} before the last
 * item throw {@link UnsupportedOperationException}, since shifting would be many steps another
 * process could see half done. Iteration is over a copy taken at one moment. Nulls are refused.
 *
 * @param <E> the item type.
 */
public final class ShmList<E> extends AbstractList<E> implements RandomAccess, Shared
{
    static final ObjectType TYPE = ObjectType.of(TypeId.LIST, "List", 1);
    private static final byte[] NO_KEY = new byte[0];

    private final Container container;
    private final Stripe stripe;
    private final Heap heap;
    private final Codec<E> codec;

    private ShmList(final Container container, final Codec<E> codec)
    {
        this.container = container;
        this.stripe = container.stripes[0];
        this.heap = container.heap;
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /**
     * Opens the list, or creates it empty with the default options.
     */
    public static <E> ShmList<E> openOrCreate(final Segment segment, final String name, final Codec<E> codec)
    {
        return openOrCreate(segment, name, codec, ListOptions.defaults());
    }

    /**
     * Opens the list, or creates it empty with {@code options}; an existing list must have the same
     * maximum item length.
     *
     * @throws io.shm.exceptions.ParameterMismatchException if an existing list differs.
     */
    public static <E> ShmList<E> openOrCreate(final Segment segment, final String name, final Codec<E> codec,
        final ListOptions options)
    {
        return new ShmList<>(Container.find(segment, name, TYPE, false, options.asMapOptions()), codec);
    }

    /**
     * Opens an existing list.
     *
     * @throws io.shm.exceptions.UnknownObjectException if there is none of that name.
     */
    public static <E> ShmList<E> open(final Segment segment, final String name, final Codec<E> codec)
    {
        return new ShmList<>(Container.open(segment, name, TYPE), codec);
    }

    @Override
    public SharedObject object()
    {
        return container.root;
    }

    @Override
    public int size()
    {
        return (int)stripe.live();
    }

    @Override
    public E get(final int index)
    {
        while (true)
        {
            final long seq = stripe.beginRead();
            final long size = stripe.live();
            final byte[] item = index < 0 || index >= size ? null : read(index);
            if (stripe.unchanged(seq))
            {
                if (index < 0 || index >= size)
                {
                    throw new IndexOutOfBoundsException("index " + index + " of " + container.describe() + " of " + size + " items");
                }
                if (item == null)
                {
                    throw new CorruptSegmentException(container.describe() + " has a slot that leads nowhere " +
                        "while no writer changes it");
                }
                return codec.decode(item);
            }
        }
    }

    /**
     * Item {@code index}'s bytes, or null if what was read makes no sense (torn by a writer).
     */
    private byte[] read(final int index)
    {
        final long table = stripe.tableAcquire();
        final int log2 = tableLog2(table);
        if (table == 0 || log2 > 30 || index >= 1 << log2)
        {
            return null;
        }
        final AtomicBuffer slots = heap.buffer(tableRef(table), Long.BYTES << log2);
        if (slots == null)
        {
            return null;
        }
        final long ref = refOfSlot(slots.getLong(offsetOf(tableRef(table)) + index * Long.BYTES));
        final AtomicBuffer entry = heap.buffer(ref, ENTRY_HEADER_LENGTH);
        if (entry == null)
        {
            return null;
        }
        final int at = offsetOf(ref);
        final int length = entry.getInt(at + ENTRY_VALUE_LENGTH_OFFSET);
        if (entry.getInt(at + ENTRY_KEY_LENGTH_OFFSET) != 0 || length < 0 || length > container.maxValueLength ||
            heap.buffer(ref, ENTRY_HEADER_LENGTH + length) == null)
        {
            return null;
        }
        final byte[] item = new byte[length];
        entry.getBytes(at + ENTRY_HEADER_LENGTH, item);
        return item;
    }

    /**
     * Appends an item.
     *
     * @return true.
     * @throws IllegalArgumentException if the encoded item is longer than the list's maximum.
     */
    @Override
    public boolean add(final E item)
    {
        final byte[] encoded = encode(item);
        stripe.lock();
        try
        {
            final long size = stripe.live();
            final long table = stripe.tableAcquire();
            if (table == 0 || size == 1L << tableLog2(table))
            {
                grow(table, size);
            }
            stripe.step(size, EMPTY, NO_KEY, 0, encoded, EMPTY, size + 1, size + 1);
        }
        finally
        {
            stripe.unlock();
        }
        modCount++;
        return true;
    }

    @Override
    public E set(final int index, final E item)
    {
        final byte[] encoded = encode(item);
        stripe.lock();
        try
        {
            final long size = stripe.live();
            checkIndex(index, size);
            final long slot = slotAt(index);
            final E previous = codec.decode(itemAt(refOfSlot(slot)));
            stripe.step(index, slot, NO_KEY, 0, encoded, EMPTY, size, size);
            return previous;
        }
        finally
        {
            stripe.unlock();
        }
    }

    /**
     * Removes and returns the last item (Python's {@code pop()}).
     *
     * @throws NoSuchElementException if the list is empty.
     */
    public E removeLast()
    {
        stripe.lock();
        try
        {
            final long size = stripe.live();
            if (size == 0)
            {
                throw new NoSuchElementException(container.describe() + " is empty");
            }
            return removeLastHeld(size);
        }
        finally
        {
            stripe.unlock();
        }
    }

    private E removeLastHeld(final long size)
    {
        final long slot = slotAt((int)size - 1);
        final E last = codec.decode(itemAt(refOfSlot(slot)));
        stripe.step(size - 1, slot, null, 0, null, EMPTY, size - 1, size - 1);
        modCount++;
        return last;
    }

    /**
     * Removes the last item; any other index is refused.
     *
     * @throws UnsupportedOperationException if {@code index} is not the last.
     */
    @Override
    public E remove(final int index)
    {
        stripe.lock();
        try
        {
            final long size = stripe.live();
            checkIndex(index, size);
            if (index != size - 1)
            {
                throw new UnsupportedOperationException(container.describe() + " removes only its last item (" +
                    (size - 1) + "), not " + index + ": shifting the rest would be many steps");
            }
            return removeLastHeld(size);
        }
        finally
        {
            stripe.unlock();
        }
    }

    /**
     * Refused unless {@code index} is the size (an append).
     */
    @Override
    public void add(final int index, final E item)
    {
        if (index != size())
        {
            throw new UnsupportedOperationException(container.describe() + " adds only at its end (" + size() +
                "), not at " + index);
        }
        add(item);
    }

    /**
     * Removes the items from the last to the first, one step each (not atomically).
     */
    @Override
    public void clear()
    {
        while (true)
        {
            try
            {
                removeLast();
            }
            catch (final NoSuchElementException ex)
            {
                return;
            }
        }
    }

    /**
     * @return the items as they were at one moment.
     */
    public List<E> snapshot()
    {
        while (true)
        {
            final long seq = stripe.beginRead();
            final List<byte[]> items = new ArrayList<>();
            final long size = stripe.live();
            boolean whole = true;
            for (int i = 0; i < size && whole; i++)
            {
                final byte[] item = read(i);
                whole = item != null;
                items.add(item);
            }
            if (stripe.unchanged(seq))
            {
                if (!whole)
                {
                    throw new CorruptSegmentException(container.describe() + " has a slot that leads nowhere " +
                        "while no writer changes it");
                }
                final List<E> decoded = new ArrayList<>(items.size());
                items.forEach(item -> decoded.add(codec.decode(item)));
                return decoded;
            }
        }
    }

    /**
     * Iterates over a {@link #snapshot()}; its {@code remove} is unsupported.
     */
    @Override
    public Iterator<E> iterator()
    {
        return java.util.Collections.unmodifiableList(snapshot()).iterator();
    }

    private void grow(final long table, final long size)
    {
        final int log2 = table == 0 ? container.initialLog2Slots : tableLog2(table) + 1;
        stripe.replaceTable(log2, (target, start, mask) ->
        {
            if (table != 0)
            {
                target.putBytes(start, heap.at(tableRef(table)), offsetOf(tableRef(table)), (int)size * Long.BYTES);
            }
        }, size);
    }

    private long slotAt(final int index)
    {
        final long table = stripe.tableAcquire();
        return heap.at(tableRef(table)).getLong(offsetOf(tableRef(table)) + index * Long.BYTES);
    }

    private byte[] itemAt(final long ref)
    {
        final AtomicBuffer entry = heap.at(ref);
        final byte[] item = new byte[entry.getInt(offsetOf(ref) + ENTRY_VALUE_LENGTH_OFFSET)];
        entry.getBytes(offsetOf(ref) + ENTRY_HEADER_LENGTH, item);
        return item;
    }

    private void checkIndex(final int index, final long size)
    {
        if (index < 0 || index >= size)
        {
            throw new IndexOutOfBoundsException("index " + index + " of " + container.describe() + " of " + size + " items");
        }
    }

    private byte[] encode(final E item)
    {
        final byte[] encoded = codec.encode(Objects.requireNonNull(item, "item"));
        if (encoded.length > container.maxValueLength)
        {
            throw new IllegalArgumentException("an item of " + encoded.length + " bytes: " + container.describe() +
                " takes items of at most " + container.maxValueLength + " bytes");
        }
        return encoded;
    }

    /**
     * @return the bytes of the list's heap handed out so far and the bytes of all its extents.
     */
    public long[] heapUsage()
    {
        return heap.usage();
    }

    /**
     * Sets where the writer reports the points of its steps, for tests.
     */
    void steps(final Stripe.Steps steps)
    {
        stripe.steps = steps;
    }
}
