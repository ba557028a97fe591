/**
 * Channels between processes: {@link io.shm.channel.Channel}, a ring buffer of variable-length
 * records with single- and multi-producer senders, and {@link io.shm.channel.Pipe} /
 * {@link io.shm.channel.Connection} on top of it (Python's {@code Pipe}). Layout in
 * {@link io.shm.channel.ChannelDescriptor}.
 */
package io.shm.channel;
