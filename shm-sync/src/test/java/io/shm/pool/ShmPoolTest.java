package io.shm.pool;

import io.shm.channel.ChannelOptions;
import io.shm.codec.Codec;
import io.shm.codec.Codecs;
import io.shm.launch.ProcessTarget;
import io.shm.launch.TargetArgs;
import io.shm.process.JvmProcess;
import io.shm.process.ProcessIdentity;
import io.shm.test.Await;
import io.shm.test.SegmentTestCase;
import io.shm.value.LongValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The pool across real worker JVMs: Python's surface, a task that throws, a worker killed in the
 * middle of a task, worker replacement, and the ways a pool ends.
 */
@Timeout(180)
class ShmPoolTest extends SegmentTestCase
{
    @Test
    void applyMapAndImapGiveEveryResultInOrder() throws Exception
    {
        try (ShmPool<Long, Long> pool = pool(Square.class).workers(2).start())
        {
            assertEquals(9L, pool.apply(3L));
            final CompletableFuture<Long> later = pool.applyAsync(4L);
            assertEquals(16L, later.get());
            final List<Long> numbers = IntStream.range(0, 10_000).mapToObj(i -> (long)i).toList();
            final List<Long> squares = pool.map(numbers);
            for (int i = 0; i < numbers.size(); i++)
            {
                assertEquals((long)i * i, squares.get(i));
            }
            assertEquals(List.of(1L, 4L), pool.map(List.of(1L, 2L), 1));
            final Iterator<Long> ordered = pool.imap(numbers.subList(0, 1000), 7);
            for (int i = 0; i < 1000; i++)
            {
                assertEquals((long)i * i, ordered.next());
            }
            assertFalse(ordered.hasNext());
            final Set<Long> unordered = new HashSet<>();
            pool.imapUnordered(numbers.subList(0, 500), 10).forEachRemaining(unordered::add);
            assertEquals(500, unordered.size());
            assertTrue(unordered.contains(499L * 499L));
            assertEquals(List.of(25L), pool.starmap(List.of(5L)));
        }
    }

    @Test
    void aMapOfAMillionItemsIsCheckedItemByItem() throws Exception
    {
        try (ShmPool<Long, Long> pool = pool(Square.class).workers(2).start())
        {
            final List<Long> numbers = IntStream.range(0, 1_000_000).mapToObj(i -> (long)i).toList();
            final List<Long> squares = pool.map(numbers);
            assertEquals(numbers.size(), squares.size());
            for (int i = 0; i < numbers.size(); i++)
            {
                assertEquals((long)i * i, squares.get(i), "item " + i);
            }
            final long[] values = new long[1_000_000];
            Arrays.setAll(values, i -> 3L * i);
            final long[] results = pool.mapLongs(values);
            for (int i = 0; i < values.length; i++)
            {
                assertEquals(9L * i * i, results[i], "item " + i);
            }
            assertEquals(0, pool.mapLongs(new long[0]).length);
        }
    }

    @Test
    void workersRunWithTheJvmOptionsGivenInPlaceOfTheDefaults() throws Exception
    {
        try (ShmPool<Long, Long> pool = pool(Property.class).workers(1).start())
        {
            assertEquals(-1L, pool.apply(0L), "the default options set no property");
        }
        try (ShmPool<Long, Long> pool = pool(Property.class).workers(1).workerJvmArgs("-Dshm.pool.test.value=7", "-Xmx64m")
            .start())
        {
            assertEquals(7L, pool.apply(0L));
        }
    }

    @Test
    void recordArgumentsCrossThroughTheTasksCodecsInMapAndStarmap() throws Exception
    {
        try (ShmPool<Power.Args, String> pool = pool(Power.class).workers(2).start())
        {
            final List<Power.Args> arguments = IntStream.range(0, 20_000).mapToObj(i -> new Power.Args(i, 2)).toList();
            final List<String> results = pool.starmap(arguments);
            for (int i = 0; i < arguments.size(); i++)
            {
                assertEquals(Long.toString((long)i * i), results.get(i), "item " + i);
            }
            assertEquals(List.of("8", "81"), pool.map(List.of(new Power.Args(2, 3), new Power.Args(3, 4)), 1));
            assertThrows(IllegalStateException.class, () -> pool.mapLongs(new long[] {1}),
                "a task that is not a LongTask maps no longs");
        }
    }

