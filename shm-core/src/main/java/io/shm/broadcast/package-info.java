/**
 * One-to-many channels in shared memory: one sender, receivers that join and leave at any time,
 * lossy or back-pressured ({@link io.shm.broadcast.Broadcast}).
 */
package io.shm.broadcast;
