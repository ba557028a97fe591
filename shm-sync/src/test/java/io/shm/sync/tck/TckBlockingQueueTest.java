package io.shm.sync.tck;

import io.shm.codec.Codecs;
import io.shm.queue.ShmQueue;
import io.shm.sync.ShmCondition;
import io.shm.sync.ShmLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The cases of the JSR-166 TCK's {@code BlockingQueueTest} and {@code ArrayBlockingQueueTest}
 * that apply to {@link ShmQueue}, ported. Differences: the iterator walks a snapshot (its
 * {@code remove}, and so {@code remove(Object)}, are not supported), and a full queue is full by
 * count or by its ring's bytes.
 */
@Timeout(120)
class TckBlockingQueueTest extends TckCase
{
    private static final int SIZE = 20;

    private ShmQueue<Integer> emptyQueue(final int capacity)
    {
        return ShmQueue.openOrCreate(segment, "q" + capacity, capacity, 4, Codecs.INT);
    }

    private ShmQueue<Integer> populatedQueue(final int n)
    {
        final ShmQueue<Integer> q = emptyQueue(n);
        for (int i = 0; i < n; i++)
        {
            assertTrue(q.offer(i));
        }
        assertEquals(n, q.size());
        assertEquals(0, q.remainingCapacity());
        return q;
    }

    @Test
    void aNewQueueIsEmptyAndReportsItsCapacity()
    {
        final BlockingQueue<Integer> q = emptyQueue(2);
        assertTrue(q.isEmpty());
        assertEquals(2, q.remainingCapacity());
        q.add(1);
        assertFalse(q.isEmpty());
        q.add(2);
        assertEquals(0, q.remainingCapacity());
        assertFalse(q.offer(3));
        assertThrows(IllegalStateException.class, () -> q.add(3), "add on a full queue");
    }

    @Test
    void nullsAreRefusedEverywhere()
    {
        final BlockingQueue<Integer> q = emptyQueue(SIZE);
        assertThrows(NullPointerException.class, () -> q.offer(null));
        assertThrows(NullPointerException.class, () -> q.add(null));
        assertThrows(NullPointerException.class, () -> q.put(null));
        assertThrows(NullPointerException.class, () -> q.offer(null, 1, TimeUnit.MILLISECONDS));
        assertThrows(NullPointerException.class, () -> q.drainTo(null));
        assertEquals(0, q.size());
    }

    @Test
    void pollPeekElementAndRemoveFollowTheQueueInterface()
    {
        final ShmQueue<Integer> q = populatedQueue(SIZE);
        for (int i = 0; i < SIZE; i++)
        {
            assertEquals(i, q.peek());
            assertEquals(i, q.element());
            assertEquals(i, i % 2 == 0 ? q.poll() : q.remove());
            assertNotEquals(Integer.valueOf(i), q.peek());
        }
        assertNull(q.peek());
        assertNull(q.poll());
        assertThrows(NoSuchElementException.class, q::element);
        assertThrows(NoSuchElementException.class, q::remove);
    }

    @Test
    void putAndTakeMoveItemsInOrder() throws InterruptedException
    {
        final ShmQueue<Integer> q = emptyQueue(SIZE);
        for (int i = 0; i < SIZE; i++)
        {
            q.put(i);
            assertEquals(i + 1, q.size());
        }
        for (int i = 0; i < SIZE; i++)
        {
            assertEquals(i, q.take());
        }
    }

