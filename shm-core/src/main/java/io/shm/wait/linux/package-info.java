/**
 * The Linux binding of the waiting primitive: {@link io.shm.wait.linux.Futex}, the only class of
 * the library that handles a raw address.
 */
package io.shm.wait.linux;
