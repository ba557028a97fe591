package io.shm.perf.xproc;

import io.shm.channel.Channel;
import io.shm.channel.ChannelOptions;
import io.shm.channel.ChannelReceiver;
import io.shm.process.JvmProcess;
import io.shm.segment.Segment;
import io.shm.segment.SegmentOptions;
import io.shm.sync.ShmEvent;
import io.shm.sync.ShmLock;
import io.shm.sync.ShmSemaphore;
import io.shm.wait.WaitStrategy;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

/**
 * Does a process that waits long burn CPU? A child JVM waits 5 s on a lock this process holds, on
 * an event nobody sets, on a semaphore with no permits and on an empty channel, and reports the CPU time its waiting
 * thread used and the CPU time of its whole process (goal: the whole process under 0.5% of one core), under
 * the futex and the portable strategies.
 * <p>
 * Run: {@code java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -cp perf/target/benchmarks.jar io.shm.perf.xproc.IdleWaiterCpu}
 */
public final class IdleWaiterCpu
{
    private static final long WAIT_SECONDS = 5;
    private static final long WARM_UP_MILLIS = 500;
    private static final int DEATH_ROUNDS = 10;

    private IdleWaiterCpu()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length > 0 && args[0].equals("hold"))
        {
            hold(args[2]);
            return;
        }
        if (args.length > 0)
        {
            child(args[0], args[1], args[2]);
            return;
        }
        final String name = "shm-perf-idle-" + ProcessHandle.current().pid();
        try (Segment segment = Segment.create(name, SegmentOptions.defaults()))
        {
            final ShmLock lock = ShmLock.openOrCreate(segment, "lock");
            lock.lock();
            System.out.println("| waits on | strategy | wall (s) | futex sleeps | CPU of the waiting thread (ms) |" +
                " share of one core | CPU of the whole process (ms) | share of one core |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            for (final String strategy : new String[] {"futex", "portable"})
            {
                for (final String what : new String[] {"lock", "event", "semaphore", "channel"})
                {
                    try (JvmProcess child = JvmProcess.builder(IdleWaiterCpu.class).args(what, strategy, name)
                        .captureOutput().start())
                    {
                        if (child.join(60, TimeUnit.SECONDS) != 0)
                        {
                            throw new IllegalStateException(child.output());
                        }
                        final String[] result = child.lines().get(child.lines().size() - 1).split(" ");
                        final double wallSeconds = Long.parseLong(result[0]) / 1e9;
                        final double cpuMillis = Long.parseLong(result[1]) / 1e6;
                        final double processMillis = Long.parseLong(result[2]) / 1e6;
                        System.out.printf("| %s | %s | %.2f | %s | %.2f | %.3f%% | %.2f | %.3f%% |%n", what, strategy,
                            wallSeconds, result[3], cpuMillis, 100 * cpuMillis / 1000 / wallSeconds, processMillis,
                            100 * processMillis / 1000 / wallSeconds);
                    }
                }
            }
            lock.unlock();
            deathNotice(segment, name);
        }
        finally
        {
            Segment.unlink(name, SegmentOptions.defaults());
        }
    }

    /**
     * How long after its owner is SIGKILLed a parked waiter holds the lock: a child takes the lock
     * and hangs, this process waits in {@code lock()} until it sleeps in the kernel, and the child
     * is killed 0 to 100 ms later.
     */
    private static void deathNotice(final Segment segment, final String name) throws Exception
    {
        final ShmLock lock = ShmLock.openOrCreate(segment, "dead-owner");
        final long[] millis = new long[DEATH_ROUNDS];
        for (int round = 0; round < DEATH_ROUNDS; round++)
        {
            try (JvmProcess owner = JvmProcess.builder(IdleWaiterCpu.class).args("hold", "futex", name).captureOutput().start())
            {
                owner.awaitOutput(line -> line.equals("holding"), 60, TimeUnit.SECONDS);
                final long[] acquiredAt = new long[1];
                final Thread waiter = new Thread(() ->
                {
                    lock.lock();
                    acquiredAt[0] = System.nanoTime();
                    lock.markConsistent();
                    lock.unlock();
                });
                final long sleepsBefore = io.shm.wait.linux.Futex.waitCalls();
                waiter.start();
                while (io.shm.wait.linux.Futex.waitCalls() == sleepsBefore)
                {
                    Thread.onSpinWait();
                }
                // The waiter sleeps on the lock word now; the kill lands anywhere in its slice.
                Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextInt(100));
                final long killedAt = System.nanoTime();
                owner.kill();
                waiter.join();
                millis[round] = TimeUnit.NANOSECONDS.toMillis(acquiredAt[0] - killedAt);
                owner.join(60, TimeUnit.SECONDS);
            }
        }
        java.util.Arrays.sort(millis);
        System.out.printf("%nOwner SIGKILLed while a waiter is parked, until the waiter holds the lock, %d rounds (ms): " +
            "min %d, median %d, max %d%n", DEATH_ROUNDS, millis[0], millis[DEATH_ROUNDS / 2], millis[DEATH_ROUNDS - 1]);
    }

    private static void hold(final String segmentName) throws InterruptedException
    {
        try (Segment segment = Segment.open(segmentName, SegmentOptions.defaults()))
        {
            ShmLock.openOrCreate(segment, "dead-owner").lock();
            System.out.println("holding");
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    private static boolean wait(
        final String what, final ShmLock lock, final ShmEvent event, final ShmSemaphore semaphore,
        final ChannelReceiver receiver, final long millis) throws InterruptedException
    {
        return switch (what)
        {
            case "lock" -> lock.tryLock(millis, TimeUnit.MILLISECONDS);
            case "event" -> event.await(millis, TimeUnit.MILLISECONDS);
            case "channel" -> receiver.receive(new byte[64], millis, TimeUnit.MILLISECONDS) >= 0;
            default -> semaphore.tryAcquire(millis, TimeUnit.MILLISECONDS);
        };
    }

    private static void child(final String what, final String strategyName, final String segmentName) throws Exception
    {
        final WaitStrategy strategy = strategyName.equals("portable") ? WaitStrategy.portable() : WaitStrategy.futex();
        try (Segment segment = Segment.open(segmentName, SegmentOptions.defaults()))
        {
            final ShmLock lock = ShmLock.openOrCreate(segment, "lock", strategy);
            final ShmEvent event = ShmEvent.openOrCreate(segment, "event", strategy);
            final ShmSemaphore semaphore = ShmSemaphore.openOrCreate(segment, "semaphore", 0, strategy);
            final ChannelReceiver receiver = what.equals("channel") ?
                Channel.openOrCreate(segment, "channel", ChannelOptions.defaults().withCapacity(4096)).receiver(strategy) : null;
            // Warm up first: loading JNA and compiling the wait loop are one-off costs, not idling.
            wait(what, lock, event, semaphore, receiver, WARM_UP_MILLIS);
            final var threads = ManagementFactory.getThreadMXBean();
            final long processBefore = ProcessCpuClock.nanos();
            final long sleepsBefore = io.shm.wait.linux.Futex.waitCalls();
            final long cpuBefore = threads.getCurrentThreadCpuTime();
            final long start = System.nanoTime();
            final boolean got = wait(what, lock, event, semaphore, receiver, TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            final long wall = System.nanoTime() - start;
            final long cpu = threads.getCurrentThreadCpuTime() - cpuBefore;
            final long processCpu = ProcessCpuClock.nanos() - processBefore;
            if (got)
            {
                throw new IllegalStateException("the wait on " + what + " should have timed out");
            }
            System.out.println(wall + " " + cpu + " " + processCpu + " " + (io.shm.wait.linux.Futex.waitCalls() - sleepsBefore));
        }
    }
}
