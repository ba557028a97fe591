package io.shm.examples;

import io.shm.process.JvmProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Runs every example as its own JVM (which starts its children) and checks what they print.
 */
@Timeout(180)
class ExamplesTest
{
    @Test
    void floatChannelDeliversEveryArrayAndVerifiesTheLast() throws Exception
    {
        final String output = run("float-channel");
        assertTrue(output.contains("Produce done"), output);
        for (final String how : new String[] {"RawArray \\+ 2 semaphores", "ring-buffer channel"})
        {
            assertTrue(output.matches("(?s).*" + how + ": received 1000 arrays of 100000 doubles in [0-9.]+ s " +
                "\\([0-9.]+ GB/s\\); last array verified.*"), output);
        }
    }

    @Test
    void everyLockKindIsTakenBothWithAHoldAndDirectly() throws Exception
    {
        final String output = run("with-lock");
        for (final String kind : new String[] {"ShmLock", "ShmReentrantLock", "ShmLock of a Condition", "ShmSemaphore"})
        {
            assertTrue(output.contains("(with) " + kind + " acquired via hold"), output);
            assertTrue(output.contains("(not-with) " + kind + " acquired directly"), output);
        }
    }

    @Test
    void threeConsumersProcessEveryItemBeforeTheProducersJoinReturns() throws Exception
    {
        final String output = run("queue-consumers");
        assertEquals(QueueConsumersExample.ITEMS, count(output, "appended to queue by "), output);
        assertEquals(QueueConsumersExample.ITEMS, count(output, "popped from queue by Consumer-"), output);
        assertTrue(output.indexOf("Producer: all 10 items processed") > output.lastIndexOf("popped from queue"), output);
    }

    @Test
    void processesPrintTheirNumbersAndTheirNames() throws Exception
    {
        final String output = run("process-names");
        for (int i = 0; i < 5; i++)
        {
            assertTrue(output.contains("called function in process: " + i), output);
        }
        assertTrue(output.contains("Starting func") && output.contains("Exiting func"), output);
        assertTrue(output.matches("(?s).*Starting Process-\\d+.*Exiting Process-\\d+.*"), output);
    }

    @Test
    void everyReaderOfTheFeedGetsEveryTickAndTheParentHearsEachReport() throws Exception
    {
        final String output = run("broadcast-feed");
        assertTrue(output.contains("parent sent 1000 ticks to 3 readers"), output);
        for (int i = 1; i <= BroadcastFeedExample.READERS; i++)
        {
            assertTrue(output.contains("parent heard: reader-" + i + ": 1000 ticks, sum 499500, lost 0"), output);
        }
    }

    @Test
    void theSlowReaderOfALossyFeedIsToldExactlyWhatItLostAndTheFeedNeverWaits() throws Exception
    {
        final String output = run("market-data");
        assertTrue(output.contains("feed: published " + MarketDataExample.TICKS + " ticks"), output);
        for (final String reader : MarketDataExample.READERS)
        {
            final java.util.regex.Matcher report = java.util.regex.Pattern.compile(reader + " reader: received (\\d+), " +
                "told it lost (\\d+), together " + MarketDataExample.TICKS + " of " + MarketDataExample.TICKS +
                "; the gaps it saw in the tick numbers: (\\d+)").matcher(output);
            assertTrue(report.find(), output);
            assertEquals(report.group(2), report.group(3), "the loss it was told is the loss it saw: " + output);
            if (reader.equals("slow"))
            {
                assertTrue(Long.parseLong(report.group(2)) > 0, "the slow reader was lapped: " + output);
            }
        }
    }

    @Test
    void fiveProcessesAppendToTheSharedListAndSetKeysOfTheSharedDict() throws Exception
    {
        final String output = run("manager");
        final String list = output.lines().filter(line -> line.startsWith("list: ")).findFirst().orElseThrow();
        assertTrue(list.startsWith("list: [11, 22, 33, "), output);
        for (final String power : new String[] {"1", "4", "27", "256"})
        {
            assertTrue(list.contains(", " + power), output);
        }
        assertEquals(8, list.split(",").length, output);
        assertTrue(output.contains("dict: {0=a, 1=a, 2=a, 3=a, 4=a, name=bob}"), output);
    }

