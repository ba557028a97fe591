package io.shm.collections;

import io.shm.codec.Codecs;
import io.shm.exceptions.TypeMismatchException;
import io.shm.process.JvmProcess;
import io.shm.segment.SegmentOptions;
import io.shm.test.ChildArgs;
import io.shm.test.SegmentTestCase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The shared list and namespace, in one JVM and across JVMs.
 */
@Timeout(180)
class ShmListTest extends SegmentTestCase
{
    static final int APPENDERS = 3;
    static final int ITEMS = 5_000;

    @Override
    protected SegmentOptions options(final SegmentOptions defaults)
    {
        return defaults.withSize(32L << 20);
    }

    @Test
    void aListAppendsReadsReplacesAndPopsLikeAPythonList()
    {
        final ShmList<String> list = ShmList.openOrCreate(segment, "l", Codecs.STRING,
            ListOptions.defaults().withInitialCapacity(2));
        assertTrue(list.isEmpty());
        for (int i = 0; i < 1000; i++)
        {
            list.add("item" + i);
        }
        assertEquals(1000, list.size());
        assertEquals("item7", list.get(7));
        assertEquals("item7", list.set(7, "seven"));
        assertEquals("seven", list.get(7));
        assertEquals("item999", list.removeLast());
        assertEquals("item998", list.remove(998));
        assertEquals(998, list.size());
        assertThrows(UnsupportedOperationException.class, () -> list.remove(3));
        assertThrows(UnsupportedOperationException.class, () -> list.add(0, "front"));
        list.add(998, "end");
        assertEquals("end", list.get(998));
        final IndexOutOfBoundsException outside = assertThrows(IndexOutOfBoundsException.class, () -> list.get(999));
        assertTrue(outside.getMessage().contains("999") && outside.getMessage().contains("999 items"), outside.getMessage());
        final List<String> copy = new ArrayList<>(list);
        assertEquals(999, copy.size());
        assertEquals(copy, list.snapshot());
        assertEquals(copy, list);
        list.clear();
        assertTrue(list.isEmpty());
        assertThrows(NoSuchElementException.class, list::removeLast);
        assertThrows(TypeMismatchException.class, () -> ShmMap.open(segment, "l", Codecs.STRING, Codecs.STRING));
        assertThrows(IllegalArgumentException.class, () -> ShmList.openOrCreate(segment, "small", Codecs.STRING,
            ListOptions.defaults().withMaxItemLength(4)).add("12345"));
    }

