package io.shm.sync;

import io.shm.exceptions.LockNotRecoverableException;
import io.shm.process.ProcessIdentity;
import io.shm.process.ProcessSlot;
import io.shm.segment.SharedObject;
import io.shm.wait.Deadline;
import io.shm.wait.DeathWatch;
import io.shm.wait.WaitStrategy;
import io.shm.wait.Waiter;
import org.agrona.concurrent.AtomicBuffer;

import static io.shm.sync.LockDescriptor.*;

/**
 * The mechanism behind both locks: a robust, cross-process futex mutex.
 * <p>
 * <b>States of the word</b> (see {@link LockDescriptor}): 0 free; {@code pid} held; {@code pid | WAITERS}
 * held, and a waiter may be asleep on the word.
 * <p>
 * <b>Acquire.</b> CAS 0 &rarr; {@code pid}; on success write the owner's start time and thread
 * token. That is the whole uncontended path: no system call, no allocation. Otherwise spin and
 * yield (re-trying the CAS whenever the word reads 0), then park: set {@link LockDescriptor#WAITERS}
 * by CAS and sleep while the word still holds {@code owner | WAITERS}. A thread that has slept
 * takes the lock with CAS 0 &rarr; {@code pid | WAITERS}, since other sleepers may remain (Drepper's
 * "mutex 3"). Not fair: a newcomer may take the lock before a woken waiter.
 * <p>
 * <b>Release.</b> Check the caller is the owner (pid and thread token), clear the owner record,
 * CAS {@code pid} &rarr; 0; if that fails the WAITERS bit is set, so swap in 0 and wake one sleeper.
 * <p>
 * <b>Death of the owner.</b> A parked waiter checks, at most once per wait slice, whether the
 * owner's process is alive (pid and start time, {@link ProcessIdentity}). Only a proven death
 * counts: a stopped, slow or GC-stalled owner keeps the lock however long it takes. The waiter
 * that wins the CAS from the dead owner's word to its own becomes the owner and the lock is marked
 * {@link LockDescriptor#OWNER_DIED}: the protected state may be half-updated. The new owner
 * repairs it and calls {@link #markConsistent()}; if it unlocks without doing so, the lock becomes
 * {@link LockDescriptor#NOT_RECOVERABLE} and every later acquire throws
 * {@link LockNotRecoverableException}, as a robust pthread mutex does.
 * <p>
 * <b>Timeouts and interrupts</b> fail only the waiter: it leaves the WAITERS bit set (the next
 * release makes one harmless wake) and changes nothing else.
 */
final class RobustMutex
{
    private static final int PID = checkedPid();
    private static final int MAX_BACK_OFF_ROUNDS = 64;

    private final SharedObject object;
    private final AtomicBuffer buffer;
    private final WaitStrategy strategy;
    private final int word;
    private final int consistency;
    private final int ownerStartTime;
    private final int ownerThread;
    private final int holdCount;

    RobustMutex(final SharedObject object, final WaitStrategy strategy)
    {
        this(object, SharedObject.DATA_OFFSET, strategy);
    }

    /**
     * A mutex whose {@link LockDescriptor} block starts at {@code base} in the object's buffer.
     */
    RobustMutex(final SharedObject object, final int base, final WaitStrategy strategy)
    {
        this.object = object;
        this.buffer = object.buffer();
        this.strategy = strategy;
        this.word = base + LOCK_WORD_OFFSET;
        this.consistency = base + CONSISTENCY_OFFSET;
        this.ownerStartTime = base + OWNER_START_TIME_OFFSET;
        this.ownerThread = base + OWNER_THREAD_OFFSET;
        this.holdCount = base + HOLD_COUNT_OFFSET;
    }

    SharedObject object()
    {
        return object;
    }

    /**
     * One attempt, no waiting.
     *
     * @return whether the lock was free and is now held by the calling thread.
     */
    boolean tryAcquire()
    {
        object.checkOpen();
        if (buffer.compareAndSetInt(word, 0, PID))
        {
            onAcquired(false);
            return true;
        }
        return false;
    }

    /**
     * @return how this process waits for the lock (its conditions wait the same way).
     */
    WaitStrategy strategy()
    {
        return strategy;
    }

