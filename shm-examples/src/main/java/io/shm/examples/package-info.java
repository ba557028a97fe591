/**
 * The examples of the Python {@code multiprocessing} tutorials, ported: each runs as separate JVM
 * processes started with {@link io.shm.process.JvmProcess}, sharing segments by name.
 */
package io.shm.examples;
