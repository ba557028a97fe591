/**
 * Processes: {@link io.shm.process.ProcessIdentity} (pid and start time, the only proof of a
 * process's death the library accepts) and {@link io.shm.process.JvmProcess} (a child JVM, as
 * Python's {@code Process}).
 */
package io.shm.process;