    @Test
    void aTaskThatThrowsFailsItsCallWithTheRemoteClassMessageAndStackTrace() throws Exception
    {
        try (ShmPool<Long, Long> pool = pool(Square.class).workers(1).start())
        {
            final RemoteTaskException ex = assertThrows(RemoteTaskException.class, () -> pool.apply(-1L));
            assertEquals(IllegalArgumentException.class.getName(), ex.remoteClass());
            assertTrue(ex.getMessage().contains("no negative numbers"), ex.getMessage());
            assertTrue(ex.remoteStackTrace().contains("Square.applyAsLong"), ex.remoteStackTrace());
            assertEquals(4L, pool.apply(2L), "the worker goes on after a task threw");
            final RemoteTaskException inMap = assertThrows(RemoteTaskException.class,
                () -> pool.mapLongs(new long[] {1, 2, -3, 4}));
            assertTrue(inMap.getMessage().contains("no negative numbers: -3"), inMap.getMessage());
            assertArrayEquals(new long[] {1, 4}, pool.mapLongs(new long[] {1, 2}), "the worker goes on");
        }
    }

    @Test
    void aWorkerKilledInTheMiddleOfATaskFailsThatTaskOnlyAndIsReplaced() throws Exception
    {
        final LongValue started = LongValue.openOrCreate(segment, "started");
        try (ShmPool<Long, Long> pool = pool(SlowSquare.class).workers(1).start())
        {
            final long firstPid = pool.workers().get(0).pid();
            final CompletableFuture<Long> victim = pool.applyAsync(Long.MAX_VALUE);
            final CompletableFuture<Long> next = pool.applyAsync(5L);
            Await.await(() -> SlowSquare.sleeping(firstPid), Await.scaled(Duration.ofSeconds(60)), "the task to start");
            pool.workers().get(0).kill();
            final ExecutionException ex = assertThrows(ExecutionException.class, victim::get);
            final WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, ex.getCause());
            assertEquals(firstPid, died.pid());
            assertTrue(died.getMessage().contains("process " + firstPid) && died.getMessage().contains("signal 9") &&
                died.getMessage().contains("chunk"), died.getMessage());
            assertEquals(25L, next.get(), "the work after it goes on, on a new worker");
            assertNotEquals(firstPid, pool.workers().get(0).pid());
            assertEquals(0, started.get());
            Files.deleteIfExists(SlowSquare.file("sleeping-" + firstPid));
        }
    }

    @Test
    void retriesRunAChunkAgainOnANewWorkerForIdempotentWork() throws Exception
    {
        try (ShmPool<Long, Long> pool = pool(SlowSquare.class).workers(1).retries(1).start())
        {
            final long firstPid = pool.workers().get(0).pid();
            final long token = ProcessHandle.current().pid() * 1000 + System.nanoTime() % 1000;
            Files.deleteIfExists(SlowSquare.file("token-" + token));
            final CompletableFuture<Long> retried = pool.applyAsync(-token);
            Await.await(() -> SlowSquare.sleeping(firstPid), Await.scaled(Duration.ofSeconds(60)), "the task to start");
            pool.workers().get(0).kill();
            assertEquals(token * token, retried.get(), "run again on the replacement, which finishes it");
            Files.deleteIfExists(SlowSquare.file("token-" + token));
            Files.deleteIfExists(SlowSquare.file("sleeping-" + firstPid));
        }
    }

    @Test
    void maxTasksPerChildReplacesTheWorkerAndTheInitializerRunsInEach() throws Exception
    {
        try (ShmPool<Long, Long> pool = pool(Pid.class).workers(1).maxTasksPerChild(2)
            .initializer(Pid.Init.class).start())
        {
            final List<Long> pids = new ArrayList<>();
            for (long i = 0; i < 6; i++)
            {
                pids.add(pool.apply(i));
            }
            assertEquals(pids.get(0), pids.get(1));
            assertNotEquals(pids.get(1), pids.get(2));
            assertEquals(pids.get(2), pids.get(3));
            assertNotEquals(pids.get(3), pids.get(4));
            assertEquals(3, new HashSet<>(pids).size());
        }
    }

    @Test
    void shutdownAndJoinFinishTheQueuedWorkAndTerminateCancelsIt() throws Exception
    {
        final ShmPool<Long, Long> pool = pool(Square.class).workers(2).start();
        final List<CompletableFuture<Long>> results = new ArrayList<>();
        for (long i = 0; i < 50; i++)
        {
            results.add(pool.applyAsync(i));
        }
        pool.shutdown();
        assertThrows(IllegalStateException.class, () -> pool.apply(1L), "no work after shutdown");
        pool.join();
        for (int i = 0; i < 50; i++)
        {
            assertEquals((long)i * i, results.get(i).get());
        }
        assertTrue(pool.workers().isEmpty());

        final ShmPool<Long, Long> killed = pool(SlowSquare.class).workers(1).start();
        final long pid = killed.workers().get(0).pid();
        final CompletableFuture<Long> running = killed.applyAsync(Long.MAX_VALUE);
        final CompletableFuture<Long> queued = killed.applyAsync(2L);
        Await.await(() -> SlowSquare.sleeping(pid), Await.scaled(Duration.ofSeconds(60)), "the task to start");
        killed.terminate();
        killed.join();
        assertThrows(CancellationException.class, () -> queued.join());
        assertTrue(running.isCompletedExceptionally());
        assertFalse(ProcessIdentity.of(pid).isPresent() && ProcessIdentity.of(pid).get().isAlive());
        Files.deleteIfExists(SlowSquare.file("sleeping-" + pid));
        try (ShmPool<Long, Long> notShutDown = pool(Square.class).workers(1).start())
        {
            assertThrows(IllegalStateException.class, notShutDown::join);
        }
    }

    @Test
    void badTasksAndArgumentsAreRefusedInTheCaller() throws Exception
    {
        assertThrows(IllegalArgumentException.class, () -> ShmPool.builder(NoConstructor.class));
        assertThrows(IllegalArgumentException.class, () -> pool(Square.class).workers(0));
        try (ShmPool<Long, Long> pool = pool(Square.class).workers(1).start())
        {
            assertThrows(NullPointerException.class, () -> pool.apply(null), "the codec cannot encode null");
            final long[] tooMany = new long[ChannelOptions.DEFAULT_MAX_MESSAGE_LENGTH / Long.BYTES + 1];
            final IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> pool.mapLongsAsync(tooMany, tooMany.length));
            assertTrue(tooLong.getMessage().contains("smaller chunk size"), tooLong.getMessage());
            assertEquals(1L, pool.apply(1L));
        }
    }

    @Test
    void workersDieWithTheirParentsKill() throws Exception
    {
        final LongValue pid = LongValue.openOrCreate(segment, "worker");
        try (JvmProcess parent = ProcessTarget.builder(PoolParent.class, pid, segments.directory().toString())
            .captureOutput().start())
        {
            Await.await(() -> pid.get() != 0, Await.scaled(Duration.ofSeconds(60)), "the pool to start");
            final ProcessIdentity worker = ProcessIdentity.of(pid.get()).orElseThrow();
            parent.kill();
            parent.join();
            final long deadline = System.nanoTime() + 1_000_000_000L;
            while (worker.isAlive() && System.nanoTime() - deadline < 0)
            {
                Thread.onSpinWait();
            }
            assertFalse(worker.isAlive(), "a worker outlived its SIGKILLed parent by a second");
        }
    }

    /**
     * A pool whose workers' segments are made in the test's directory, removed with it whatever
     * happens to the pool.
     */
    private <A, R> ShmPool.Builder<A, R> pool(final Class<? extends PoolTask<A, R>> task)
    {
        return ShmPool.builder(task).directory(segments.directory());
    }

    /**
     * Squares its argument; refuses negatives.
     */
    public static final class Square extends LongTask
    {
        @Override
        public long applyAsLong(final long argument)
        {
            if (argument < 0)
            {
                throw new IllegalArgumentException("no negative numbers: " + argument);
            }
            return argument * argument;
        }
    }

    /**
     * Squares its argument, but sleeps for ever first if it is {@code Long.MAX_VALUE}, and, for a
     * negative argument {@code -t}, sleeps for ever in the first worker that gets it (which marks
     * token {@code t} taken) and returns {@code t * t} in the next. Marks its sleep in a file.
     */
    public static final class SlowSquare extends LongTask
    {
        static boolean sleeping(final long pid)
        {
            return Files.exists(file("sleeping-" + pid));
        }

        static Path file(final String name)
        {
            return Path.of(System.getProperty("java.io.tmpdir"), "shm-pool-test-" + name);
        }

        @Override
        public long applyAsLong(final long argument) throws Exception
        {
            final long pid = ProcessHandle.current().pid();
            if (argument == Long.MAX_VALUE || argument < 0 && firstToTake(-argument))
            {
                Files.writeString(file("sleeping-" + pid), "sleeping");
                Thread.sleep(Long.MAX_VALUE);
            }
            return Math.abs(argument) * Math.abs(argument);
        }

        private static boolean firstToTake(final long token) throws java.io.IOException
        {
            try
            {
                Files.createFile(file("token-" + token));
                return true;
            }
            catch (final java.nio.file.FileAlreadyExistsException taken)
            {
                return false;
            }
        }
    }

    /**
     * Returns the worker's pid, checking that the initializer ran in it.
     */
    public static final class Pid extends LongTask
    {
        static volatile boolean initialized;

        @Override
        public long applyAsLong(final long argument)
        {
            if (!initialized)
            {
                throw new IllegalStateException("the initializer did not run in this worker");
            }
            return ProcessHandle.current().pid();
        }

        /**
         * Marks the worker initialized.
         */
        public static final class Init implements Runnable
        {
            @Override
            public void run()
            {
                initialized = true;
            }
        }
    }

    /**
     * Raises a base to a power, and answers in text: a task of two parameters, as starmap takes.
     */
    public static final class Power implements PoolTask<Power.Args, String>
    {
        /**
         * The task's parameters.
         *
         * @param base     the base.
         * @param exponent the exponent.
         */
        public record Args(long base, int exponent)
        {
        }

        private static final Codec<Args> ARGS = Codecs.record(Args.class);

        @Override
        public String apply(final Args argument)
        {
            long result = 1;
            for (int i = 0; i < argument.exponent(); i++)
            {
                result *= argument.base();
            }
            return Long.toString(result);
        }

        @Override
        public Codec<Args> argumentCodec()
        {
            return ARGS;
        }

        @Override
        public Codec<String> resultCodec()
        {
            return Codecs.STRING;
        }
    }

    /**
     * Returns the worker's system property {@code shm.pool.test.value}, or -1.
     */
    public static final class Property extends LongTask
    {
        @Override
        public long applyAsLong(final long argument)
        {
            return Long.getLong("shm.pool.test.value", -1);
        }
    }

    /**
     * Not creatable by a worker.
     */
    public static final class NoConstructor extends LongTask
    {
        public NoConstructor(final int unused)
        {
        }

        @Override
        public long applyAsLong(final long argument)
        {
            return argument;
        }
    }

    /**
     * Starts a pool of one worker, writes the worker's pid, and sleeps.
     */
    public static final class PoolParent implements ProcessTarget
    {
        @Override
        public void run(final TargetArgs args) throws Exception
        {
            final ShmPool<Long, Long> pool = ShmPool.builder(Square.class).workers(1)
                .directory(java.nio.file.Path.of(args.getString(1))).start();
            assertEquals(4L, pool.apply(2L));
            args.open(0, LongValue.class).set(pool.workers().get(0).pid());
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
