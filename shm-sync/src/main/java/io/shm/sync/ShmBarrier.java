package io.shm.sync;

import io.shm.exceptions.LengthMismatchException;
import io.shm.exceptions.ParameterMismatchException;
import io.shm.segment.Segment;
import io.shm.segment.Shared;
import io.shm.segment.SharedObject;
import io.shm.wait.ChangeWaiter;
import io.shm.wait.Deadline;
import io.shm.wait.WaitStrategy;
import org.agrona.concurrent.AtomicBuffer;

import java.util.Objects;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import static io.shm.sync.BarrierDescriptor.*;

/**
 * A barrier for a fixed number of parties in any processes: Python's
 * {@code multiprocessing.Barrier}, shaped like {@link java.util.concurrent.CyclicBarrier} (without
 * a barrier action). It is cyclic: once all parties have arrived it opens and is ready again.
 * <pre>{@code
 * ShmBarrier start = ShmBarrier.openOrCreate(segment, "start", 3);
 * int arrival = start.await(10, TimeUnit.SECONDS);   // 0 for the last to arrive
 * }</pre>
 * <b>Breaking.</b> As in {@code CyclicBarrier}, a party that times out or is interrupted breaks
 * the barrier: it gets {@link TimeoutException} or {@link InterruptedException}, every other
 * waiter {@link BrokenBarrierException}, and so does every later {@code await} until
 * {@link #reset()}. Here a party whose process <b>dies</b> while waiting also breaks it (the others
 * check, once per wait slice, the processes named in the waiters' slots), instead of leaving them
 * waiting forever. A party that dies before it arrives cannot be told from a late one.
 * <p>
 * <b>Memory consistency effects across processes:</b> what each party did before {@code await}
 * is visible to every party after {@code await} returns.
 */
public final class ShmBarrier implements Shared
{

    private final SharedObject object;
    private final AtomicBuffer buffer;
    private final WaitStrategy strategy;
    private final int parties;
    private final BarrierSlots waiterSlots;
    private final BarrierState state;
    private final Runnable action;

    private ShmBarrier(final SharedObject object, final WaitStrategy strategy)
    {
        this(object, strategy, null);
    }

    private ShmBarrier(final SharedObject object, final WaitStrategy strategy, final Runnable action)
    {
        this.action = action;
        this.object = object;
        this.buffer = object.buffer();
        this.strategy = strategy;
        this.parties = buffer.getInt(SharedObject.DATA_OFFSET + PARTIES_OFFSET);
        this.state = new BarrierState(object, strategy);
        this.waiterSlots = new BarrierSlots(object, strategy, 2 * parties);
    }

    /**
     * Opens the barrier, or creates it for {@code parties} parties, waiting with the default strategy.
     *
     * @param segment the segment.
     * @param name    the barrier's name.
     * @param parties the number of parties, at least 1.
     * @return the barrier.
     * @throws io.shm.exceptions.LengthMismatchException if it exists for another number of parties.
     */
    public static ShmBarrier openOrCreate(final Segment segment, final String name, final int parties)
    {
        return openOrCreate(segment, name, parties, WaitStrategy.defaultStrategy());
    }

    /**
     * Opens the barrier, or creates it for {@code parties} parties.
     *
     * @param segment  the segment.
     * @param name     the barrier's name.
     * @param parties  the number of parties, at least 1.
     * @param strategy how this process waits.
     * @return the barrier.
     */
    public static ShmBarrier openOrCreate(final Segment segment, final String name, final int parties, final WaitStrategy strategy)
    {
        return new ShmBarrier(barrierObject(segment, name, parties, false), strategy);
    }

    /**
     * Opens the barrier, or creates it for {@code parties} parties, with a barrier action
     * ({@code CyclicBarrier(int, Runnable)}, Python's {@code Barrier(parties, action)}): when the
     * last party arrives through this instance, it runs {@code action} before the others are
     * released. An action cannot cross processes, so each process gives its own (or none); the
     * one of the process whose party arrives last runs. If it throws, or its process dies while
     * it runs, the barrier breaks.
     *
     * @param action run by the last arriving party of each generation, in its process.
     * @throws ParameterMismatchException if it exists for another number of parties.
     */
    public static ShmBarrier openOrCreate(
        final Segment segment, final String name, final int parties, final WaitStrategy strategy, final Runnable action)
    {
        return new ShmBarrier(barrierObject(segment, name, parties, false), strategy, Objects.requireNonNull(action));
    }

    /**
     * Creates the barrier for {@code parties} parties.
     *
     * @throws io.shm.exceptions.ObjectExistsException if the segment has an object of that name.
     */
    public static ShmBarrier create(final Segment segment, final String name, final int parties, final WaitStrategy strategy)
    {
        return new ShmBarrier(barrierObject(segment, name, parties, true), strategy);
    }

