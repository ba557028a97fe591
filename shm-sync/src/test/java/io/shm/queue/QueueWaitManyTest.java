package io.shm.queue;

import io.shm.channel.Channel;
import io.shm.channel.ChannelOptions;
import io.shm.channel.ChannelReceiver;
import io.shm.channel.ChannelSender;
import io.shm.codec.Codecs;
import io.shm.process.JvmProcess;
import io.shm.test.Await;
import io.shm.test.ChildArgs;
import io.shm.test.SegmentTestCase;
import io.shm.wait.WaitMany;
import io.shm.wait.Waitable;
import io.shm.wait.linux.Futex;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A queue among the sources of a {@link WaitMany}: a put wakes the waiter, and a taker asleep on
 * the same queue still gets its item.
 */
@Timeout(120)
class QueueWaitManyTest extends SegmentTestCase
{
    private static final int ITEMS = 2000;

    @Test
    void aPutWakesAWaitOnTheQueueAndATakerStillGetsTheItem() throws Exception
    {
        final ShmQueue<Long> queue = ShmQueue.openOrCreate(segment, "q", 16, 8, Codecs.LONG);
        final ShmQueue<Long> takers = ShmQueue.open(segment, "q", Codecs.LONG);
        final ChannelReceiver idle = Channel.openOrCreate(segment, "c", ChannelOptions.defaults().withCapacity(16 * 1024))
            .receiver();
        assertEquals(List.of(), WaitMany.await(List.of(queue, idle), 10, TimeUnit.MILLISECONDS));
        final CompletableFuture<Long> taken = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return takers.take();
            }
            catch (final InterruptedException ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        final long sleepsBefore = Futex.waitCalls();
        final CompletableFuture<List<Waitable>> ready = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return WaitMany.await(List.<Waitable>of(queue, idle), 10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        Await.await(() -> Futex.waitCalls() >= sleepsBefore + 2, Await.PROMPT, "the taker and the waiter to sleep");
        // Two items: the taker may take the first before the waiter looks; the second stays.
        queue.put(42L);
        queue.put(43L);
        assertEquals(List.of(queue), ready.get(10, TimeUnit.SECONDS));
        assertEquals(42L, taken.get(10, TimeUnit.SECONDS), "the taker asleep on the same queue was woken too");
        assertEquals(43L, queue.poll());
    }

    @Test
    void aQueueAndAChannelFedByAnotherProcessAreBothDrained() throws Exception
    {
        final ShmQueue<Long> queue = ShmQueue.openOrCreate(segment, "q", 64, 8, Codecs.LONG);
        final ChannelReceiver channel = Channel.openOrCreate(segment, "c", ChannelOptions.defaults()
            .withCapacity(64 * 1024)).receiver();
        final WaitMany<Waitable> wait = WaitMany.of(List.of(queue, channel));
        final byte[] into = new byte[8];
        final UnsafeBuffer view = new UnsafeBuffer(into);
        long nextItem = 0;
        long nextMessage = 0;
        final long sleepsBefore = Futex.waitCalls();
        try (JvmProcess feed = ChildArgs.child(Feed.class, segments, segment.name()).start())
        {
            while (nextItem < ITEMS || nextMessage < ITEMS)
            {
                final List<Waitable> ready = wait.await(30, TimeUnit.SECONDS);
                assertFalse(ready.isEmpty(), "something within 30 s: " + feed.output());
                if (ready.contains(queue))
                {
                    for (Long item = queue.poll(); item != null; item = queue.poll())
                    {
                        assertEquals(nextItem++, item);
                    }
                }
                if (ready.contains(channel))
                {
                    while (channel.hasMessage())
                    {
                        channel.receive(into);
                        assertEquals(nextMessage++, view.getLong(0));
                    }
                }
            }
            assertEquals(0, feed.join(30, TimeUnit.SECONDS), feed.output());
        }
        assertTrue(Futex.waitCalls() - sleepsBefore > 20, "the waiter slept between bursts");
    }

    /**
     * Child: puts {@value #ITEMS} longs on queue {@code q} and sends as many on channel
     * {@code c}, in bursts of 1 to 20 on one or the other, 1 to 5 ms apart.
     */
    public static final class Feed
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.open(args);
                ChannelSender sender = Channel.open(child.segment(), "c").sender())
            {
                final ShmQueue<Long> queue = ShmQueue.open(child.segment(), "q", Codecs.LONG);
                final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
                final SplittableRandom random = new SplittableRandom(7);
                long items = 0;
                long messages = 0;
                while (items < ITEMS || messages < ITEMS)
                {
                    final boolean toQueue = messages == ITEMS || (items < ITEMS && random.nextBoolean());
                    for (int n = random.nextInt(1, 21); n > 0; n--)
                    {
                        if (toQueue && items < ITEMS)
                        {
                            queue.put(items++);
                        }
                        else if (!toQueue && messages < ITEMS)
                        {
                            message.putLong(0, messages++);
                            sender.send(message, 0, 8);
                        }
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(random.nextInt(1, 6)));
                }
            }
        }
    }
}
