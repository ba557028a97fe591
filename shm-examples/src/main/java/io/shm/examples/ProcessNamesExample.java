package io.shm.examples;

import io.shm.launch.ProcessTarget;
import io.shm.launch.TargetArgs;
import io.shm.process.JvmProcess;
import io.shm.process.ProcessIdentity;

import java.util.ArrayList;
import java.util.List;

/**
 * The tutorial's processes: five processes each print their number, then a process named
 * {@code func} and one with the default name ({@code Process-N}) print their names.
 */
public final class ProcessNamesExample
{
    private ProcessNamesExample()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final List<JvmProcess> processes = new ArrayList<>();
        for (int i = 0; i < 5; i++)
        {
            processes.add(ProcessTarget.start(Called.class, i));
        }
        for (final JvmProcess process : processes)
        {
            Example.join(process);
        }
        try (JvmProcess withName = ProcessTarget.builder(Func.class).name("func").start();
            JvmProcess withDefaultName = ProcessTarget.start(Func.class))
        {
            Example.join(withName);
            Example.join(withDefaultName);
        }
    }

    /**
     * Prints the number it was given.
     */
    public static final class Called implements ProcessTarget
    {
        @Override
        public void run(final TargetArgs args)
        {
            System.out.println("called function in process: " + args.getInt(0));
        }
    }

    /**
     * Prints its name as it starts and as it ends.
     */
    public static final class Func implements ProcessTarget
    {
        @Override
        public void run(final TargetArgs args) throws InterruptedException
        {
            final String name = ProcessIdentity.current().name();
            System.out.println("Starting " + name);
            Thread.sleep(300);
            System.out.println("Exiting " + name);
        }
    }
}