    /**
     * Acquires, waiting as the class comment says.
     *
     * @param timeoutNanos  how long to wait, or a negative value for no limit.
     * @param interruptible whether an interrupt ends the wait with {@link InterruptedException};
     *                      otherwise it is remembered and the thread re-interrupted on return.
     * @return whether the lock is now held (false only on timeout).
     */
    boolean acquire(final long timeoutNanos, final boolean interruptible) throws InterruptedException
    {
        // As java.util.concurrent: an interruptible acquire fails on an interrupt set on entry.
        if (interruptible && Thread.interrupted())
        {
            throw new InterruptedException();
        }
        if (tryAcquire())
        {
            return true;
        }
        if (timeoutNanos == 0)
        {
            return false;
        }
        final Acquire acquire = new Acquire();
        try
        {
            return acquire.await(Deadline.after(timeoutNanos), interruptible);
        }
        finally
        {
            acquire.endWatch();
        }
    }

    /**
     * One thread's wait for the lock: CAS 0 to this pid; announce by setting the waiters bit and
     * sleep on the lock word; once a slice (or at once when the death watch says the owner's
     * process exited), take the lock over from an owner proven dead.
     */
    private final class Acquire extends Waiter
    {
        private final long tid = Thread.currentThread().getId();
        private int current;
        private int backOff = 1;
        private boolean acquired;
        private DeathWatch ownerWatch;
        private DeathWatch checkedWatch;

        Acquire()
        {
            super(object, strategy, buffer, word, false);
        }

        @Override
        protected boolean tryAcquire()
        {
            if (acquired)
            {
                return true;
            }
            current = buffer.getIntVolatile(word);
            if (current == 0)
            {
                // A thread that has parked takes the lock "with waiters": others may still sleep.
                if (buffer.compareAndSetInt(word, 0, parks() == 0 ? PID : PID | WAITERS))
                {
                    onAcquired(false);
                    acquired = true;
                }
                return acquired;
            }
            if ((current & OWNER_MASK) == PID && buffer.getLongVolatile(ownerThread) == tid)
            {
                throw new IllegalMonitorStateException(object.describe() + " is already held by this thread");
            }
            return false;
        }

        /**
         * Exponential back-off between looks at the word: a waiter that reads it every round pulls
         * the line from the owner at each lock and unlock, and steals the lock at each release, so
         * a contended lock would change hands every time.
         */
        @Override
        protected int idle(final int round)
        {
            if (!strategy.idle(round))
            {
                return 0;
            }
            int idled = 1;
            for (int i = Math.min(backOff, MAX_BACK_OFF_ROUNDS); i > 0 && strategy.idle(round + idled); i--)
            {
                idled++;
            }
            backOff <<= 1;
            return idled;
        }

        @Override
        protected boolean beforeSleep(final boolean lookDue)
        {
            if (!lookDue)
            {
                return false;
            }
            final long startTime = ownerStartTime(current);
            if (!ownerIsDead(current, startTime))
            {
                return false;
            }
            // The dead owner's start time goes first: left in place, it would be read as the start
            // time of whoever wins the CAS below until the winner writes its own, and a waiter
            // comparing it with the winner's pid would think the winner dead. With 0 there, the
            // pid alone decides, as right after an ordinary acquire. Only if it is still the time
            // judged dead: else the lock has changed hands since, and a 0 would overwrite the start
            // time of a live owner.
            if (ProcessSlot.clearStartTimeOfDead(buffer, ownerStartTime, startTime) &&
                buffer.compareAndSetInt(word, current, PID | (current & WAITERS)))
            {
                onAcquired(true);
                acquired = true;
            }
            return true;
        }

        @Override
        protected boolean announce()
        {
            // A free word seen last (a CAS lost to another taker) is no owner to wait for: the
            // waiters bit alone must never be set, or nobody would own the lock to clear it.
            if (current == 0 ||
                ((current & WAITERS) == 0 && !buffer.compareAndSetInt(word, current, current | WAITERS)))
            {
                return false;
            }
            if (strategy.usesFutex())
            {
                // Woken the moment the owner's process exits, instead of at the end of a slice.
                ownerWatch = watchOwner(ownerWatch, current);
                if (ownerWatch != null && ownerWatch.fired() && ownerWatch != checkedWatch)
                {
                    // Once per watch that fires: look at the owner now, then sleep as usual.
                    checkedWatch = ownerWatch;
                    lookNow();
                    return false;
                }
            }
            return true;
        }

        @Override
        protected int sleepValue()
        {
            return current | WAITERS;
        }

        void endWatch()
        {
            if (ownerWatch != null)
            {
                ownerWatch.close();
            }
        }
    }

    /**
     * @return a watch on the owner named in {@code current}, or null if it cannot be watched yet
     *         (its start time is still being written: the slice then decides).
     */
    private DeathWatch watchOwner(final DeathWatch held, final int current)
    {
        final long startTime = ownerStartTime(current);
        return startTime == ProcessSlot.CHANGED_HANDS ? held :
            DeathWatch.follow(held, current & OWNER_MASK, startTime, buffer, word);
    }

