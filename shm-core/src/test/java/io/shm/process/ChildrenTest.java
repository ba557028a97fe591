package io.shm.process;

import io.shm.test.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Names, joins, exit status, signals and the children registry of {@link JvmProcess}, with real
 * child JVMs.
 */
@Timeout(120)
class ChildrenTest
{
    @Test
    void aChildKnowsTheNameItWasGivenAndUnnamedChildrenAreNumbered() throws Exception
    {
        try (JvmProcess named = JvmProcess.builder(PrintName.class).name("worker-7").captureOutput().start();
            JvmProcess unnamed = JvmProcess.builder(PrintName.class).captureOutput().start())
        {
            assertEquals(0, named.join());
            assertEquals(0, unnamed.join());
            assertEquals("name worker-7", named.lines().get(0));
            assertEquals("worker-7", named.name());
            assertTrue(unnamed.name().matches("Process-\\d+"), unnamed.name());
            assertEquals("name " + unnamed.name(), unnamed.lines().get(0));
        }
        assertEquals(ProcessIdentity.MAIN_PROCESS_NAME, ProcessIdentity.current().name());
        assertThrows(IllegalArgumentException.class, () -> JvmProcess.builder(PrintName.class).name(" "));
    }

    @Test
    void waitForReportsWhetherTheChildEndedAndJoinWaitsForIt() throws Exception
    {
        try (JvmProcess child = JvmProcess.start(ProcessTest.Sleeper.class))
        {
            child.awaitOutput(line -> line.equals("tick"), 60, TimeUnit.SECONDS);
            assertFalse(child.waitFor(50, TimeUnit.MILLISECONDS));
            assertThrows(IllegalThreadStateException.class, child::exitCode);
            child.signal("TERM");
            assertEquals(143, child.join());
            assertTrue(child.waitFor(0, TimeUnit.SECONDS));
            assertEquals(15, child.terminatingSignal().orElseThrow());
        }
    }

    @Test
    void aChildThatExitsByItselfHasNoTerminatingSignal() throws Exception
    {
        try (JvmProcess child = JvmProcess.start(ProcessTest.Exiter.class, "3", "bye"))
        {
            assertEquals(3, child.join());
            assertTrue(child.terminatingSignal().isEmpty());
        }
    }

    @Test
    void stopAndContinueAreSentByTheSystemCall() throws Exception
    {
        try (JvmProcess child = JvmProcess.start(ProcessTest.Sleeper.class))
        {
            child.awaitOutput(line -> line.equals("tick"), 60, TimeUnit.SECONDS);
            child.signal("SIGSTOP");
            Await.await(() -> state(child.pid()) == 'T', Await.PROMPT, "the child to show as stopped");
            child.signal("cont");
            Await.await(() -> state(child.pid()) != 'T', Await.PROMPT, "the child to run again");
            child.signal(9);
            assertEquals(9, child.join() - 128);
            assertThrows(IllegalArgumentException.class, () -> child.signal("NOSUCH"));
            assertThrows(IllegalStateException.class, () -> child.signal("TERM"), "a reaped child cannot be signalled");
        }
    }

    @Test
    void activeChildrenListsTheRunningChildrenOnly() throws Exception
    {
        try (JvmProcess sleeper = JvmProcess.start(ProcessTest.Sleeper.class);
            JvmProcess exiter = JvmProcess.start(ProcessTest.Exiter.class, "0", "bye"))
        {
            sleeper.awaitOutput(line -> line.equals("tick"), 60, TimeUnit.SECONDS);
            exiter.join();
            assertTrue(JvmProcess.activeChildren().contains(sleeper));
            assertFalse(JvmProcess.activeChildren().contains(exiter));
            sleeper.kill();
            sleeper.join();
            assertFalse(JvmProcess.activeChildren().contains(sleeper));
        }
    }

    @Test
    void cpuCountIsTheMachinesOnlineCpus()
    {
        assertTrue(JvmProcess.cpuCount() >= 1);
        assertTrue(JvmProcess.cpuCount() >= Runtime.getRuntime().availableProcessors());
    }

    @Test
    void aDaemonChildGoesThroughChildMain()
    {
        final String command = String.join(" ", JvmProcess.builder(PrintName.class).daemon().command());
        assertTrue(command.contains("-Dshm.process.daemonParent=" + ProcessHandle.current().pid()), command);
        assertTrue(command.contains(ChildMain.class.getName() + " " + PrintName.class.getName()), command);
        assertFalse(String.join(" ", JvmProcess.builder(PrintName.class).command()).contains(ChildMain.class.getName()));
    }

    private static char state(final long pid)
    {
        try
        {
            final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2);
        }
        catch (final java.io.IOException ex)
        {
            return '?';
        }
    }

    /**
     * Prints this process's name.
     */
    public static final class PrintName
    {
        public static void main(final String[] args)
        {
            System.out.println("name " + ProcessIdentity.current().name());
        }
    }
}
