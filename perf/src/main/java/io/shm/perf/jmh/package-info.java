/**
 * JMH benchmarks of in-process costs, one question per class; every fork gets the JVM flag the
 * library needs.
 */
package io.shm.perf.jmh;
