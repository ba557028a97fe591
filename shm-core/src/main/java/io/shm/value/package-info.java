/**
 * Typed values and arrays in shared memory (Python's {@code RawValue} and {@code RawArray}), views
 * over Agrona {@link org.agrona.concurrent.AtomicBuffer}s at a named object's data.
 * <p>
 * Conventions: the memory order of every access is in its name, as in
 * {@link java.util.concurrent.atomic.AtomicLong}: {@code get}/{@code set} are volatile,
 * {@code getAcquire}/{@code setRelease} pair up, {@code getOpaque}/{@code setOpaque} are opaque, and
 * {@code getPlain}/{@code setPlain} order nothing. These hold across processes, since all of them
 * map the same physical memory. Floating-point values are updated atomically by compare-and-set on
 * their raw bits; 1- and 2-byte values by compare-and-set on the 32-bit word that holds them.
 * Every view checks that its segment is still open before each access.
 */
package io.shm.value;
