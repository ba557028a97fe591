package io.shm.sync;

import io.shm.segment.Segment;
import io.shm.segment.SharedObject;
import io.shm.wait.WaitStrategy;

import static io.shm.sync.SemaphoreDescriptor.BOUND_OFFSET;

/**
 * A semaphore that cannot be released above its initial count: Python's
 * {@code multiprocessing.BoundedSemaphore}. A release that would exceed it throws
 * {@link IllegalStateException} (Python's {@code ValueError}) and adds nothing: it catches a
 * release without a matching acquire.
 */
public final class ShmBoundedSemaphore extends ShmSemaphore
{
    private final int bound;

    private ShmBoundedSemaphore(final SharedObject object, final WaitStrategy strategy)
    {
        super(object, strategy);
        this.bound = object.buffer().getInt(SharedObject.DATA_OFFSET + BOUND_OFFSET);
    }

    /**
     * Opens the semaphore, or creates it with {@code permits}, which is also its bound.
     *
     * @param segment the segment.
     * @param name    the semaphore's name.
     * @param permits the initial and largest number of permits.
     * @return the semaphore.
     */
    public static ShmBoundedSemaphore openOrCreate(final Segment segment, final String name, final int permits)
    {
        return openOrCreate(segment, name, permits, WaitStrategy.defaultStrategy());
    }

    /**
     * Opens the semaphore, or creates it with {@code permits}, which is also its bound.
     *
     * @param segment  the segment.
     * @param name     the semaphore's name.
     * @param permits  the initial and largest number of permits.
     * @param strategy how this process waits.
     * @return the semaphore.
     */
    public static ShmBoundedSemaphore openOrCreate(
        final Segment segment, final String name, final int permits, final WaitStrategy strategy)
    {
        return new ShmBoundedSemaphore(
            semaphoreObject(segment, name, SyncTypes.BOUNDED_SEMAPHORE, false, permits, permits), strategy);
    }

    /**
     * Creates the semaphore with {@code permits}, which is also its bound.
     *
     * @throws io.shm.exceptions.ObjectExistsException if the segment has an object of that name.
     */
    public static ShmBoundedSemaphore create(
        final Segment segment, final String name, final int permits, final WaitStrategy strategy)
    {
        return new ShmBoundedSemaphore(
            semaphoreObject(segment, name, SyncTypes.BOUNDED_SEMAPHORE, true, permits, permits), strategy);
    }

    /**
     * Creates the semaphore with {@code permits}, waiting with the default strategy.
     *
     * @throws io.shm.exceptions.ObjectExistsException if the segment has an object of that name.
     */
    public static ShmBoundedSemaphore create(final Segment segment, final String name, final int permits)
    {
        return create(segment, name, permits, WaitStrategy.defaultStrategy());
    }

    /**
     * Opens an existing bounded semaphore, waiting with the default strategy.
     *
     * @throws io.shm.exceptions.UnknownObjectException if there is none of that name.
     */
    public static ShmBoundedSemaphore open(final Segment segment, final String name)
    {
        return open(segment, name, WaitStrategy.defaultStrategy());
    }

    /**
     * Opens an existing bounded semaphore.
     *
     * @throws io.shm.exceptions.UnknownObjectException if there is none of that name.
     */
    public static ShmBoundedSemaphore open(final Segment segment, final String name, final WaitStrategy strategy)
    {
        return new ShmBoundedSemaphore(segment.openObject(name, SyncTypes.BOUNDED_SEMAPHORE), strategy);
    }

    /**
     * @return the most permits the semaphore may hold.
     */
    public int bound()
    {
        return bound;
    }

    /**
     * @throws IllegalStateException if the release would take the permits above {@link #bound()}.
     */
    @Override
    void add(final int count)
    {
        while (true)
        {
            final int current = buffer.getIntVolatile(permits);
            if (current > bound - count)
            {
                throw new IllegalStateException(object.describe() + " released too many times: " + current +
                    " permits + " + count + " would exceed its bound " + bound);
            }
            if (buffer.compareAndSetInt(permits, current, current + count))
            {
                return;
            }
        }
    }
}