    @Test
    void poppedItemsMemoryIsReused()
    {
        final ShmList<byte[]> list = ShmList.openOrCreate(segment, "l", Codecs.BYTES);
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < 500; i++)
            {
                list.add(new byte[200]);
            }
            list.clear();
        }
        final long used = list.heapUsage()[0];
        for (int round = 0; round < 20; round++)
        {
            for (int i = 0; i < 500; i++)
            {
                list.add(new byte[200]);
            }
            list.clear();
        }
        assertEquals(used, list.heapUsage()[0]);
    }

    @Test
    void appendersInThreeJvmsAddEveryItemOnce() throws Exception
    {
        final ShmList<String> list = ShmList.openOrCreate(segment, "l", Codecs.STRING);
        final List<JvmProcess> appenders = new ArrayList<>();
        for (int a = 0; a < APPENDERS; a++)
        {
            appenders.add(child(Append.class, Integer.toString(a)));
        }
        for (final JvmProcess appender : appenders)
        {
            assertEquals(0, appender.join(120, TimeUnit.SECONDS), appender.output());
        }
        final List<String> items = list.snapshot();
        assertEquals(APPENDERS * ITEMS, items.size());
        for (int a = 0; a < APPENDERS; a++)
        {
            final String prefix = a + ":";
            final List<String> mine = items.stream().filter(item -> item.startsWith(prefix)).toList();
            assertEquals(ITEMS, mine.size());
            for (int i = 0; i < ITEMS; i++)
            {
                assertEquals(prefix + i, mine.get(i), "each appender's items in its order");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"add:recorded", "add:committed", "add:slot-stored", "grow:written", "grow:freed",
        "pop:recorded", "pop:committed", "pop:freed"})
    void anAppenderKilledInsideAStepLeavesTheListWhole(final String point) throws Exception
    {
        final ShmList<String> list = ShmList.openOrCreate(segment, "l", Codecs.STRING,
            ListOptions.defaults().withInitialCapacity(4));
        for (int i = 0; i < 3; i++)
        {
            list.add("item" + i);
        }
        while (point.startsWith("grow") && list.size() < 8)
        {
            // Its first table has 8 slots: the next add grows it.
            list.add("item" + list.size());
        }
        final int before = list.size();
        try (JvmProcess victim = child(StopIn.class, point))
        {
            victim.awaitOutput(line -> line.equals("stopped at " + point), 60, TimeUnit.SECONDS);
            victim.killAndWait();
        }
        list.add("after");
        final boolean applied = !point.startsWith("grow") &&
            List.of("committed", "slot-stored", "freed").contains(point.substring(point.indexOf(':') + 1));
        final int expected = before + (applied ? point.startsWith("pop") ? -1 : 1 : 0) + 1;
        assertEquals(expected, list.size(), list.snapshot().toString());
        for (int i = 0; i < Math.min(before, expected - 1) ; i++)
        {
            assertEquals("item" + i, list.get(i));
        }
        if (applied && point.startsWith("add"))
        {
            assertEquals("new", list.get(before));
        }
        assertEquals("after", list.get(list.size() - 1));
    }

    @Test
    void aNamespaceHoldsTypedFieldsForEveryProcess() throws Exception
    {
        final ShmNamespace ns = ShmNamespace.openOrCreate(segment, "ns");
        ns.setLong("x", 10);
        ns.setDouble("y", 2.5);
        ns.setString("name", "shm");
        ns.setBoolean("on", true);
        ns.set("big", 5L, Codecs.LONG);
        assertEquals(5L, ns.get("big", Codecs.LONG));
        assertEquals(10, ns.getLong("x"));
        assertEquals(2.5, ns.getDouble("y"));
        assertEquals("shm", ns.getString("name"));
        assertTrue(ns.getBoolean("on"));
        final TypeMismatchException kind = assertThrows(TypeMismatchException.class, () -> ns.getString("x"));
        assertTrue(kind.getMessage().contains("holds a long, not a String"), kind.getMessage());
        final NoSuchElementException missing = assertThrows(NoSuchElementException.class, () -> ns.getLong("z"));
        assertTrue(missing.getMessage().contains("no field 'z'"), missing.getMessage());
        try (JvmProcess child = child(Count.class))
        {
            assertEquals(0, child.join(60, TimeUnit.SECONDS), child.output());
            assertTrue(child.output().contains("x=10 name=shm"), child.output());
        }
        assertEquals(1_000, ns.getLong("count"));
        assertEquals(List.of("big", "count", "name", "on", "x", "y"), List.copyOf(ns.fields()));
        assertTrue(ns.remove("on"));
        assertFalse(ns.has("on"));
        assertTrue(ns.toString().contains("x=10") && ns.toString().contains("name='shm'"), ns.toString());
    }

    private JvmProcess child(final Class<?> scenario, final String... args)
    {
        return ChildArgs.child(scenario, segments, segment.name(), args).jvmArgs("-XX:TieredStopAtLevel=1").start();
    }

    /**
     * Child: appends ITEMS items tagged with its number: {@code (appender)}.
     */
    public static final class Append
    {
        public static void main(final String[] args)
        {
            try (ChildArgs child = ChildArgs.open(args))
            {
                final ShmList<String> list = ShmList.open(child.segment(), "l", Codecs.STRING);
                final int a = child.getInt(0);
                for (int i = 0; i < ITEMS; i++)
                {
                    list.add(a + ":" + i);
                }
            }
        }
    }

    /**
     * Child: appends (growing the table if full) or pops, and stops at {@code (op:point)} until killed.
     */
    public static final class StopIn
    {
        public static void main(final String[] args) throws Exception
        {
            try (ChildArgs child = ChildArgs.open(args))
            {
                final ShmList<String> list = ShmList.open(child.segment(), "l", Codecs.STRING);
                final String point = child.get(0);
                final StopAt stop = new StopAt(point);
                final String op = stop.op();
                list.steps(stop);
                if (op.equals("pop"))
                {
                    list.removeLast();
                }
                else
                {
                    list.add("new");
                }
                throw new IllegalStateException("never reached " + point);
            }
        }
    }

    /**
     * Child: reads the namespace's fields and counts to 1,000 in it.
     */
    public static final class Count
    {
        public static void main(final String[] args)
        {
            try (ChildArgs child = ChildArgs.open(args))
            {
                final ShmNamespace ns = ShmNamespace.open(child.segment(), "ns");
                System.out.println("x=" + ns.getLong("x") + " name=" + ns.getString("name"));
                for (int i = 0; i < 1_000; i++)
                {
                    ns.addLong("count", 1);
                }
            }
        }
    }
}
