package io.shm.bridge;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * One host's Aeron: an embedded media driver and a client of it. The driver runs its conductor,
 * sender and receiver on one thread (SHARED) that backs off to sleeping when idle, which suits a
 * small machine; its directory is its own (never a segment directory's file), removed when it
 * closes. Terms are 1 MiB ({@link #TERM_LENGTH}), so what a bridge holds in flight stays small: a
 * sender's Aeron runs at most a window ahead of a slow subscriber's position, and the back pressure
 * reaches the far broadcast's sender (measured: with the default 16 MiB terms, megabytes were
 * taken in before it did).
 * <pre>{@code
 * try (AeronHost host = AeronHost.launch(Path.of("/dev/shm/aeron-feed-a")))
 * {
 *     BridgeOut out = BridgeOut.start(feed, host.aeron(), "aeron:udp?endpoint=10.0.0.2:40123", 1001);
 * }
 * }</pre>
 */
public final class AeronHost implements AutoCloseable
{
    /** How soon a receiver learns that a sender's image is gone, by default. */
    public static final Duration DEFAULT_IMAGE_LIVENESS = Duration.ofSeconds(2);
    /** Each publication's term: messages up to an eighth of it (128 KiB) cross whole. */
    public static final int TERM_LENGTH = 1 << 20;
    /** How far a sender may run ahead of the slowest subscriber's position. */
    public static final int WINDOW_LENGTH = 128 * 1024;

    private final MediaDriver driver;
    private final Aeron aeron;
    private final AgentInvoker driverInvoker;
    private final AgentInvoker clientInvoker;

    private AeronHost(final MediaDriver driver, final Aeron aeron)
    {
        this.driver = driver;
        this.aeron = aeron;
        this.driverInvoker = driver.sharedAgentInvoker();
        this.clientInvoker = aeron.conductorAgentInvoker();
    }

    /**
     * Launches a driver in {@code directory} (made, or emptied if a dead driver left it) and connects to it.
     *
     * @throws io.shm.exceptions.MissingJvmFlagException if this JVM lacks a flag the driver needs.
     */
    public static AeronHost launch(final Path directory)
    {
        return launch(directory, DEFAULT_IMAGE_LIVENESS);
    }

    /**
     * As {@link #launch(Path)}, with how long a silent sender's image lives before receivers are told it is gone.
     */
    public static AeronHost launch(final Path directory, final Duration imageLiveness)
    {
        return launch(directory, imageLiveness, false);
    }

    /**
     * A host with no threads of its own: the driver's and the client's work runs when the caller
     * calls {@link #doWork()}, in the caller's own loop (Aeron's INVOKER threading). On a machine
     * with few cores, one busy thread per process can then do the application's work, the
     * bridges' and Aeron's. Call them in the order data flows, so that a message crosses in one
     * cycle: {@code bridgeOut.doWork(); host.doWork(); bridgeIn.doWork();} (measured in W13: in
     * the order driver, out, in, the bridged round trip was 1.33x raw Aeron's; in this order 1.12x).
     */
    public static AeronHost launchInvoked(final Path directory)
    {
        return launch(directory, DEFAULT_IMAGE_LIVENESS, true);
    }

    private static AeronHost launch(final Path directory, final Duration imageLiveness, final boolean invoked)
    {
        BridgeRuntime.checkJvmFlags();
        final MediaDriver.Context context = new MediaDriver.Context()
            .aeronDirectoryName(Objects.requireNonNull(directory, "directory").toString())
            .threadingMode(invoked ? ThreadingMode.INVOKER : ThreadingMode.SHARED)
            .sharedIdleStrategy(new BackoffIdleStrategy(10, 20, 1_000, 1_000_000))
            .imageLivenessTimeoutNs(imageLiveness.toNanos())
            .publicationTermBufferLength(TERM_LENGTH)
            .ipcTermBufferLength(TERM_LENGTH)
            .initialWindowLength(WINDOW_LENGTH)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .warnIfDirectoryExists(false);
        final MediaDriver driver = MediaDriver.launch(context);
        try
        {
            final Aeron.Context client = new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName());
            if (invoked)
            {
                client.useConductorAgentInvoker(true).driverAgentInvoker(driver.sharedAgentInvoker());
            }
            return new AeronHost(driver, Aeron.connect(client));
        }
        catch (final RuntimeException ex)
        {
            driver.close();
            throw ex;
        }
    }

    public Aeron aeron()
    {
        return aeron;
    }

    /**
     * Runs a duty cycle of the driver and the client, for a host made by {@link #launchInvoked}
     * (nothing for one with threads of its own).
     *
     * @return the work done.
     */
    public int doWork()
    {
        int work = 0;
        if (driverInvoker != null)
        {
            work += driverInvoker.invoke();
        }
        if (clientInvoker != null)
        {
            work += clientInvoker.invoke();
        }
        return work;
    }

    @Override
    public void close()
    {
        aeron.close();
        driver.close();
    }
}
