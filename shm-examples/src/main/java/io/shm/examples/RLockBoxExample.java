package io.shm.examples;

import io.shm.process.JvmProcess;
import io.shm.segment.Segment;
import io.shm.sync.ShmReentrantLock;
import io.shm.value.LongValue;

/**
 * The tutorial's RLock "Box": {@code add} and {@code remove} take the box's lock and call
 * {@code execute}, which takes the same lock again; a reentrant lock lets the holder in twice.
 * One process adds 2 items 1,000 times, another removes 2 items 1,000 times.
 */
public final class RLockBoxExample
{
    static final int TIMES = 1000;

    private final ShmReentrantLock lock;
    private final LongValue total;

    private RLockBoxExample(final Segment segment)
    {
        this.lock = ShmReentrantLock.openOrCreate(segment, "box.lock");
        this.total = LongValue.openOrCreate(segment, "box.total");
    }

    private void execute(final int n)
    {
        lock.lock();
        try
        {
            total.setPlain(total.getPlain() + n);
        }
        finally
        {
            lock.unlock();
        }
    }

    private void add()
    {
        lock.lock();
        try
        {
            execute(1);
        }
        finally
        {
            lock.unlock();
        }
    }

    private void remove()
    {
        lock.lock();
        try
        {
            execute(-1);
        }
        finally
        {
            lock.unlock();
        }
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length > 0)
        {
            try (Segment segment = Example.openSegment(args[0]))
            {
                final RLockBoxExample box = new RLockBoxExample(segment);
                for (int i = 0; i < TIMES; i++)
                {
                    if (args[1].equals("adder"))
                    {
                        box.add();
                        box.add();
                    }
                    else
                    {
                        box.remove();
                        box.remove();
                    }
                }
                System.out.println(args[1] + " done");
            }
            return;
        }
        final Segment segment = Example.newSegment("rlock-box");
        try
        {
            final RLockBoxExample box = new RLockBoxExample(segment);
            final JvmProcess adder = Example.start(RLockBoxExample.class, segment.name(), "adder");
            final JvmProcess remover = Example.start(RLockBoxExample.class, segment.name(), "remover");
            Example.join(adder);
            Example.join(remover);
            System.out.println("box total: " + box.total.get());
        }
        finally
        {
            Example.remove(segment);
        }
    }
}
