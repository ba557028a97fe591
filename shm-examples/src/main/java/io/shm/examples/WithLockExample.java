package io.shm.examples;

import io.shm.launch.ProcessTarget;
import io.shm.launch.TargetArgs;
import io.shm.process.JvmProcess;
import io.shm.process.ProcessIdentity;
import io.shm.segment.Segment;
import io.shm.sync.Held;
import io.shm.sync.ShmCondition;
import io.shm.sync.ShmLock;
import io.shm.sync.ShmReentrantLock;
import io.shm.sync.ShmSemaphore;

/**
 * The tutorial's {@code with} statement: for a Lock, an RLock, a Condition's lock and a
 * Semaphore(1), one process takes it with {@code with} (here a try-with-resources {@link Held})
 * and another with acquire, try, finally release.
 */
public final class WithLockExample
{
    private WithLockExample()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Segment segment = Example.newSegment("with-lock");
        try
        {
            final ShmLock lock = ShmLock.openOrCreate(segment, "lock");
            final ShmReentrantLock rlock = ShmReentrantLock.openOrCreate(segment, "rlock");
            final ShmLock conditionLock = ShmLock.openOrCreate(segment, "condition.lock");
            ShmCondition.openOrCreate(segment, "condition", conditionLock);
            final ShmSemaphore mutex = ShmSemaphore.openOrCreate(segment, "mutex", 1);
            for (final Object statement : new Object[] {lock, rlock, conditionLock, mutex})
            {
                final String kind = statement.getClass().getSimpleName() + (statement == conditionLock ? " of a Condition" : "");
                try (JvmProcess with = ProcessTarget.builder(With.class, statement, kind).name("with").start();
                    JvmProcess notWith = ProcessTarget.builder(NotWith.class, statement, kind).name("not-with").start())
                {
                    Example.join(with);
                    Example.join(notWith);
                }
            }
        }
        finally
        {
            Example.remove(segment);
        }
    }

    /**
     * Takes its lock or semaphore with a try-with-resources hold.
     */
    public static final class With implements ProcessTarget
    {
        @Override
        public void run(final TargetArgs args) throws Exception
        {
            final String kind = args.getString(1);
            try (Held held = hold(args, kind))
            {
                System.out.println("(" + ProcessIdentity.current().name() + ") " + kind + " acquired via hold");
            }
        }

        private static Held hold(final TargetArgs args, final String kind) throws InterruptedException
        {
            if (kind.startsWith("ShmSemaphore"))
            {
                return args.open(0, ShmSemaphore.class).hold();
            }
            return kind.startsWith("ShmReentrantLock") ? args.open(0, ShmReentrantLock.class).hold() :
                args.open(0, ShmLock.class).hold();
        }
    }

    /**
     * Takes its lock or semaphore with acquire, try, finally release.
     */
    public static final class NotWith implements ProcessTarget
    {
        @Override
        public void run(final TargetArgs args) throws Exception
        {
            final String kind = args.getString(1);
            if (kind.startsWith("ShmSemaphore"))
            {
                final ShmSemaphore semaphore = args.open(0, ShmSemaphore.class);
                semaphore.acquire();
                try
                {
                    System.out.println("(" + ProcessIdentity.current().name() + ") " + kind + " acquired directly");
                }
                finally
                {
                    semaphore.release();
                }
                return;
            }
            final java.util.concurrent.locks.Lock lock = kind.startsWith("ShmReentrantLock") ?
                args.open(0, ShmReentrantLock.class) : args.open(0, ShmLock.class);
            lock.lock();
            try
            {
                System.out.println("(" + ProcessIdentity.current().name() + ") " + kind + " acquired directly");
            }
            finally
            {
                lock.unlock();
            }
        }
    }
}
