package io.shm.launch;

import io.shm.channel.Connection;
import io.shm.channel.Pipe;
import io.shm.codec.Codecs;
import io.shm.process.ChildMainProbe;
import io.shm.process.JvmProcess;
import io.shm.process.ProcessIdentity;
import io.shm.test.Await;
import io.shm.test.SegmentTestCase;
import io.shm.value.BytesValue;
import io.shm.value.IntValue;
import io.shm.value.LongValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Process targets across real JVMs: shared objects handed to a child by handle, plain values,
 * failures, and daemon children that die with their parent.
 */
@Timeout(180)
class ProcessTargetTest extends SegmentTestCase
{
    private static final String TEXT = "h\u00e9llo w\u00f6rld \u2211 | . : \"quoted\" \n second line";

    @Test
    void aTargetReopensSharedObjectsByHandleAndReadsPlainValues() throws Exception
    {
        final LongValue sum = LongValue.openOrCreate(segment, "sum");
        final BytesValue text = BytesValue.openOrCreate(segment, "text", 256);
        final byte[] bytes = {0, 1, -1, 127, -128};
        try (JvmProcess child = ProcessTarget.builder(Echo.class, sum, text, TEXT, 40, 2L, 0.5, true, bytes,
            Codecs.DOUBLE.encode(1.25)).captureOutput().start())
        {
            assertEquals(0, child.join(), child.output());
        }
        assertEquals(40 + 2 + 1 + 1 + 5, sum.get(), "int + long + twice the double + the boolean + the bytes' length");
        assertEquals(TEXT + "!", text.getString());
    }

    @Test
    void aPipeEndHandedToAChildIsItsConnection() throws Exception
    {
        try (Connection parent = Pipe.connect(segment, "pipe", Pipe.End.FIRST);
            JvmProcess child = ProcessTarget.builder(Shout.class, Pipe.handle(segment, "pipe", Pipe.End.SECOND))
                .captureOutput().start())
        {
            parent.sendString("hello world");
            assertEquals("HELLO WORLD", parent.receiveString());
            parent.close();
            assertEquals(0, child.join(), child.output());
        }
    }

    @Test
    void aTargetThatThrowsExitsWithOneAndItsStackTrace() throws Exception
    {
        final LongValue value = LongValue.openOrCreate(segment, "value");
        try (JvmProcess child = ProcessTarget.builder(OpenAsInt.class, value).captureOutput().start())
        {
            assertEquals(1, child.join());
            assertTrue(child.output().contains("TypeMismatchException"), child.output());
        }
    }

    @Test
    void badTargetsAndArgumentsAreRefusedBeforeAnyChildStarts()
    {
        final IllegalArgumentException noConstructor =
            assertThrows(IllegalArgumentException.class, () -> ProcessTarget.builder(NoConstructor.class));
        assertTrue(noConstructor.getMessage().contains("public no-argument constructor"), noConstructor.getMessage());
        final IllegalArgumentException badArgument =
            assertThrows(IllegalArgumentException.class, () -> ProcessTarget.builder(Shout.class, "ok", new Object()));
        assertTrue(badArgument.getMessage().startsWith("argument 1: "), badArgument.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ProcessTarget.builder(Shout.class, (Object)null));
    }

    @Test
    void argumentsOfTheWrongKindAreNamed()
    {
        final TargetArgs args = new TargetArgs(new String[] {TargetArgs.encodeValue(7), TargetArgs.encodeValue("x")});
        final IllegalArgumentException wrongKind = assertThrows(IllegalArgumentException.class, () -> args.getString(0));
        assertEquals("argument 0 is an int, not a String", wrongKind.getMessage());
        assertThrows(IllegalArgumentException.class, () -> args.handle(1));
        assertThrows(IndexOutOfBoundsException.class, () -> args.getInt(2));
    }

