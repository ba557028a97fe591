package io.shm.queue;

import io.shm.codec.Codecs;
import io.shm.exceptions.MessageTooLargeException;
import io.shm.exceptions.ParameterMismatchException;
import io.shm.launch.ProcessTarget;
import io.shm.launch.TargetArgs;
import io.shm.process.JvmProcess;
import io.shm.test.SegmentTestCase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Items of any length share the queue's ring of bytes: short items take little room, long ones
 * wrap at the ring's end, and a put waits for bytes as well as for a free item.
 */
@Timeout(120)
class VariableLengthQueueTest extends SegmentTestCase
{
    @Test
    void shortItemsTakeOnlyTheirOwnLength() throws Exception
    {
        // A ring of 4 KiB with items of up to 1 KiB: fixed slots would hold 3 of them, records of 8 bytes hold 512.
        final ShmQueue<byte[]> q = ShmQueue.openOrCreate(segment, "short", 1000, 1024, 4096, Codecs.BYTES);
        int put = 0;
        while (q.offer(new byte[] {(byte)put}))
        {
            put++;
        }
        assertEquals(4096 / 8, put, "each one-byte item takes its 4-byte length and 1 byte, rounded to 8");
        assertEquals(1000 - put, q.remainingCapacity(), "the count still has room; the bytes do not");
        for (int i = 0; i < put; i++)
        {
            assertArrayEquals(new byte[] {(byte)i}, q.poll());
        }
        assertNull(q.poll());
    }

    @Test
    void longItemsWrapAtTheRingsEndAndComeBackWhole() throws Exception
    {
        final int max = 1000;
        final ShmQueue<byte[]> q = ShmQueue.openOrCreate(segment, "long", 8, max, QueueDescriptor.recordLength(max) * 2L,
            Codecs.BYTES);
        final Random random = new Random(42);
        for (int round = 0; round < 500; round++)
        {
            final byte[] item = new byte[random.nextInt(max + 1)];
            random.nextBytes(item);
            assertTrue(q.offer(item), "an item always fits an empty ring of two of the longest");
            final byte[] second = new byte[random.nextInt(max / 2)];
            final boolean both = q.offer(second);
            assertArrayEquals(item, q.take());
            if (both)
            {
                assertArrayEquals(second, q.take());
            }
            assertTrue(q.isEmpty());
        }
    }

    @Test
    void aPutWaitsForBytesAsWellAsForAFreeItem() throws Exception
    {
        final ShmQueue<byte[]> q = ShmQueue.openOrCreate(segment, "bytes", 100, 100, 256, Codecs.BYTES);
        assertTrue(q.offer(new byte[100]));
        assertTrue(q.offer(new byte[100]));
        assertFalse(q.offer(new byte[100], 20, TimeUnit.MILLISECONDS), "two records of 104 bytes leave 48");
        assertTrue(q.offer(new byte[40]));
        assertEquals(3, q.size());
        assertThrows(MessageTooLargeException.class, () -> q.offer(new byte[101]));
    }

    @Test
    void theRingMustHoldTwoOfTheLongestItemsAndIsCheckedOnOpen()
    {
        assertThrows(IllegalArgumentException.class,
            () -> ShmQueue.openOrCreate(segment, "tiny", 4, 100, 200, Codecs.BYTES));
        assertThrows(IllegalArgumentException.class,
            () -> ShmQueue.openOrCreate(segment, "odd", 4, 8, 1001, Codecs.BYTES));
        ShmQueue.openOrCreate(segment, "ring", 4, 8, 1024, Codecs.BYTES);
        final ParameterMismatchException ex = assertThrows(ParameterMismatchException.class,
            () -> ShmQueue.openOrCreate(segment, "ring", 4, 8, 2048, Codecs.BYTES));
        assertTrue(ex.getMessage().contains("ring length 1024, not the 2048"), ex.getMessage());
    }

    @Test
    void itemsOfRandomLengthsCrossBetweenProcessesInOrder() throws Exception
    {
        final ShmQueue<byte[]> q = ShmQueue.openOrCreate(segment, "cross", 64, 3000, 16 * 1024, Codecs.BYTES);
        final int items = 3000;
        try (JvmProcess producer = ProcessTarget.builder(Producer.class, q, items).captureOutput().start())
        {
            final Random expected = new Random(7);
            for (int i = 0; i < items; i++)
            {
                final byte[] item = q.take();
                assertArrayEquals(Producer.item(expected, i), item, "item " + i);
            }
            assertEquals(0, producer.join(), producer.output());
        }
    }

    /**
     * Puts items of random lengths, each filled from a seeded generator and numbered.
     */
    public static final class Producer implements ProcessTarget
    {
        static byte[] item(final Random random, final int number)
        {
            final byte[] item = new byte[4 + random.nextInt(2997)];
            random.nextBytes(item);
            item[0] = (byte)(number >>> 24);
            item[1] = (byte)(number >>> 16);
            item[2] = (byte)(number >>> 8);
            item[3] = (byte)number;
            return item;
        }

        @Override
        public void run(final TargetArgs args) throws Exception
        {
            @SuppressWarnings("unchecked")
            final ShmQueue<byte[]> q = args.open(0, ShmQueue.class, Codecs.BYTES);
            final Random random = new Random(7);
            for (int i = 0; i < args.getInt(1); i++)
            {
                q.put(item(random, i));
            }
        }
    }
}
