package io.shm.wait.linux;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.agrona.concurrent.AtomicBuffer;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Linux futexes on words of shared memory: the kernel's "sleep while this word holds this value"
 * and "wake who sleeps on this word", called through JNA direct mapping of {@code syscall}.
 * <p>
 * The futexes are <b>shared</b> (no {@code FUTEX_PRIVATE_FLAG}): the kernel keys them by the
 * physical page, so processes that map the same file at different addresses meet on the same
 * word. This is the only class of the library that handles an address: the mapped buffer's address
 * plus the word's index. Words must be 4-byte aligned; others are refused.
 * <p>
 * Costs measured on a 2-vCPU VM: a wake with nobody to wake about 600 ns through JNA, a kernel
 * wake-up of a sleeping thread about 25 &micro;s. Callers keep both off their fast paths: they
 * wake only when a waiter has announced itself, and spin before they sleep. The call counters
 * ({@link #waitCalls()}, {@link #wakeCalls()}) let tests prove that an uncontended path makes no
 * system call.
 */
public final class Futex
{
    /**
     * Result of {@link #await}: woken by a {@link #wake} (or spuriously).
     */
    public static final int WOKEN = 0;

    /**
     * Result of {@link #await}: the word did not hold the expected value, so the caller did not sleep.
     */
    public static final int VALUE_CHANGED = 1;

    /**
     * Result of {@link #await}: the timeout passed.
     */
    public static final int TIMED_OUT = 2;

    /**
     * Result of {@link #await}: a signal interrupted the sleep.
     */
    public static final int INTERRUPTED = 3;

    /**
     * Result of {@link #awaitAny}: this kernel has no {@code futex_waitv} (before Linux 5.16).
     */
    public static final int UNSUPPORTED = 4;

    /**
     * The most words one {@link #awaitAny} sleeps on (the kernel's {@code FUTEX_WAITV_MAX}).
     */
    public static final int MAX_WAITV = 128;

    private static final int FUTEX_WAIT = 0;
    private static final int FUTEX2_SIZE_U32 = 2;
    private static final int CLOCK_MONOTONIC = 1;
    private static final int ENOSYS = 38;
    private static final int FUTEX_WAKE = 1;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    private static final int ETIMEDOUT = 110;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private static final boolean AVAILABLE;
    private static final long SYS_FUTEX;
    private static final long SYS_FUTEX_WAITV = 449;
    private static final String UNAVAILABLE_REASON;

    private static final AtomicLong WAIT_CALLS = new AtomicLong();
    private static final AtomicLong WAKE_CALLS = new AtomicLong();


    static
    {
        long number = -1;
        String reason = null;
        if (!Platform.isLinux())
        {
            reason = "not Linux";
        }
        else if (Platform.ARCH.equals("x86-64"))
        {
            number = 202;
        }
        else if (Platform.ARCH.equals("aarch64"))
        {
            number = 98;
        }
        else
        {
            reason = "no futex system call number known for " + Platform.ARCH;
        }
        if (reason == null)
        {
            try
            {
                Native.register(Futex.class, Platform.C_LIBRARY_NAME);
            }
            catch (final UnsatisfiedLinkError | NoClassDefFoundError ex)
            {
                reason = "cannot bind syscall through JNA: " + ex;
            }
        }
        AVAILABLE = reason == null;
        SYS_FUTEX = number;
        UNAVAILABLE_REASON = reason;
    }

    private Futex()
    {
    }

    // Declared without LastErrorException: throwing it on every timed-out wait cost about 300 us of CPU
    // per call; JNA keeps errno for Native.getLastError() after a direct call anyway.
    // The timeout is a {@code struct timespec} passed as a long[2]: JNA copies a primitive array in
    // its native dispatch, which costs a waiter that sleeps once a slice (too seldom for the JIT to
    // compile this path) far less than filling a JNA Memory through interpreted code.
    private static native long syscall(long number, long address, int operation, int value, long[] timeout, long address2, int value3);

    private static native long syscall(long number, long address, int operation, int value, long timeout, long address2, int value3);

    // futex_waitv(waiters, count, flags, timeout, clock): each waiter is a struct of 24 bytes (the
    // value, the address, 4 bytes of flags and 4 reserved), passed as three longs of a long[].
    private static native long syscall(long number, long[] waiters, int count, int flags, long[] timeout, int clock);

    private static volatile boolean waitvUnsupported;

    /**
     * @return whether futexes can be used here.
     */
    public static boolean isAvailable()
    {
        return AVAILABLE;
    }

    /**
     * @return why futexes cannot be used here, or null if they can.
     */
    public static String unavailableReason()
    {
        return UNAVAILABLE_REASON;
    }

    /**
     * Sleeps while the word holds {@code expected}, for at most {@code timeoutNanos}.
     *
     * @param buffer       a buffer over shared mapped memory.
     * @param index        the index of a 4-byte aligned word in it.
     * @param expected     the value the word must hold for the caller to sleep.
     * @param timeoutNanos the longest sleep; 0 or less returns {@link #TIMED_OUT} at once.
     * @return {@link #WOKEN}, {@link #VALUE_CHANGED}, {@link #TIMED_OUT} or {@link #INTERRUPTED}.
     */
    public static int await(final AtomicBuffer buffer, final int index, final int expected, final long timeoutNanos)
    {
        final long address = address(buffer, index);
        if (timeoutNanos <= 0)
        {
            return TIMED_OUT;
        }
        final long[] timespec = {timeoutNanos / NANOS_PER_SECOND, timeoutNanos % NANOS_PER_SECOND};
        WAIT_CALLS.incrementAndGet();
        return syscall(SYS_FUTEX, address, FUTEX_WAIT, expected, timespec, 0, 0) == 0 ? WOKEN :
            failedWait("futex wait");
    }

    /**
     * Sleeps while each of {@code count} words holds its expected value, until one is woken or
     * changes, for at most {@code timeoutNanos}: {@code futex_waitv} (Linux 5.16 and later).
     *
     * @param buffers      the buffers holding the words (shared memory).
     * @param indexes      each word's index in its buffer, 4-byte aligned.
     * @param expected     the value each word must hold for the caller to sleep.
     * @param count        how many words, 1 to {@link #MAX_WAITV}.
     * @param timeoutNanos the longest sleep; 0 or less returns {@link #TIMED_OUT} at once.
     * @return {@link #WOKEN}, {@link #VALUE_CHANGED}, {@link #TIMED_OUT}, {@link #INTERRUPTED}, or
     *         {@link #UNSUPPORTED} if the kernel lacks the call (the caller then sleeps otherwise).
     */
    public static int awaitAny(final AtomicBuffer[] buffers, final int[] indexes, final int[] expected, final int count,
        final long timeoutNanos)
    {
        if (count < 1 || count > MAX_WAITV)
        {
            throw new IllegalArgumentException("futex_waitv takes 1 to " + MAX_WAITV + " words: " + count);
        }
        final long[] waiters = new long[3 * count];
        for (int i = 0; i < count; i++)
        {
            waiters[3 * i] = expected[i] & 0xFFFF_FFFFL;
            waiters[3 * i + 1] = address(buffers[i], indexes[i]);
            waiters[3 * i + 2] = FUTEX2_SIZE_U32;
        }
        if (waitvUnsupported)
        {
            return UNSUPPORTED;
        }
        if (timeoutNanos <= 0)
        {
            return TIMED_OUT;
        }
        // The timeout of futex_waitv is a point on the clock; System.nanoTime() reads CLOCK_MONOTONIC on Linux.
        final long until = System.nanoTime() + timeoutNanos;
        final long[] timespec = {until / NANOS_PER_SECOND, until % NANOS_PER_SECOND};
        WAIT_CALLS.incrementAndGet();
        return syscall(SYS_FUTEX_WAITV, waiters, count, 0, timespec, CLOCK_MONOTONIC) >= 0 ? WOKEN :
            failedWait("futex_waitv");
    }

    /**
     * @return what a wait that returned an error means, by its errno.
     */
    private static int failedWait(final String call)
    {
        final int errno = Native.getLastError();
        switch (errno)
        {
            case EAGAIN:
                return VALUE_CHANGED;
            case ETIMEDOUT:
                return TIMED_OUT;
            case EINTR:
                return INTERRUPTED;
            case ENOSYS:
                waitvUnsupported = true;
                return UNSUPPORTED;
            default:
                throw new IllegalStateException(call + " failed with errno " + errno);
        }
    }

    /**
     * Wakes up to {@code count} threads, of any process, sleeping on the word.
     *
     * @param buffer a buffer over shared mapped memory.
     * @param index  the index of a 4-byte aligned word in it.
     * @param count  the most threads to wake; {@link Integer#MAX_VALUE} for all.
     * @return the number of threads woken.
     */
    public static int wake(final AtomicBuffer buffer, final int index, final int count)
    {
        final long address = address(buffer, index);
        WAKE_CALLS.incrementAndGet();
        final long woken = syscall(SYS_FUTEX, address, FUTEX_WAKE, count, 0L, 0, 0);
        if (woken < 0)
        {
            throw new IllegalStateException("futex wake failed with errno " + Native.getLastError());
        }
        return (int)woken;
    }

    /**
     * Wakes every thread sleeping on a word that may no longer be mapped: for a waker that is not
     * the word's user (the death watch), where a word unmapped meanwhile is no error.
     *
     * @param buffer a buffer over shared mapped memory, or memory unmapped since.
     * @param index  the index of a 4-byte aligned word in it.
     * @return whether the call succeeded.
     */
    public static boolean wakeAllIfMapped(final AtomicBuffer buffer, final int index)
    {
        final long address = address(buffer, index);
        WAKE_CALLS.incrementAndGet();
        return syscall(SYS_FUTEX, address, FUTEX_WAKE, Integer.MAX_VALUE, 0L, 0, 0) >= 0;
    }

    /**
     * @return how many futex waits this process has made.
     */
    public static long waitCalls()
    {
        return WAIT_CALLS.get();
    }

    /**
     * @return how many futex wakes this process has made.
     */
    public static long wakeCalls()
    {
        return WAKE_CALLS.get();
    }

    private static long address(final AtomicBuffer buffer, final int index)
    {
        if (!AVAILABLE)
        {
            throw new UnsupportedOperationException("futexes are not available: " + UNAVAILABLE_REASON);
        }
        if (buffer.byteArray() != null)
        {
            throw new IllegalArgumentException("a futex word must be in off-heap shared memory, not a byte[]");
        }
        buffer.boundsCheck(index, Integer.BYTES);
        final long address = buffer.addressOffset() + index;
        if ((address & 3) != 0)
        {
            throw new IllegalArgumentException("futex word at address 0x" + Long.toHexString(address) +
                " is not 4-byte aligned");
        }
        return address;
    }
}