    @Test
    void putBlocksWhenFullUntilATakeAndIsInterruptible() throws Exception
    {
        final ShmQueue<Integer> q = populatedQueue(2);
        final Thread t = newStartedThread(() ->
        {
            q.put(99);
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () -> q.put(100));
            assertThrows(InterruptedException.class, () -> q.put(100), "interrupted while waiting");
        });
        awaitCondition(() -> notFull(q).waiters() == 1, "the put to wait");
        assertEquals(0, q.take());
        awaitCondition(() -> q.size() == 2 && notFull(q).waiters() == 1, "the second put to wait");
        t.interrupt();
        awaitTermination(t);
        assertEquals(List.of(1, 99), new ArrayList<>(q));
    }

    @Test
    void takeBlocksWhenEmptyUntilAPutAndIsInterruptible() throws Exception
    {
        final ShmQueue<Integer> q = emptyQueue(2);
        final Thread t = newStartedThread(() ->
        {
            assertEquals(7, q.take());
            assertThrows(InterruptedException.class, q::take);
        });
        awaitCondition(() -> notEmpty(q).waiters() == 1, "the take to wait");
        q.put(7);
        awaitCondition(() -> q.isEmpty() && notEmpty(q).waiters() == 1, "the second take to wait");
        t.interrupt();
        awaitTermination(t);
    }

    @Test
    void timedOfferAndPollTimeOut() throws InterruptedException
    {
        final ShmQueue<Integer> full = populatedQueue(1);
        long start = System.nanoTime();
        assertFalse(full.offer(5, SHORT_DELAY_MS, TimeUnit.MILLISECONDS));
        assertTrue(millisElapsedSince(start) >= SHORT_DELAY_MS);
        final ShmQueue<Integer> empty = emptyQueue(3);
        start = System.nanoTime();
        assertNull(empty.poll(SHORT_DELAY_MS, TimeUnit.MILLISECONDS));
        assertTrue(millisElapsedSince(start) >= SHORT_DELAY_MS);
        assertNull(empty.poll(0, TimeUnit.MILLISECONDS));
        assertFalse(full.offer(5, -1, TimeUnit.MILLISECONDS));
    }

    @Test
    void offerAndPollThatDoNotWaitIgnoreTheInterruptStatus()
    {
        final ShmQueue<Integer> q = emptyQueue(1);
        Thread.currentThread().interrupt();
        try
        {
            assertTrue(q.offer(1));
            assertFalse(q.offer(2));
            assertEquals(1, q.peek());
            assertEquals(1, q.poll());
            assertNull(q.poll());
            assertTrue(Thread.currentThread().isInterrupted());
        }
        finally
        {
            Thread.interrupted();
        }
    }

    @Test
    void drainToMovesEveryItemOrAtMostN()
    {
        final ShmQueue<Integer> q = populatedQueue(SIZE);
        final List<Integer> all = new ArrayList<>();
        assertEquals(3, q.drainTo(all, 3));
        assertEquals(List.of(0, 1, 2), all);
        assertEquals(SIZE - 3, q.drainTo(all));
        assertEquals(SIZE, all.size());
        assertEquals(0, q.size());
        assertEquals(SIZE, q.remainingCapacity());
        assertThrows(IllegalArgumentException.class, () -> q.drainTo(q));
        assertEquals(0, q.drainTo(all, 0));
    }

    @Test
    void theIteratorWalksASnapshotOldestFirst()
    {
        final ShmQueue<Integer> q = populatedQueue(SIZE);
        final Iterator<Integer> it = q.iterator();
        q.clear();
        assertEquals(0, q.size());
        for (int i = 0; i < SIZE; i++)
        {
            assertEquals(i, it.next());
        }
        assertFalse(it.hasNext());
        assertThrows(UnsupportedOperationException.class, it::remove);
    }

    @Test
    void containsToArrayAndClear()
    {
        final ShmQueue<Integer> q = populatedQueue(SIZE);
        assertTrue(q.contains(5));
        assertFalse(q.contains(SIZE + 1));
        final Object[] items = q.toArray();
        assertEquals(SIZE, items.length);
        assertEquals(0, items[0]);
        final Integer[] typed = q.toArray(new Integer[0]);
        assertEquals(SIZE - 1, typed[SIZE - 1]);
        q.clear();
        assertTrue(q.isEmpty());
        assertEquals(SIZE, q.remainingCapacity());
    }

    private static ShmCondition notFull(final ShmQueue<?> q)
    {
        return ShmCondition.open(q.object().segment(), q.name() + ".notFull",
            ShmLock.open(q.object().segment(), q.name() + ".lock"));
    }

    private static ShmCondition notEmpty(final ShmQueue<?> q)
    {
        return ShmCondition.open(q.object().segment(), q.name() + ".notEmpty",
            ShmLock.open(q.object().segment(), q.name() + ".lock"));
    }
}
