/**
 * Broadcast streams recorded into a Chronicle Queue and replayed: {@link io.shm.journal.Recorder}
 * is a receiver of a {@link io.shm.broadcast.Broadcast} that appends every message with its
 * sequence number to a {@link io.shm.journal.Journal}; {@link io.shm.journal.JournalReader}
 * replays from a sequence number or a time, then joins the live stream without a gap or a
 * duplicate. Chronicle Queue is the only dependency this module adds; {@code shm-core} users who
 * do not record take none of it.
 */
package io.shm.journal;
