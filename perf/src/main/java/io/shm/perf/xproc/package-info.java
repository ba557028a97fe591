/**
 * Measurements across real processes: each class answers one question and prints a Markdown table.
 */
package io.shm.perf.xproc;