    /**
     * Creates the barrier for {@code parties} parties, waiting with the default strategy.
     *
     * @throws io.shm.exceptions.ObjectExistsException if the segment has an object of that name.
     */
    public static ShmBarrier create(final Segment segment, final String name, final int parties)
    {
        return create(segment, name, parties, WaitStrategy.defaultStrategy());
    }

    /**
     * Opens an existing barrier, whatever its parties, waiting with the default strategy.
     *
     * @throws io.shm.exceptions.UnknownObjectException if there is none of that name.
     */
    public static ShmBarrier open(final Segment segment, final String name)
    {
        return open(segment, name, WaitStrategy.defaultStrategy());
    }

    /**
     * Opens an existing barrier, whatever its parties.
     *
     * @throws io.shm.exceptions.UnknownObjectException if there is none of that name.
     */
    public static ShmBarrier open(final Segment segment, final String name, final WaitStrategy strategy)
    {
        return new ShmBarrier(segment.openObject(name, SyncTypes.BARRIER), strategy);
    }

    /**
     * Opens an existing barrier with a barrier action for this process's parties (see
     * {@link #openOrCreate(Segment, String, int, WaitStrategy, Runnable)}), waiting with the
     * default strategy.
     *
     * @throws io.shm.exceptions.UnknownObjectException if there is none of that name.
     */
    public static ShmBarrier open(final Segment segment, final String name, final Runnable action)
    {
        return new ShmBarrier(segment.openObject(name, SyncTypes.BARRIER), WaitStrategy.defaultStrategy(),
            Objects.requireNonNull(action));
    }

    private static SharedObject barrierObject(final Segment segment, final String name, final int parties,
        final boolean create)
    {
        if (parties < 1 || parties > (1 << 20))
        {
            throw new IllegalArgumentException("barrier '" + name + "' needs 1 to " + (1 << 20) + " parties: " + parties);
        }
        final Consumer<SharedObject> initializer =
            object -> object.buffer().putInt(SharedObject.DATA_OFFSET + PARTIES_OFFSET, parties);
        if (create)
        {
            return segment.createObject(name, SyncTypes.BARRIER, length(parties), initializer);
        }
        try
        {
            return segment.object(name, SyncTypes.BARRIER, length(parties), initializer);
        }
        catch (final LengthMismatchException ex)
        {
            final SharedObject existing = segment.openObject(name, SyncTypes.BARRIER);
            ParameterMismatchException.check(existing.describe(), "parties",
                existing.buffer().getInt(SharedObject.DATA_OFFSET + PARTIES_OFFSET), parties);
            throw ex;
        }
    }

    @Override
    public SharedObject object()
    {
        return object;
    }

    public int getParties()
    {
        return parties;
    }

    /**
     * The number of parties inside {@code await} now: those that arrived and wait for the rest.
     * A party leaves the count when it returns or throws, so once a broken barrier's waiters have
     * all left with their exceptions this is 0, as for {@link java.util.concurrent.CyclicBarrier}.
     * A party whose process died while waiting is not counted.
     *
     * @return the number of parties waiting now.
     */
    public int getNumberWaiting()
    {
        object.checkOpen();
        final long current = state.current();
        final int arrived = arrived(current);
        if ((phase(current) & BROKEN) == 0 || arrived == 0)
        {
            return arrived;
        }
        // Broken: the live leave the count as they go, the dead never will.
        return Math.min(arrived, waiterSlots.liveHolders());
    }

    public boolean isBroken()
    {
        object.checkOpen();
        return (phase(state.current()) & BROKEN) != 0;
    }

    /**
     * Waits until all parties have arrived.
     *
     * @return the arrival index: {@code getParties() - 1} for the first to arrive, 0 for the last.
     * @throws InterruptedException   if interrupted while waiting; the barrier breaks.
     * @throws BrokenBarrierException if the barrier is or becomes broken.
     */
    public int await() throws InterruptedException, BrokenBarrierException
    {
        try
        {
            return await(-1);
        }
        catch (final TimeoutException ex)
        {
            throw new AssertionError("an untimed wait timed out", ex);
        }
    }

    /**
     * Waits at most {@code time} for all parties; a zero or negative time does not wait.
     *
     * @param time the longest wait.
     * @param unit its unit.
     * @return the arrival index.
     * @throws TimeoutException       if the time ran out; the barrier breaks.
     * @throws InterruptedException   if interrupted while waiting; the barrier breaks.
     * @throws BrokenBarrierException if the barrier is or becomes broken.
     */
    public int await(final long time, final TimeUnit unit)
        throws InterruptedException, BrokenBarrierException, TimeoutException
    {
        return await(Deadline.nanos(time, unit));
    }

    /**
     * Breaks the barrier (Python's {@code abort()}): the parties waiting now, and every later
     * {@code await}, fail with {@link BrokenBarrierException} until {@link #reset()}.
     */
    public void abort()
    {
        object.checkOpen();
        state.breakBarrier();
    }

