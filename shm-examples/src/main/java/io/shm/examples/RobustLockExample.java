package io.shm.examples;

import io.shm.process.JvmProcess;
import io.shm.segment.Segment;
import io.shm.sync.ShmLock;
import io.shm.value.LongValue;

/**
 * What Python cannot do: a child process takes a lock, starts updating the shared state it
 * protects, and is killed in the middle. Python's {@code Lock} would now block every other process
 * forever. Here the parent takes the lock over once the child is proven dead, is told the owner
 * died, repairs the state and carries on.
 */
public final class RobustLockExample
{
    private RobustLockExample()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length > 0)
        {
            try (Segment segment = Example.openSegment(args[0]))
            {
                final ShmLock lock = ShmLock.openOrCreate(segment, "accounts.lock");
                lock.lock();
                // Move 100 from A to B, but die half-way: A is debited, B not yet credited.
                LongValue.openOrCreate(segment, "A").set(LongValue.openOrCreate(segment, "A").get() - 100);
                System.out.println("child holds the lock and is half-way through a transfer");
                Thread.sleep(Long.MAX_VALUE);
            }
            return;
        }
        final Segment segment = Example.newSegment("robust-lock");
        try
        {
            final LongValue a = LongValue.openOrCreate(segment, "A", 1000);
            final LongValue b = LongValue.openOrCreate(segment, "B", 1000);
            final ShmLock lock = ShmLock.openOrCreate(segment, "accounts.lock");
            final JvmProcess child = JvmProcess.builder(RobustLockExample.class).args(segment.name()).captureOutput().start();
            child.awaitOutput(line -> line.startsWith("child holds the lock"), 60, java.util.concurrent.TimeUnit.SECONDS);
            System.out.println(child.output().trim());
            child.kill();
            System.out.println("parent killed the child (pid " + child.pid() + ") while it held the lock");
            final long start = System.nanoTime();
            lock.lock();
            try
            {
                System.out.printf("parent took the lock after %.0f ms; previous owner died: %s%n",
                    (System.nanoTime() - start) / 1e6, lock.ownerDied());
                if (lock.ownerDied())
                {
                    System.out.println("state found: A=" + a.get() + " B=" + b.get() + " (total " + (a.get() + b.get()) + ")");
                    // Repair: the invariant is A + B = 2000; undo the half-done transfer.
                    a.set(2000 - b.get());
                    lock.markConsistent();
                    System.out.println("state repaired: A=" + a.get() + " B=" + b.get() + " (total " + (a.get() + b.get()) + ")");
                }
            }
            finally
            {
                lock.unlock();
            }
            System.out.println("lock is usable again: " + lock.tryLock());
            lock.unlock();
            child.close();
        }
        finally
        {
            Example.remove(segment);
        }
    }
}