    /**
     * The owner record's start time, as the slot rule reads it ({@link io.shm.process.ProcessSlot}):
     * it belongs to the owner named in {@code current} only if the word still names that owner
     * after it was read.
     *
     * @return the start time (0 while the owner is still writing it), or
     *         {@link ProcessSlot#CHANGED_HANDS} if the lock changed hands meanwhile.
     */
    private long ownerStartTime(final int current)
    {
        return ProcessSlot.holderStartTime(buffer, ownerStartTime, word, current, OWNER_MASK);
    }

    private void onAcquired(final boolean tookOverFromDeadOwner)
    {
        ProcessSlot.writeStartTime(buffer, ownerStartTime);
        buffer.putLongRelease(ownerThread, Thread.currentThread().getId());
        final int state = buffer.getIntVolatile(consistency);
        if (state == NOT_RECOVERABLE)
        {
            releaseWord();
            throw new LockNotRecoverableException(object.describe() + " is not recoverable: a previous owner died " +
                "and its successor unlocked without marking the state consistent");
        }
        if (tookOverFromDeadOwner)
        {
            buffer.putIntVolatile(consistency, OWNER_DIED);
        }
    }

    /**
     * @return whether the owner in {@code current} is a process proven dead.
     */
    private static boolean ownerIsDead(final int current, final long startTime)
    {
        // A word naming this process is its own holding (the owner check is the thread's).
        final int pid = current & OWNER_MASK;
        return pid != PID && ProcessSlot.isProvenDead(pid, startTime);
    }

    /**
     * Releases the lock held by the calling thread.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold it.
     */
    void release()
    {
        checkOwner();
        if (buffer.getIntVolatile(consistency) == OWNER_DIED)
        {
            buffer.putIntVolatile(consistency, NOT_RECOVERABLE);
        }
        releaseWord();
    }

    private void releaseWord()
    {
        buffer.putLong(ownerThread, 0);
        buffer.putLong(ownerStartTime, 0);
        // The CAS publishes the cleared record; it fails only when the WAITERS bit is set.
        if (!buffer.compareAndSetInt(word, PID, 0))
        {
            buffer.getAndSetInt(word, 0);
            strategy.wake(buffer, word, 1);
        }
    }

    void checkOwner()
    {
        object.checkOpen();
        final int current = buffer.getIntVolatile(word);
        if ((current & OWNER_MASK) != PID || buffer.getLong(ownerThread) != Thread.currentThread().getId())
        {
            throw new IllegalMonitorStateException(object.describe() + " is not held by this thread (" +
                (current == 0 ? "it is free" : "held by process " + (current & OWNER_MASK) + " thread " +
                buffer.getLongVolatile(ownerThread)) + ")");
        }
    }

    boolean isHeldByCurrentThread()
    {
        object.checkOpen();
        final int current = buffer.getIntVolatile(word);
        return (current & OWNER_MASK) == PID && buffer.getLongVolatile(ownerThread) == Thread.currentThread().getId();
    }

    boolean isLocked()
    {
        object.checkOpen();
        return buffer.getIntVolatile(word) != 0;
    }

    boolean hasSleepers()
    {
        object.checkOpen();
        return (buffer.getIntVolatile(word) & WAITERS) != 0;
    }

    /**
     * @return the pid of the holder, or 0 if free.
     */
    int ownerPid()
    {
        object.checkOpen();
        return buffer.getIntVolatile(word) & OWNER_MASK;
    }

    boolean ownerDied()
    {
        object.checkOpen();
        return buffer.getIntVolatile(consistency) == OWNER_DIED;
    }

    boolean isRecoverable()
    {
        object.checkOpen();
        return buffer.getIntVolatile(consistency) != NOT_RECOVERABLE;
    }

    void markConsistent()
    {
        checkOwner();
        if (buffer.getIntVolatile(consistency) == OWNER_DIED)
        {
            buffer.putIntVolatile(consistency, CONSISTENT);
        }
    }

    int holdCount()
    {
        return buffer.getInt(holdCount);
    }

    void holdCount(final int count)
    {
        buffer.putInt(holdCount, count);
    }

    private static int checkedPid()
    {
        final long pid = ProcessIdentity.current().pid();
        if (pid <= 0 || pid > OWNER_MASK)
        {
            throw new IllegalStateException("process id " + pid + " does not fit the lock word (at most " + OWNER_MASK + ")");
        }
        return (int)pid;
    }
}
