/**
 * Starting child JVMs that run a {@link io.shm.launch.ProcessTarget}: Python's
 * {@code Process(target=f, args=(...))}, with shared objects handed over by handle.
 */
package io.shm.launch;