    @Test
    void aDaemonChildDiesWithinASecondOfItsParentsKill() throws Exception
    {
        final ProcessIdentity grandchild = startGrandchildThenKillParent(true);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (grandchild.isAlive() && System.nanoTime() - deadline < 0)
        {
            Thread.onSpinWait();
        }
        assertFalse(grandchild.isAlive(), "the daemon child outlived its SIGKILLed parent by a second");
    }

    @Test
    void aChildThatIsNotADaemonOutlivesItsParentsKill() throws Exception
    {
        final ProcessIdentity grandchild = startGrandchildThenKillParent(false);
        try
        {
            Thread.sleep(1000);
            assertTrue(grandchild.isAlive());
        }
        finally
        {
            ProcessHandle.of(grandchild.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aDaemonChildWhoseParentDiedBeforeItStartedExitsAtOnce() throws Exception
    {
        try (JvmProcess orphan = ChildMainProbe.withAbsentParent(Echo.class.getName()).captureOutput().start())
        {
            assertEquals(ChildMainProbe.ORPHANED, orphan.join(), orphan.output());
            assertTrue(orphan.output().contains("died before this daemon child started"), orphan.output());
        }
    }

    private ProcessIdentity startGrandchildThenKillParent(final boolean daemon) throws Exception
    {
        final LongValue pid = LongValue.openOrCreate(segment, "grandchild");
        try (JvmProcess parent = ProcessTarget.builder(StartGrandchild.class, pid, daemon).captureOutput().start())
        {
            Await.await(() -> pid.get() != 0, Await.scaled(Duration.ofSeconds(60)), "the grandchild to start");
            final ProcessIdentity grandchild = ProcessIdentity.of(pid.get()).orElseThrow();
            parent.kill();
            parent.join();
            return grandchild;
        }
    }

    /**
     * Writes int + long + twice the double + the boolean + the bytes' length (less 1000 if the
     * codec-decoded double is wrong) into its first argument, and the string with "!" into its
     * second.
     */
    public static final class Echo implements ProcessTarget
    {
        @Override
        public void run(final TargetArgs args)
        {
            final LongValue sum = args.open(0, LongValue.class);
            final BytesValue text = args.open(1, BytesValue.class);
            text.setString(args.getString(2) + "!");
            final double half = args.getDouble(5);
            sum.set(args.getInt(3) + args.getLong(4) + (long)(half * 2) + (args.getBoolean(6) ? 1 : 0) +
                args.getBytes(7).length - (args.get(8, Codecs.DOUBLE) == 1.25 ? 0 : 1000));
        }
    }

    /**
     * Answers each message of its pipe end in capitals, until the other end closes.
     */
    public static final class Shout implements ProcessTarget
    {
        @Override
        public void run(final TargetArgs args) throws Exception
        {
            try (Connection connection = args.open(0, Connection.class))
            {
                connection.sendString(connection.receiveString().toUpperCase(java.util.Locale.ROOT));
            }
        }
    }

    /**
     * Opens a long value as an int value: a type mismatch.
     */
    public static final class OpenAsInt implements ProcessTarget
    {
        @Override
        public void run(final TargetArgs args)
        {
            args.open(0, IntValue.class);
        }
    }

    /**
     * Not creatable by a child.
     */
    public static final class NoConstructor implements ProcessTarget
    {
        public NoConstructor(final int unused)
        {
        }

        @Override
        public void run(final TargetArgs args)
        {
        }
    }

    /**
     * Starts {@link Sleep} as a child (a daemon if its second argument says so), then sleeps.
     */
    public static final class StartGrandchild implements ProcessTarget
    {
        @Override
        public void run(final TargetArgs args) throws Exception
        {
            final JvmProcess.Builder builder = ProcessTarget.builder(Sleep.class, args.handle(0)).captureOutput();
            (args.getBoolean(1) ? builder.daemon() : builder).start();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    /**
     * Writes its pid into its argument and sleeps.
     */
    public static final class Sleep implements ProcessTarget
    {
        @Override
        public void run(final TargetArgs args) throws Exception
        {
            args.open(0, LongValue.class).set(ProcessHandle.current().pid());
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
