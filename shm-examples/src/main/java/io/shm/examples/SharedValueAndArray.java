package io.shm.examples;

import io.shm.segment.Segment;
import io.shm.value.DoubleValue;
import io.shm.value.IntArray;

import java.util.Arrays;

/**
 * Python's shared {@code Value} and {@code Array} across two processes:
 * <pre>
 * num = Value('d', 0.0); arr = Array('i', range(10))
 * p = Process(target=f, args=(num, arr)); p.start(); p.join()   # f sets num = 3.1415927, arr[i] = -arr[i]
 * </pre>
 * Here the parent creates a segment holding a {@code double} and an {@code int} array of 0..9, a
 * child JVM opens the segment by name and changes both, and the parent prints what it finds.
 */
public final class SharedValueAndArray
{
    private SharedValueAndArray()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length == 2 && args[0].equals("child"))
        {
            child(args[1]);
            return;
        }
        final Segment segment = Example.newSegment("value-array");
        try
        {
            final DoubleValue number = DoubleValue.openOrCreate(segment, "num", 0.0);
            final IntArray array = IntArray.openOrCreate(segment, "arr", new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
            System.out.println("parent " + ProcessHandle.current().pid() + " made  num=" + number.get() +
                " arr=" + Arrays.toString(array.toArray()));

            Example.join(Example.start(SharedValueAndArray.class, "child", segment.name()));

            System.out.println("parent " + ProcessHandle.current().pid() + " reads num=" + number.get() +
                " arr=" + Arrays.toString(array.toArray()));
        }
        finally
        {
            Example.remove(segment);
        }
    }

    private static void child(final String name)
    {
        try (Segment segment = Example.openSegment(name))
        {
            final DoubleValue number = DoubleValue.open(segment, "num");
            final IntArray array = IntArray.open(segment, "arr");
            number.set(3.1415927);
            for (int i = 0; i < array.length(); i++)
            {
                array.set(i, -array.get(i));
            }
            System.out.println("child  " + ProcessHandle.current().pid() + " set   num=" + number.get() +
                " arr=" + Arrays.toString(array.toArray()));
        }
    }
}
