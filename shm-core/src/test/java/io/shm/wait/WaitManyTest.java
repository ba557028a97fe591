package io.shm.wait;

import io.shm.broadcast.Broadcast;
import io.shm.broadcast.BroadcastOptions;
import io.shm.broadcast.BroadcastReceiver;
import io.shm.broadcast.BroadcastSender;
import io.shm.channel.Channel;
import io.shm.channel.ChannelOptions;
import io.shm.channel.ChannelReceiver;
import io.shm.channel.ChannelSender;
import io.shm.test.SegmentTestCase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A wait on several sources within one process; {@code CrossProcessWaitManyTest} runs it between JVMs.
 */
@Timeout(60)
class WaitManyTest extends SegmentTestCase
{
    private static final ChannelOptions SMALL = ChannelOptions.defaults().withCapacity(16 * 1024);

    @Test
    void theReadySourcesAreReturnedInTheOrderGiven() throws Exception
    {
        final ChannelReceiver a = Channel.openOrCreate(segment, "a", SMALL).receiver();
        final ChannelReceiver b = Channel.openOrCreate(segment, "b", SMALL).receiver();
        final Broadcast broadcast = Broadcast.openOrCreate(segment, "c", BroadcastOptions.defaults().withCapacity(16 * 1024));
        final BroadcastReceiver c = broadcast.receiver(BroadcastReceiver.Start.OLDEST);
        try (ChannelSender toB = Channel.open(segment, "b").sender(); BroadcastSender toC = broadcast.sender())
        {
            assertEquals(List.of(), WaitMany.await(List.of(a, b, c), 0, TimeUnit.MILLISECONDS));
            toC.send(new byte[3]);
            toB.send(new byte[1]);
            assertEquals(List.of(b, c), WaitMany.await(List.of(a, b, c)));
            assertEquals(1, b.receive(new byte[8]));
            assertEquals(List.of(c), WaitMany.await(List.of(a, b, c)));
        }
    }

    @Test
    void aSendToAnySourceWakesTheWaiterAsleepOnAll() throws Exception
    {
        final ChannelReceiver[] receivers = new ChannelReceiver[8];
        final ChannelSender[] senders = new ChannelSender[8];
        for (int i = 0; i < receivers.length; i++)
        {
            receivers[i] = Channel.openOrCreate(segment, "c" + i, SMALL).receiver();
            senders[i] = Channel.open(segment, "c" + i).sender();
        }
        for (int i = 0; i < receivers.length; i++)
        {
            final long sleepsBefore = io.shm.wait.linux.Futex.waitCalls();
            final CompletableFuture<List<ChannelReceiver>> ready = CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    return WaitMany.await(List.of(receivers), 10, TimeUnit.SECONDS);
                }
                catch (final InterruptedException ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            io.shm.test.Await.await(() -> io.shm.wait.linux.Futex.waitCalls() > sleepsBefore, io.shm.test.Await.PROMPT,
                "the waiter to sleep");
            senders[i].send(new byte[] {(byte)i});
            assertEquals(List.of(receivers[i]), ready.get(10, TimeUnit.SECONDS));
            assertArrayEquals(new byte[] {(byte)i}, receivers[i].receive());
        }
    }

    @Test
    void aTimedWaitOnIdleSourcesReturnsNothingOnTime() throws Exception
    {
        final ChannelReceiver a = Channel.openOrCreate(segment, "a", SMALL).receiver();
        final ChannelReceiver b = Channel.openOrCreate(segment, "b", SMALL).receiver();
        final long start = System.nanoTime();
        assertEquals(List.of(), WaitMany.await(List.of(a, b), 200, TimeUnit.MILLISECONDS));
        final long took = System.nanoTime() - start;
        assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(200) && took < TimeUnit.SECONDS.toNanos(5), took + " ns");
    }

    @Test
    void aStreamThatEndsWhileWaitedOnIsReady() throws Exception
    {
        final ChannelReceiver a = Channel.openOrCreate(segment, "a", SMALL).receiver();
        final ChannelReceiver b = Channel.openOrCreate(segment, "b", SMALL).receiver();
        final ChannelSender closing = Channel.open(segment, "b").sender();
        final CompletableFuture<List<ChannelReceiver>> ready = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return WaitMany.await(List.of(a, b), 10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        closing.close();
        assertEquals(List.of(b), ready.get(10, TimeUnit.SECONDS));
        assertTrue(b.isEndOfStream());
    }

    @Test
    void badListsAreRefused()
    {
        final ChannelReceiver a = Channel.openOrCreate(segment, "a", SMALL).receiver();
        assertThrows(IllegalArgumentException.class, () -> WaitMany.await(List.of()));
        final IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
            () -> WaitMany.await(List.of(a, a)));
        assertTrue(twice.getMessage().contains("twice"), twice.getMessage());
    }
}