    /**
     * Breaks the barrier for the parties waiting now (they get {@link BrokenBarrierException}),
     * forgets waiters whose processes died, and makes it ready for a new round.
     */
    public void reset()
    {
        object.checkOpen();
        state.reset();
        waiterSlots.freeDead();
        state.wakeSleepers();
    }

    private int await(final long timeoutNanos) throws InterruptedException, BrokenBarrierException, TimeoutException
    {
        // Registered for the whole wait: the slot is given back after the sleep, so a close
        // waits for that too before it unmaps.
        object.sleeping(null);
        try
        {
            return awaitInSlot(timeoutNanos);
        }
        finally
        {
            object.awake(null);
        }
    }

    private int awaitInSlot(final long timeoutNanos)
        throws InterruptedException, BrokenBarrierException, TimeoutException
    {
        final int slot = waiterSlots.claim();
        try
        {
            if (Thread.interrupted())
            {
                state.breakBarrier();
                throw new InterruptedException();
            }
            final long arrival = arrive();
            final int phase = phase(arrival);
            final int index = parties - 1 - arrived(arrival);
            if (index == 0)
            {
                return 0;
            }
            try
            {
                return awaitTrip(phase, index, timeoutNanos);
            }
            catch (final InterruptedException | BrokenBarrierException | TimeoutException ex)
            {
                state.leaveBrokenGeneration(phase);
                throw ex;
            }
        }
        finally
        {
            waiterSlots.release(slot);
        }
    }

    /**
     * @return the state before our arrival; if we were the last, the barrier has tripped.
     */
    private long arrive() throws BrokenBarrierException
    {
        int spins = 0;
        while (true)
        {
            final long current = state.current();
            final int phase = phase(current);
            if ((phase & BROKEN) != 0)
            {
                throw broken();
            }
            final int arrived = arrived(current);
            if (arrived >= parties)
            {
                // The last party runs its action before the trip: the next generation waits for it.
                awaitAction(++spins);
                continue;
            }
            if (arrived + 1 == parties)
            {
                state.clearReset((phase >>> 1) + 1);
                if (action == null)
                {
                    if (state.trip(current, phase))
                    {
                        return current;
                    }
                }
                else if (state.compareAndSet(current, current + 1))
                {
                    runActionThenTrip(phase);
                    return current;
                }
            }
            else if (state.compareAndSet(current, current + 1))
            {
                return current;
            }
        }
    }

    /**
     * Runs this instance's action as the last party, then trips; breaks the barrier if it throws.
     */
    private void runActionThenTrip(final int phase)
    {
        try
        {
            action.run();
        }
        catch (final RuntimeException | Error ex)
        {
            state.breakBarrier();
            throw ex;
        }
        state.trip(BarrierDescriptor.state(phase, parties), phase);
    }

    /**
     * A party of the next generation, arrived while the last party of this one runs its action:
     * yields, and breaks the barrier if a waiter's process (the action's, perhaps) is proven dead.
     */
    private void awaitAction(final int spins)
    {
        if ((spins & 0xFFF) == 0 && waiterSlots.aHolderDied())
        {
            state.breakBarrier();
        }
        Thread.yield();
    }

    private int awaitTrip(final int phase, final int index, final long timeoutNanos)
        throws InterruptedException, BrokenBarrierException, TimeoutException
    {
        final long deadline = Deadline.after(timeoutNanos);
        final Trip trip = new Trip(phase);
        while (true)
        {
            final boolean moved = trip.await(deadline, true);
            final int current = phase(state.current());
            if ((current >>> 1) != (phase >>> 1))
            {
                // The next generation: tripped by the last party, or ended by a reset.
                if (state.wasReset(phase >>> 1))
                {
                    throw broken();
                }
                return index;
            }
            if ((current & BROKEN) != 0)
            {
                throw broken();
            }
            if (!moved && state.breakIfPhase(phase))
            {
                throw new TimeoutException(object.describe() + ": not all " + parties + " parties arrived in time");
            }
        }
    }

    /**
     * Waits for the phase to move from {@code phase}: the next generation, or this one broken.
     * An interrupt or a dead waiter breaks the generation (if it is still this one).
     */
    private final class Trip extends ChangeWaiter
    {
        private final int phase;

        Trip(final int phase)
        {
            // The phase word is the high half of the state: it moves with every trip and break.
            super(object, strategy, buffer, state.phaseWord(), phase, state.sleepers());
            this.phase = phase;
        }

        @Override
        protected boolean beforeSleep(final boolean lookDue)
        {
            if (lookDue && waiterSlots.aHolderDied())
            {
                state.breakIfPhase(phase);
                return true;
            }
            return false;
        }

        @Override
        protected boolean onInterrupt() throws InterruptedException
        {
            if (state.breakIfPhase(phase))
            {
                throw new InterruptedException();
            }
            // The generation moved on first: the wait is over either way.
            return false;
        }
    }

    private BrokenBarrierException broken()
    {
        return new BrokenBarrierException(object.describe() + " is broken");
    }

    @Override
    public String toString()
    {
        return object.describe() + " for " + parties + " parties";
    }
}