    @Test
    void aFeedBridgedToAnotherHostReachesALiveReaderAndALateOneThroughTheJournal() throws Exception
    {
        final String output = run("remote-feed");
        assertTrue(output.contains("reader-1 (live): 1000 ticks, sum 499500"), output);
        assertTrue(output.matches("(?s).*reader-2 \\(joined late, \\d+ replayed from the journal, then live\\): 1000 ticks, " +
            "sum 499500, gaps 0.*"), output);
        assertTrue(output.contains("recorder: 1000 ticks journaled, 0 missed"), output);
    }

    @Test
    void theListenerAddsTheClientsNumbersUntilItCloses() throws Exception
    {
        final String output = run("listener-client");
        assertTrue(output.matches("(?s)(.*\\n)?2\\n.*"), output);
        assertTrue(output.contains("Connection closed by peer"), output);
    }

    @Test
    void aQueueHandedToAChildCarriesTheMixedItem() throws Exception
    {
        final String output = run("queue-basics");
        assertTrue(output.contains("child put an item; qsize 1"), output);
        assertTrue(output.contains("parent got Item[number=11, word=hello, flag=true]"), output);
    }

    @Test
    void aDuplexPipeCarriesHelloWorldAndHiSon() throws Exception
    {
        final String output = run("pipe-hello");
        assertTrue(output.contains("parent received: hello world"), output);
        assertTrue(output.contains("child received: hi son"), output);
    }

    @Test
    void poolAppliesOnFiveWorkersAndMapsOnOneAndTwo() throws Exception
    {
        final String output = run("pool");
        assertEquals(5, count(output, "apply: "), output);
        assertTrue(output.contains("apply_async: 47 results, all ready: true"), output);
        assertTrue(output.contains("ending"), output);
        assertTrue(output.matches("(?s).*on 1 worker\\(s\\): [0-9.]+ s \\((\\d+) primes found\\).*on 2 worker\\(s\\): " +
            "[0-9.]+ s \\(\\1 primes found\\); speed-up [0-9.]+.*"), output);
    }

    @Test
    void counterDriftsWithoutTheLockAndIsExactWithIt() throws Exception
    {
        final String output = run("counter");
        assertTrue(output.contains("counter with lock: 0 (exact)"), output);
        assertTrue(output.contains("counter without lock: ") && output.contains("(drifted: updates were lost)"), output);
    }

    @Test
    void reentrantBoxEndsEmpty() throws Exception
    {
        final String output = run("rlock-box");
        assertTrue(output.contains("adder done") && output.contains("remover done"), output);
        assertTrue(output.contains("box total: 0"), output);
    }

    @Test
    void semaphoreConsumerGetsEveryItemTheProducerMade() throws Exception
    {
        final String output = run("semaphore");
        assertEquals(values(output, "producer made (\\d+)"), values(output, "consumer got (\\d+)"), output);
        assertEquals(SemaphoreExample.ROUNDS, count(output, "consumer got"), output);
    }

    @Test
    void conditionBufferCarriesTwentyItems() throws Exception
    {
        final String output = run("condition");
        assertTrue(output.contains("producer put 20 items"), output);
        assertTrue(output.contains("consumer took 20 items, sum 210"), output);
    }

    @Test
    void eventIsSetFiveTimesAndClearedAfterEach() throws Exception
    {
        final String output = run("event");
        assertEquals(5, count(output, "parent sets the event"), output);
        assertEquals(5, count(output, "child saw the event set"), output);
        assertTrue(output.contains("event is clear"), output);
    }

