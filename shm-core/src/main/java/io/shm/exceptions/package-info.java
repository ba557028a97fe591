/**
 * The exceptions of the library: one unchecked root, {@link io.shm.exceptions.ShmException}, and a
 * subclass per condition a caller may want to tell apart. Messages name the file, the object and
 * the expected and found values.
 */
package io.shm.exceptions;
