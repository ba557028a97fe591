package io.shm.examples;

import io.shm.process.JvmProcess;
import io.shm.segment.Segment;
import io.shm.sync.ShmCondition;
import io.shm.sync.ShmLock;
import io.shm.value.IntArray;
import io.shm.value.IntValue;

/**
 * The tutorial's bounded buffer with a condition: a producer and a consumer process share a
 * buffer of capacity 10 guarded by one lock; the producer waits while it is full, the consumer
 * while it is empty; 20 items go through.
 */
public final class ConditionBufferExample
{
    static final int CAPACITY = 10;
    static final int ITEMS = 20;

    private final ShmLock lock;
    private final ShmCondition changed;
    private final IntArray items;
    private final IntValue count;
    private final IntValue head;

    private ConditionBufferExample(final Segment segment)
    {
        lock = ShmLock.openOrCreate(segment, "buffer.lock");
        changed = ShmCondition.openOrCreate(segment, "buffer.changed", lock);
        items = IntArray.openOrCreate(segment, "buffer.items", CAPACITY);
        count = IntValue.openOrCreate(segment, "buffer.count");
        head = IntValue.openOrCreate(segment, "buffer.head");
    }

    void put(final int item) throws InterruptedException
    {
        lock.lock();
        try
        {
            while (count.getPlain() == CAPACITY)
            {
                changed.await();
            }
            items.setPlain((head.getPlain() + count.getPlain()) % CAPACITY, item);
            count.setPlain(count.getPlain() + 1);
            changed.signalAll();
        }
        finally
        {
            lock.unlock();
        }
    }

    int take() throws InterruptedException
    {
        lock.lock();
        try
        {
            while (count.getPlain() == 0)
            {
                changed.await();
            }
            final int item = items.getPlain(head.getPlain());
            head.setPlain((head.getPlain() + 1) % CAPACITY);
            count.setPlain(count.getPlain() - 1);
            changed.signalAll();
            return item;
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
                final ConditionBufferExample buffer = new ConditionBufferExample(segment);
                int sum = 0;
                for (int i = 0; i < ITEMS; i++)
                {
                    sum += buffer.take();
                }
                System.out.println("consumer took " + ITEMS + " items, sum " + sum);
            }
            return;
        }
        final Segment segment = Example.newSegment("condition");
        try
        {
            final ConditionBufferExample buffer = new ConditionBufferExample(segment);
            final JvmProcess consumer = Example.start(ConditionBufferExample.class, segment.name());
            for (int i = 1; i <= ITEMS; i++)
            {
                buffer.put(i);
            }
            System.out.println("producer put " + ITEMS + " items");
            Example.join(consumer);
        }
        finally
        {
            Example.remove(segment);
        }
    }
}
