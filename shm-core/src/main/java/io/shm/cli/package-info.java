/**
 * The command-line tool for segments: list them, show their objects, remove those no live
 * process has open ({@code scripts/shm.sh}).
 */
package io.shm.cli;
