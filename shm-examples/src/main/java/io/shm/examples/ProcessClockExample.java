package io.shm.examples;

import io.shm.process.JvmProcess;

import java.time.LocalTime;
import java.util.concurrent.TimeUnit;

/**
 * The tutorial's clock process: a child prints the time every second; the parent terminates it
 * after 3 seconds and reports its exit code (143 = killed by SIGTERM, as Python's -15).
 */
public final class ProcessClockExample
{
    private ProcessClockExample()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length > 0)
        {
            while (true)
            {
                System.out.println("the time is " + LocalTime.now().withNano(0));
                Thread.sleep(1000);
            }
        }
        final JvmProcess clock = JvmProcess.builder(ProcessClockExample.class).args("clock").start();
        System.out.println("started clock process " + clock.pid());
        Thread.sleep(3000);
        clock.terminate();
        final int exitCode = clock.join(30, TimeUnit.SECONDS);
        System.out.println("clock process ended with exit code " + exitCode + ", alive: " + clock.isAlive());
    }
}
