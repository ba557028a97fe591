/**
 * Reports of the harness: SVG charts written next to {@code perf/RESULTS.md}.
 */
package io.shm.perf.report;
