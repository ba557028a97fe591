package io.shm.wait;

import io.shm.process.JvmProcess;
import io.shm.process.ProcessIdentity;
import io.shm.wait.linux.Futex;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(120)
class DeathWatchTest
{
    private static final int WORD = 0;
    private static final long LONG_SLEEP_NANOS = TimeUnit.SECONDS.toNanos(100);
    private static final String SLEEPER_NAME = "watched-sleeper";

    // A futex word needs no segment: the death watch wakes any mapped word.
    private final AtomicBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(64));

    @Test
    void aSleeperIsWokenWhenTheWatchedProcessIsKilledNotAtTheEndOfItsSleep() throws Exception
    {
        try (JvmProcess peer = JvmProcess.start(Ticker.class))
        {
            peer.awaitOutput(line -> line.equals("tick"), 60, TimeUnit.SECONDS);
            final ProcessIdentity identity = peer.identity();
            final DeathWatch watch = DeathWatch.watch(identity.pid(), identity.startTime(), buffer, WORD);
            assertNotNull(watch, "pidfds and futexes are available here");
            assertFalse(watch.fired());
            assertSame(watch, DeathWatch.follow(watch, identity.pid(), identity.startTime(), buffer, WORD),
                "the same peer and word keep the watch");
            final CompletableFuture<Integer> sleeper = new CompletableFuture<>();
            final Thread thread = new Thread(() -> sleeper.complete(Futex.await(buffer, WORD, 0, LONG_SLEEP_NANOS)),
                SLEEPER_NAME);
            thread.start();
            io.shm.test.Await.await(() -> sleepsOn(buffer.addressOffset() + WORD), io.shm.test.Await.PROMPT,
                "the sleeper inside futex_wait on the word");
            peer.kill();
            assertEquals(Futex.WOKEN, sleeper.get(60, TimeUnit.SECONDS), "woken, long before its 100 s sleep ends");
            assertTrue(watch.fired());
            assertFalse(identity.isAlive(), "the watch only says when to look; the look proves the death");
            watch.close();
            watch.close();
        }
    }

    @Test
    void aProcessAlreadyGoneOrReplacedHasAWatchThatHasFired() throws Exception
    {
        final ProcessIdentity self = ProcessIdentity.current();
        final DeathWatch other = DeathWatch.watch(self.pid(), self.startTime() + 1, buffer, WORD);
        assertTrue(other.fired(), "the pid names a process started at another time");
        final ProcessIdentity gone;
        try (JvmProcess peer = JvmProcess.start(Ticker.class))
        {
            peer.awaitOutput(line -> line.equals("tick"), 60, TimeUnit.SECONDS);
            gone = peer.identity();
            peer.killAndWait();
        }
        assertTrue(DeathWatch.watch(gone.pid(), gone.startTime(), buffer, WORD).fired());
        assertNull(DeathWatch.watch(self.pid(), 0, buffer, WORD), "a start time not yet written watches nothing");
        try (DeathWatch live = DeathWatch.watch(self.pid(), self.startTime(), buffer, WORD))
        {
            assertFalse(live.fired());
            assertTrue(DeathWatch.watchedProcesses() >= 1);
        }
    }

    /**
     * @return whether the thread named {@link #SLEEPER_NAME} is blocked in the futex system call on
     *         {@code address} (from {@code /proc/self/task/TID/syscall}: number, then arguments).
     */
    private static boolean sleepsOn(final long address)
    {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task")))
        {
            return tasks.anyMatch(task ->
            {
                try
                {
                    if (!Files.readString(task.resolve("comm")).trim().equals(SLEEPER_NAME))
                    {
                        return false;
                    }
                    final String[] call = Files.readString(task.resolve("syscall")).trim().split(" ");
                    final boolean futex = call[0].equals("202") || call[0].equals("98");
                    return futex && call.length > 1 && Long.decode(call[1]) == address;
                }
                catch (final IOException gone)
                {
                    return false;
                }
            });
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Prints "tick" and sleeps until killed.
     */
    public static final class Ticker
    {
        public static void main(final String[] args) throws InterruptedException
        {
            System.out.println("tick");
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
