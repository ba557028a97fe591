package io.shm.segment;

import io.shm.map.MappedRegion;
import io.shm.wait.WaitScope;
import io.shm.wait.Waiter;
import org.agrona.concurrent.AtomicBuffer;

import java.nio.MappedByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A named object of a segment as this process has mapped it: its type, its length, and the memory
 * of its header and data. Typed views (values, arrays, synchronizers, channels) are built on it.
 * <p>
 * The object's data starts at {@link #DATA_OFFSET} of {@link #buffer()}; objects longer than
 * {@link MappedRegion#CHUNK_LENGTH} span several {@link #buffers()}. After the segment is closed,
 * {@link #checkOpen()} throws {@link IllegalStateException}: views call it before each access, so a
 * use after close fails cleanly instead of touching unmapped memory. Threads of this process that
 * wait on the object when its segment closes (a lock, a receive, a barrier) are woken and fail
 * with that exception before the object is unmapped ({@link WaitScope}); another use of a view
 * while the segment closes is a race the caller must avoid, as with any Agrona buffer.
 */
public final class SharedObject implements WaitScope
{
    /**
     * How long a close waits for this process's sleepers to wake and leave before it unmaps; one
     * that has not left by then keeps the mapping, which the collector unmaps once unreachable.
     */
    static final long CLOSE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

    /**
     * The pause between a close's wakes of the sleepers that have not left yet.
     */
    private static final long WAKE_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    /**
     * Offset of the data from the start of the object.
     */
    public static final int DATA_OFFSET = ObjectHeaderDescriptor.LENGTH;

    private final Segment segment;
    private final String name;
    private final ObjectType type;
    private final long length;
    private final MappedRegion region;
    private final boolean created;
    private final int entry;
    private final Map<Thread, Sleeper> sleepers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    SharedObject(
        final Segment segment,
        final String name,
        final ObjectType type,
        final long length,
        final MappedRegion region,
        final boolean created,
        final int entry)
    {
        this.entry = entry;
        this.segment = segment;
        this.name = name;
        this.type = type;
        this.length = length;
        this.region = region;
        this.created = created;
    }

    public Segment segment()
    {
        return segment;
    }

    public String name()
    {
        return name;
    }

    public ObjectType type()
    {
        return type;
    }

    /**
     * @return the number of elements.
     */
    public long length()
    {
        return length;
    }

    /**
     * @return the index of the object's directory entry.
     */
    int entry()
    {
        return entry;
    }

    /**
     * @return whether this process created the object (and ran its initializer) rather than opened it.
     */
    public boolean created()
    {
        return created;
    }

    /**
     * @return the buffer over the object's first 1 GiB, header included.
     */
    public AtomicBuffer buffer()
    {
        return region.buffer();
    }

    /**
     * @return the buffers over the object's chunks of 1 GiB, in order.
     */
    public AtomicBuffer[] buffers()
    {
        return region.buffers();
    }

    /**
     * @return the NIO buffers over the object's chunks, for bulk copies through typed views.
     */
    public MappedByteBuffer[] mappings()
    {
        return region.mappings();
    }

    /**
     * @return false once the segment has been closed.
     */
    public boolean isOpen()
    {
        return !closed;
    }

    /**
     * @throws IllegalStateException if the segment has been closed.
     */
    public void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException(
                "object '" + name + "' of segment '" + segment.name() + "' is used after its segment was closed");
        }
    }

    /**
     * @return a description naming the segment and the object, for messages.
     */
    public String describe()
    {
        return type.name() + " '" + name + "' of segment '" + segment.name() + "'";
    }

    /**
     * Counts this thread among the object's sleepers, or once more if it is already (a blocking
     * operation that touches the object after its wait registers around the whole of it, and its
     * wait's sleep inside); {@code waiter}, if not null, is what a close wakes.
     */
    @Override
    public void sleeping(final Waiter waiter)
    {
        final Sleeper sleeper = sleepers.computeIfAbsent(Thread.currentThread(), thread -> new Sleeper());
        sleeper.depth++;
        if (waiter != null)
        {
            sleeper.waiter = waiter;
        }
        if (closed)
        {
            awake(waiter);
            checkOpen();
        }
    }

    @Override
    public void awake(final Waiter waiter)
    {
        final Thread thread = Thread.currentThread();
        final Sleeper sleeper = sleepers.get(thread);
        if (sleeper != null && --sleeper.depth == 0)
        {
            sleepers.remove(thread);
        }
    }

    /**
     * The first step of a close: from now on {@link #checkOpen()} throws and no thread starts a
     * sleep here.
     */
    void markClosed()
    {
        closed = true;
    }

    /**
     * The second step: wakes this process's threads asleep on the object (each sees the close at
     * its next look and throws) until they have left, or the time is up.
     *
     * @return whether none is left.
     */
    boolean awaitSleepers(final long deadline)
    {
        while (!sleepers.isEmpty() && System.nanoTime() - deadline < 0)
        {
            for (final Sleeper sleeper : sleepers.values())
            {
                final Waiter waiter = sleeper.waiter;
                if (waiter != null)
                {
                    waiter.wakeAll();
                }
            }
            LockSupport.parkNanos(WAKE_PAUSE_NANOS);
        }
        return sleepers.isEmpty();
    }

    /**
     * The last step: unmaps the object's memory.
     */
    void unmap()
    {
        region.close();
    }

    /**
     * Closes the object alone: marks it closed, waits for its sleepers to leave, then unmaps it
     * (or, if one has not left in time, leaves the mapping to the collector).
     */
    void close()
    {
        markClosed();
        if (awaitSleepers(System.nanoTime() + CLOSE_GRACE_NANOS))
        {
            unmap();
        }
    }

    /**
     * A thread's registration: how deep, and the waiter a close wakes.
     */
    private static final class Sleeper
    {
        private int depth;
        private volatile Waiter waiter;
    }

    @Override
    public String toString()
    {
        return describe() + " length " + length;
    }
}
