/**
 * Codecs: how items cross between processes as bytes ({@link io.shm.codec.Codec}), for queues,
 * connections and process arguments. Java serialization is never used.
 */
package io.shm.codec;
