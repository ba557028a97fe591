/**
 * shm: cross-process shared memory for the JVM. {@link io.shm.ShmRuntime} states what the JVM must
 * provide; segments, values, processes and exceptions are in the sub-packages.
 */
package io.shm;
