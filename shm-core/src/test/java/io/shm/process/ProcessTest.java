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

    @Test
    void aProcessAskedAboutAgainIsHeldByAPidfdThatSeesItsDeath() throws Exception
    {
        assertTrue(io.shm.wait.linux.PidFd.isAvailable(), "pidfd_open needs Linux 5.3 or later");
        try (JvmProcess child = JvmProcess.start(Sleeper.class))
        {
            child.awaitOutput(line -> line.equals("tick"), 60, TimeUnit.SECONDS);
            final ProcessIdentity identity = child.identity();
            assertTrue(identity.isAlive());
            assertTrue(identity.isAlive(), "answered by the held pidfd");
            assertTrue(ProcessIdentity.isAlive(identity.pid(), 0), "the pid alone");
            assertFalse(ProcessIdentity.isAlive(identity.pid(), identity.startTime() + 1), "another start time");
            assertTrue(LivenessCache.watched() >= 1);
            child.signal("STOP");
            assertTrue(identity.isAlive(), "a stopped process is not dead");
            child.kill();
            child.join(30, TimeUnit.SECONDS);
            assertFalse(identity.isAlive());
            assertFalse(ProcessIdentity.isAlive(identity.pid(), 0));
        }
    }

    @Test
    void aWatchedProcessThatBecomesAZombieIsDead() throws Exception
    {
        // The shell execs a sleep that never reaps its child, so the child stays a zombie once it exits.
        final Process parent = new ProcessBuilder("bash", "-c", "sleep 2 & echo $!; exec sleep 60").start();
        try
        {
            final long pid = Long.parseLong(new java.io.BufferedReader(
                new java.io.InputStreamReader(parent.getInputStream())).readLine().trim());
            final ProcessIdentity child = ProcessIdentity.of(pid).orElseThrow();
            assertTrue(child.isAlive());
            assertTrue(child.isAlive(), "answered by the held pidfd");
            io.shm.test.Await.await(() -> !child.isAlive(), io.shm.test.Await.PROMPT, "the child exited and is a zombie");
            assertTrue(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat")).contains(") Z "),
                "still a zombie: its parent never reaped it");
            assertFalse(ProcessIdentity.isAlive(pid, 0), "a zombie is dead by its pid alone");
        }
        finally
        {
            parent.destroyForcibly();
            parent.waitFor();
        }
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
