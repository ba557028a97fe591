/**
 * Authenticated message connections between processes on different hosts: Python's
 * {@code multiprocessing.connection.Listener} and {@code Client} over TCP.
 */
package io.shm.net;
