/**
 * Values and arrays paired with a cross-process lock: Python's {@code Value(lock=True)} and
 * {@code Array(lock=True)}.
 */
package io.shm.sync.value;
