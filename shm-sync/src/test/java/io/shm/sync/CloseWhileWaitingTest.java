package io.shm.sync;

import io.shm.broadcast.Broadcast;
import io.shm.broadcast.BroadcastDescriptor;
import io.shm.broadcast.BroadcastOptions;
import io.shm.broadcast.BroadcastReceiver;
import io.shm.channel.Channel;
import io.shm.channel.ChannelDescriptor;
import io.shm.channel.ChannelOptions;
import io.shm.channel.ChannelReceiver;
import io.shm.segment.SharedObject;
import io.shm.test.Await;
import io.shm.test.SegmentTestCase;
import io.shm.wait.WaitMany;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A segment closed while threads of this process sleep on its objects: each sleeper is woken and
 * fails with {@link IllegalStateException}, and only then is the memory unmapped (a sleeper that
 * touched unmapped memory would crash the JVM).
 */
@Timeout(60)
class CloseWhileWaitingTest extends SegmentTestCase
{
    @Test
    void aThreadWaitingForALockFailsWhenTheSegmentCloses() throws Exception
    {
        final ShmLock lock = ShmLock.openOrCreate(segment, "lock");
        lock.lock();
        closeWhileWaiting(lock::lock, lock::hasQueuedThreads);
    }

    @Test
    void aThreadWaitingForAPermitFailsWhenTheSegmentCloses() throws Exception
    {
        final ShmSemaphore semaphore = ShmSemaphore.openOrCreate(segment, "semaphore", 0);
        closeWhileWaiting(semaphore::acquire, () -> semaphore.waiters() > 0);
    }

    @Test
    void aThreadWaitingForAnEventFailsWhenTheSegmentCloses() throws Exception
    {
        final ShmEvent event = ShmEvent.openOrCreate(segment, "event");
        closeWhileWaiting(event::await, () -> event.waiters() > 0);
    }

    @Test
    void aThreadWaitingOnAConditionFailsWhenTheSegmentCloses() throws Exception
    {
        final ShmLock lock = ShmLock.openOrCreate(segment, "lock");
        final ShmCondition condition = lock.newCondition("condition");
        closeWhileWaiting(() ->
        {
            lock.lock();
            condition.await();
        }, () -> condition.waiters() > 0);
    }

    @Test
    void aThreadWaitingAtABarrierFailsWhenTheSegmentCloses() throws Exception
    {
        final ShmBarrier barrier = ShmBarrier.openOrCreate(segment, "barrier", 2);
        closeWhileWaiting(barrier::await, () -> barrier.getNumberWaiting() == 1);
    }

    @Test
    void aThreadWaitingToReceiveFailsWhenTheSegmentCloses() throws Exception
    {
        final Channel channel = Channel.openOrCreate(segment, "channel", ChannelOptions.defaults());
        final ChannelReceiver receiver = channel.receiver();
        final SharedObject object = channel.object();
        closeWhileWaiting(receiver::receive, () -> object.isOpen() &&
            object.buffer().getIntVolatile(SharedObject.DATA_OFFSET + ChannelDescriptor.CONSUMER_WAITING_OFFSET) != 0);
    }

    @Test
    void aThreadWaitingForABroadcastFailsWhenTheSegmentCloses() throws Exception
    {
        final Broadcast broadcast = Broadcast.openOrCreate(segment, "broadcast",
            BroadcastOptions.defaults().withCapacity(16 * 1024));
        final BroadcastReceiver receiver = broadcast.receiver(BroadcastReceiver.Start.NEWEST);
        final SharedObject object = broadcast.object();
        closeWhileWaiting(receiver::receive, () -> object.isOpen() &&
            object.buffer().getIntVolatile(SharedObject.DATA_OFFSET + BroadcastDescriptor.RECEIVERS_WAITING_OFFSET) != 0);
    }

    @Test
    void aThreadWaitingOnManySourcesFailsWhenTheSegmentCloses() throws Exception
    {
        final Channel first = Channel.openOrCreate(segment, "first", ChannelOptions.defaults().withCapacity(16 * 1024));
        final Channel second = Channel.openOrCreate(segment, "second", ChannelOptions.defaults().withCapacity(16 * 1024));
        final List<ChannelReceiver> sources = List.of(first.receiver(), second.receiver());
        final SharedObject object = second.object();
        closeWhileWaiting(() -> WaitMany.await(sources), () -> object.isOpen() &&
            object.buffer().getIntVolatile(SharedObject.DATA_OFFSET + ChannelDescriptor.CONSUMER_WAITING_OFFSET) != 0);
    }

    @FunctionalInterface
    private interface Wait
    {
        void run() throws Exception;
    }

    /**
     * Starts a thread that waits, closes the segment once the thread has announced its sleep, and
     * checks that the thread failed as a use after close and the close did not wait long.
     */
    private void closeWhileWaiting(final Wait wait, final BooleanSupplier asleep) throws Exception
    {
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread waiter = new Thread(() ->
        {
            try
            {
                wait.run();
            }
            catch (final Throwable ex)
            {
                failure.set(ex);
            }
        });
        waiter.start();
        Await.await(asleep, Await.PROMPT, "the waiter to announce its sleep");
        final long start = System.nanoTime();
        segment.close();
        final long closing = System.nanoTime() - start;
        waiter.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(waiter.isAlive(), "the waiter left");
        assertInstanceOf(IllegalStateException.class, failure.get());
        assertTrue(failure.get().getMessage().contains("closed"), failure.get().getMessage());
        assertTrue(closing < TimeUnit.SECONDS.toNanos(1), "the close waited " + closing + " ns for the sleeper");
    }
}
