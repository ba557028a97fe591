package io.shm.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(120)
class ProcessTest
{
    @Test
    void currentProcessIsAliveAndStable()
    {
        final ProcessIdentity self = ProcessIdentity.current();
        assertEquals(ProcessHandle.current().pid(), self.pid());
        assertTrue(self.startTime() > 0);
        assertTrue(self.isAlive());
        assertEquals(self, ProcessIdentity.of(self.pid()).orElseThrow());
    }

    @Test
    void reusedPidWithAnotherStartTimeIsDead()
    {
        final ProcessIdentity self = ProcessIdentity.current();
        assertFalse(ProcessIdentity.of(self.pid(), self.startTime() + 1).isAlive());
        assertFalse(ProcessIdentity.isAlive(self.pid(), self.startTime() - 1));
    }

    @Test
    void killedChildIsDeadAndItsExitCodeIsReported() throws Exception
    {
        try (JvmProcess child = JvmProcess.start(Sleeper.class))
        {
            child.awaitOutput(line -> line.equals("tick"), 60, TimeUnit.SECONDS);
            final ProcessIdentity identity = child.identity();
            assertTrue(identity.isAlive());
            child.kill();
            assertEquals(137, child.join(30, TimeUnit.SECONDS), "SIGKILL");
            assertFalse(identity.isAlive());
            assertFalse(child.isAlive());
        }
    }

    @Test
    void terminatedChildRunsItsShutdownHooks() throws Exception
    {
        try (JvmProcess child = JvmProcess.start(Sleeper.class))
        {
            child.awaitOutput(line -> line.equals("tick"), 60, TimeUnit.SECONDS);
            child.terminate();
            assertEquals(143, child.join(30, TimeUnit.SECONDS), "SIGTERM");
            assertTrue(child.output().contains("shutting down"), child.output());
        }
    }

    @Test
    void stoppedChildIsAliveUntilContinued() throws Exception
    {
        try (JvmProcess child = JvmProcess.start(Sleeper.class))
        {
            child.awaitOutput(line -> line.equals("tick"), 60, TimeUnit.SECONDS);
            child.signal("STOP");
            assertTrue(child.identity().isAlive(), "a stopped process is not dead");
            child.signal("CONT");
            child.kill();
            child.join(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void exitCodeAndOutputOfANormalExit() throws Exception
    {
        try (JvmProcess child = JvmProcess.start(Exiter.class, "3", "hello"))
        {
            assertEquals(3, child.join(60, TimeUnit.SECONDS));
            assertEquals(3, child.exitCode());
            assertEquals(java.util.List.of("hello"), child.lines());
        }
    }

    @Test
    void awaitOutputFailsWithTheOutputWhenTheChildExits() throws Exception
    {
        try (JvmProcess child = JvmProcess.start(Exiter.class, "0", "something else"))
        {
            final TimeoutException ex = assertThrows(TimeoutException.class,
                () -> child.awaitOutput(line -> line.equals("never"), 60, TimeUnit.SECONDS));
            assertTrue(ex.getMessage().contains("something else"), ex.getMessage());
        }
    }

    @Test
    void joinTimesOutOnARunningChild() throws Exception
    {
        try (JvmProcess child = JvmProcess.start(Sleeper.class))
        {
            assertThrows(TimeoutException.class, () -> child.join(10, TimeUnit.MILLISECONDS));
            assertTrue(child.isAlive());
        }
    }

    @Test
    void commandCarriesTheRequiredFlagsAndClassPath()
    {
        final java.util.List<String> command = JvmProcess.builder(Sleeper.class).jvmArgs("-Xmx32m").args("a").command();
        assertTrue(command.containsAll(io.shm.ShmRuntime.REQUIRED_JVM_FLAGS));
        assertTrue(command.contains(System.getProperty("java.class.path")));
        assertEquals("a", command.get(command.size() - 1));
        assertEquals(Sleeper.class.getName(), command.get(command.size() - 2));
    }

    /**
     * Prints "tick" and sleeps until killed.
     */
    public static final class Sleeper
    {
        public static void main(final String[] args) throws InterruptedException
        {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("shutting down")));
            System.out.println("tick");
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    /**
     * Prints its second argument and exits with its first.
     */
    public static final class Exiter
    {
        public static void main(final String[] args)
        {
            System.out.println(args[1]);
            System.exit(Integer.parseInt(args[0]));
        }
    }
}
