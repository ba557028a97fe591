package io.shm.sync.value;

import io.shm.segment.Companion;
import io.shm.segment.Segment;
import io.shm.sync.AbstractShmLock;
import io.shm.sync.ShmLock;
import io.shm.sync.ShmReentrantLock;
import io.shm.value.SharedView;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A shared value or array paired with a cross-process lock: Python's {@code Value(lock=True)} and
 * {@code Array(lock=True)}. The typed wrappers ({@link LockedLongValue}, {@link LockedDoubleValue},
 * {@link LockedIntValue}) take the lock around each operation; this class gives the lock and the
 * raw view for compound updates.
 * <pre>{@code
 * Locked<DoubleArray> prices = Locked.of(segment, DoubleArray.openOrCreate(segment, "prices", 100));
 * prices.update(array -> array.set(7, array.get(7) * 1.1));   // read-modify-write under the lock
 * }</pre>
 * The lock is by default a {@link ShmReentrantLock} (Python's default for {@code Value}) named
 * after the object, {@code <name>.lock}, so every process that wraps the same object shares it;
 * any of our locks may be given instead (Python's {@code Value(..., lock=some_lock)}). If a holder
 * dies inside an update, the next one is told through the lock's {@code ownerDied()}.
 *
 * @param <V> the view type.
 */
public final class Locked<V extends SharedView>
{
    private final V view;
    private final AbstractShmLock lock;

    private Locked(final V view, final AbstractShmLock lock)
    {
        this.view = view;
        this.lock = lock;
    }

    /**
     * Pairs a view with the lock named after it, creating the lock if needed.
     *
     * @param segment the segment to hold the lock (usually the view's).
     * @param view    the value or array.
     * @param <V>     the view type.
     * @return the pair.
     */
    public static <V extends SharedView> Locked<V> of(final Segment segment, final V view)
    {
        return new Locked<>(view, ShmReentrantLock.openOrCreate(segment, Companion.LOCK.of(segment.name(), view.name())));
    }

    /**
     * Pairs a view with a lock of the caller's choosing (Python's {@code Value(..., lock=some_lock)}).
     *
     * @param view the value or array.
     * @param lock the lock.
     * @param <V>  the view type.
     * @return the pair.
     */
    public static <V extends SharedView> Locked<V> of(final V view, final ShmReentrantLock lock)
    {
        return new Locked<>(Objects.requireNonNull(view, "view"), Objects.requireNonNull(lock, "lock"));
    }

    /**
     * Pairs a view with a non-reentrant lock of the caller's choosing (Python's
     * {@code Value(..., lock=Lock())}): a function given to {@link #apply} or {@link #update}
     * must not take it again.
     *
     * @param view the value or array.
     * @param lock the lock.
     * @param <V>  the view type.
     * @return the pair.
     */
    public static <V extends SharedView> Locked<V> of(final V view, final ShmLock lock)
    {
        return new Locked<>(Objects.requireNonNull(view, "view"), Objects.requireNonNull(lock, "lock"));
    }

    /**
     * @return the lock (Python's {@code get_lock()}): a {@link ShmReentrantLock} or a {@link ShmLock}.
     */
    public AbstractShmLock getLock()
    {
        return lock;
    }

    /**
     * @return the view without the lock (Python's {@code get_obj()}); its accesses are not locked.
     */
    public V raw()
    {
        return view;
    }

    /**
     * Runs {@code function} on the view while holding the lock.
     *
     * @param function what to compute.
     * @param <R>      the result type.
     * @return its result.
     */
    public <R> R apply(final Function<V, R> function)
    {
        lock.lock();
        try
        {
            return function.apply(view);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Runs {@code action} on the view while holding the lock.
     *
     * @param action what to do.
     */
    public void update(final Consumer<V> action)
    {
        lock.lock();
        try
        {
            action.accept(view);
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public String toString()
    {
        return "Locked{" + view.name() + ", " + lock + "}";
    }
}
