package io.shm.sync;

import io.shm.codec.Codecs;
import io.shm.exceptions.ObjectExistsException;
import io.shm.exceptions.ParameterMismatchException;
import io.shm.exceptions.UnknownObjectException;
import io.shm.launch.ProcessTarget;
import io.shm.launch.TargetArgs;
import io.shm.process.JvmProcess;
import io.shm.queue.ShmJoinableQueue;
import io.shm.queue.ShmQueue;
import io.shm.test.SegmentTestCase;
import io.shm.value.LongValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every synchronizer and queue has {@code open} (must exist), {@code create} (must not) and
 * {@code openOrCreate}; a parameter that disagrees with the existing object is refused with
 * {@link ParameterMismatchException}; and each can be handed to a child process by handle.
 */
@Timeout(120)
class FactoriesTest extends SegmentTestCase
{
    @Test
    void createRefusesAnExistingNameAndOpenRefusesAMissingOne()
    {
        final ShmLock lock = ShmLock.create(segment, "condition.lock");
        contract("lock", name -> ShmLock.create(segment, name), name -> ShmLock.open(segment, name));
        contract("reentrant", name -> ShmReentrantLock.create(segment, name), name -> ShmReentrantLock.open(segment, name));
        contract("semaphore", name -> ShmSemaphore.create(segment, name, 2), name -> ShmSemaphore.open(segment, name));
        contract("bounded", name -> ShmBoundedSemaphore.create(segment, name, 2),
            name -> ShmBoundedSemaphore.open(segment, name));
        contract("event", name -> ShmEvent.create(segment, name), name -> ShmEvent.open(segment, name));
        contract("condition", name -> ShmCondition.create(segment, name, lock), name -> ShmCondition.open(segment, name, lock));
        contract("barrier", name -> ShmBarrier.create(segment, name, 3), name -> ShmBarrier.open(segment, name));
        contract("queue", name -> ShmQueue.create(segment, name, 4, 8, Codecs.LONG),
            name -> ShmQueue.open(segment, name, Codecs.LONG));
        contract("joinable", name -> ShmJoinableQueue.create(segment, name, 4, 8, Codecs.LONG),
            name -> ShmJoinableQueue.open(segment, name, Codecs.LONG));
    }

    @Test
    void openOrCreateWithAnotherParameterIsRefusedTheSameWayForEveryType()
    {
        ShmSemaphore.openOrCreate(segment, "semaphore", 2);
        ShmBoundedSemaphore.openOrCreate(segment, "bounded", 2);
        ShmBarrier.openOrCreate(segment, "barrier", 3);
        ShmQueue.openOrCreate(segment, "queue", 4, 8, Codecs.LONG);
        mismatch(() -> ShmSemaphore.openOrCreate(segment, "semaphore", 3), "initial permits 2, not the 3");
        mismatch(() -> ShmBoundedSemaphore.openOrCreate(segment, "bounded", 5), "initial permits 2, not the 5");
        mismatch(() -> ShmBarrier.openOrCreate(segment, "barrier", 4), "parties 3, not the 4");
        mismatch(() -> ShmQueue.openOrCreate(segment, "queue", 5, 8, Codecs.LONG), "capacity 4, not the 5");
        mismatch(() -> ShmQueue.openOrCreate(segment, "queue", 4, 16, Codecs.LONG), "max item length 8, not the 16");
        assertEquals(2, ShmSemaphore.openOrCreate(segment, "semaphore", 2).availablePermits());
        assertEquals(3, ShmBarrier.openOrCreate(segment, "barrier", 3).getParties());
    }

    @Test
    void synchronizersAndQueuesHandedToAChildByHandleWorkThere() throws Exception
    {
        final ShmLock lock = ShmLock.openOrCreate(segment, "lock");
        final ShmSemaphore done = ShmSemaphore.openOrCreate(segment, "done", 0);
        final ShmQueue<String> queue = ShmQueue.openOrCreate(segment, "queue", 4, 32, Codecs.STRING);
        final LongValue total = LongValue.openOrCreate(segment, "total");
        try (JvmProcess child = ProcessTarget.builder(Consumer.class, lock, done, queue, total).captureOutput().start())
        {
            queue.put("alpha");
            queue.put("beta");
            queue.put("");
            done.acquire();
            assertEquals("alpha".length() + "beta".length(), total.get());
            assertEquals(0, child.join(), child.output());
        }
    }

    private static void contract(final String name, final Function<String, ?> create, final Function<String, ?> open)
    {
        assertThrows(UnknownObjectException.class, () -> open.apply(name), name);
        assertNotNull(create.apply(name));
        assertNotNull(open.apply(name));
        final ObjectExistsException exists = assertThrows(ObjectExistsException.class, () -> create.apply(name), name);
        assertTrue(exists.getMessage().contains("'" + name + "'"), exists.getMessage());
    }

    private static void mismatch(final Executable call, final String expected)
    {
        final ParameterMismatchException ex = assertThrows(ParameterMismatchException.class, call);
        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
    }

    /**
     * Takes strings until an empty one, adding their lengths under the lock, then releases "done".
     */
    public static final class Consumer implements ProcessTarget
    {
        @Override
        public void run(final TargetArgs args) throws Exception
        {
            final ShmLock lock = args.open(0, ShmLock.class);
            final ShmSemaphore done = args.open(1, ShmSemaphore.class);
            @SuppressWarnings("unchecked")
            final ShmQueue<String> queue = args.open(2, ShmQueue.class, Codecs.STRING);
            final LongValue total = args.open(3, LongValue.class);
            for (String item = queue.take(); !item.isEmpty(); item = queue.take())
            {
                lock.lock();
                try
                {
                    total.set(total.get() + item.length());
                }
                finally
                {
                    lock.unlock();
                }
            }
            done.release();
        }
    }
}