    @Test
    void nobodyPassesTheBarrierBeforeAllArrive() throws Exception
    {
        final String output = run("barrier");
        final List<String> lines = output.lines().toList();
        int lastWait = -1;
        int firstPass = Integer.MAX_VALUE;
        for (int i = 0; i < lines.size(); i++)
        {
            if (lines.get(i).endsWith("waits at the barrier"))
            {
                lastWait = i;
            }
            if (lines.get(i).endsWith("passed the barrier"))
            {
                firstPass = Math.min(firstPass, i);
            }
        }
        assertEquals(3, count(output, "passed the barrier"), output);
        assertTrue(lastWait < firstPass, output);
    }

    @Test
    void producerJoinsAfterTheConsumerFinishedEveryItem() throws Exception
    {
        final String output = run("joinable-queue");
        final int joined = output.indexOf("producer joined");
        assertTrue(joined > output.indexOf("consumer processed eggs") && output.indexOf("consumer processed eggs") >= 0, output);
        assertEquals(3, count(output, "consumer processed"), output);
    }

    @Test
    void pipeDeliversUntilEofAndTheEchoServerAnswers() throws Exception
    {
        final String output = run("pipe");
        assertEquals(3, count(output, "consumer received item"), output);
        assertTrue(output.contains("consumer saw EOF"), output);
        assertTrue(output.contains("client sent (1, 1), got 2"), output);
        assertTrue(output.contains("client sent (\"Hello\", \" World\"), got \"Hello World\""), output);
        assertTrue(output.contains("server saw EOF and stops"), output);
    }

    @Test
    void clockProcessIsTerminatedAfterThreeSeconds() throws Exception
    {
        final String output = run("process-clock");
        final int ticks = count(output, "the time is");
        assertTrue(ticks >= 2 && ticks <= 5, output);
        assertTrue(output.contains("clock process ended with exit code 143, alive: false"), output);
    }

    @Test
    void childChangesTheSharedValueAndArray() throws Exception
    {
        final String output = run("value-array");
        assertTrue(output.contains("reads num=3.1415927 arr=[0, -1, -2, -3, -4, -5, -6, -7, -8, -9]"), output);
    }

    @Test
    void robustLockIsTakenOverAndRepaired() throws Exception
    {
        final String output = run("robust-lock");
        assertTrue(output.contains("previous owner died: true"), output);
        assertTrue(output.contains("state found: A=900 B=1000 (total 1900)"), output);
        assertTrue(output.contains("state repaired: A=1000 B=1000 (total 2000)"), output);
        assertTrue(output.contains("lock is usable again: true"), output);
    }

    @Test
    void listNamesEveryExampleAndUnknownNamesFail() throws Exception
    {
        final String output = run("--list");
        for (final String name : Examples.ALL.keySet())
        {
            assertTrue(output.contains(name), output);
        }
        try (JvmProcess unknown = JvmProcess.builder(Examples.class).args("nope").captureOutput().start())
        {
            assertEquals(2, unknown.join(60, TimeUnit.SECONDS));
            assertTrue(unknown.output().contains("no example named 'nope'"), unknown.output());
        }
    }

    private static String run(final String name) throws Exception
    {
        final Set<String> before = segments();
        try (JvmProcess example = JvmProcess.builder(Examples.class).args(name).captureOutput().start())
        {
            assertEquals(0, example.join(150, TimeUnit.SECONDS), example.output());
            assertEquals(before, segments(), "the example removed its segments");
            return example.output();
        }
    }

    private static Set<String> segments() throws IOException
    {
        try (Stream<Path> files = Files.list(Path.of("/dev/shm")))
        {
            final Set<String> names = new TreeSet<>();
            files.map(path -> path.getFileName().toString()).forEach(names::add);
            return names;
        }
    }

    private static int count(final String output, final String text)
    {
        return (int)output.lines().filter(line -> line.contains(text)).count();
    }

    private static List<String> values(final String output, final String regex)
    {
        final Matcher matcher = Pattern.compile(regex).matcher(output);
        final List<String> values = new java.util.ArrayList<>();
        while (matcher.find())
        {
            values.add(matcher.group(1));
        }
        return values;
    }
}
