/**
 * Broadcast streams bridged between hosts over Aeron UDP: {@link io.shm.bridge.BridgeOut} forwards a
 * local {@link io.shm.broadcast.Broadcast} to an Aeron publication, {@link io.shm.bridge.BridgeIn}
 * delivers an Aeron subscription into a local one, and {@link io.shm.bridge.AeronHost} runs the
 * embedded media driver each host needs. Aeron is the transport (this module writes none); it is
 * a dependency of this module alone.
 */
package io.shm.bridge;
