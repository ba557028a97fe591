package io.shm.examples;

import io.shm.codec.Codecs;
import io.shm.collections.ShmList;
import io.shm.collections.ShmMap;
import io.shm.launch.ProcessTarget;
import io.shm.launch.TargetArgs;
import io.shm.process.JvmProcess;
import io.shm.segment.Segment;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The tutorial's {@code Manager().list([11, 22, 33])} and {@code Manager().dict({'name': 'bob'})}:
 * five processes each append {@code i ** i} to the shared list, then five each set {@code d[i] = 'a'}
 * in the shared dict; the parent joins them and prints both. Here the list and the map live in the
 * segment, with no manager process in between.
 */
public final class ManagerExample
{
    private ManagerExample()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Segment segment = Example.newSegment("manager");
        try
        {
            final ShmList<Long> list = ShmList.openOrCreate(segment, "ml", Codecs.LONG);
            list.addAll(List.of(11L, 22L, 33L));
            final List<JvmProcess> processes = new ArrayList<>();
            for (int i = 0; i < 5; i++)
            {
                processes.add(ProcessTarget.start(Append.class, list, i));
            }
            for (final JvmProcess process : processes)
            {
                Example.join(process);
            }
            System.out.println("list: " + list);

            final ShmMap<String, String> dict = ShmMap.openOrCreate(segment, "md", Codecs.STRING, Codecs.STRING);
            dict.put("name", "bob");
            processes.clear();
            for (int i = 0; i < 5; i++)
            {
                processes.add(ProcessTarget.start(Put.class, dict, i, "a"));
            }
            for (final JvmProcess process : processes)
            {
                Example.join(process);
            }
            System.out.println("dict: " + new TreeMap<>(dict));
        }
        finally
        {
            Example.remove(segment);
        }
    }

    /**
     * The tutorial's {@code foo(l, i)}: {@code l.append(i ** i)}.
     */
    public static final class Append implements ProcessTarget
    {
        @Override
        public void run(final TargetArgs args)
        {
            @SuppressWarnings("unchecked")
            final ShmList<Long> list = args.open(0, ShmList.class, Codecs.LONG);
            final int i = args.getInt(1);
            long power = 1;
            for (int k = 0; k < i; k++)
            {
                power *= i;
            }
            list.add(power);
        }
    }

    /**
     * The tutorial's {@code foo(d, k, v)}: {@code d[k] = v}.
     */
    public static final class Put implements ProcessTarget
    {
        @Override
        public void run(final TargetArgs args)
        {
            @SuppressWarnings("unchecked")
            final ShmMap<String, String> dict = args.open(0, ShmMap.class, Codecs.STRING, Codecs.STRING);
            dict.put(Integer.toString(args.getInt(1)), args.getString(2));
        }
    }
}
