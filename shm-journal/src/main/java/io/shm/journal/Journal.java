package io.shm.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A stream's record in a Chronicle Queue directory (on disk, or in {@code /dev/shm}). Each entry
 * is one document:
 * <pre>
 *   sequence (8) | recorded at, epoch ms (8) | kind (4) | length (4) | bytes
 * </pre>
 * where kind {@link #MESSAGE} holds a message of the stream with the sequence number its sender
 * gave it, and kind {@link #GAP} says that the messages from {@code sequence} to the one in its
 * 8 bytes were not recorded (the recorder was lapped, or was down while the stream went on).
 * Sequence numbers only grow along the journal, so replay can check that nothing comes twice.
 * <p>
 * Chronicle Queue is written by one recorder at a time and read by any number of processes.
 */
public final class Journal implements AutoCloseable
{
    /** An entry holding a message. */
    public static final int MESSAGE = 1;
    /** An entry saying a range of messages was not recorded. */
    public static final int GAP = 2;

    private final Path directory;
    private final ChronicleQueue queue;
    private ExcerptAppender appender;
    private byte[] scratch = new byte[256];

    private Journal(final Path directory)
    {
        this.directory = directory;
        this.queue = ChronicleQueue.singleBuilder(directory.toFile()).build();
    }

    /**
     * Opens the journal in {@code directory}, making it if it does not exist.
     *
     * @throws io.shm.exceptions.MissingJvmFlagException if this JVM lacks a flag Chronicle Queue needs.
     */
    public static Journal open(final Path directory)
    {
        JournalRuntime.checkJvmFlags();
        return new Journal(Objects.requireNonNull(directory, "directory"));
    }

    public Path directory()
    {
        return directory;
    }

    /**
     * @return the last sequence the journal accounts for (a message or the end of a gap), or -1 if it is empty.
     */
    public long lastSequence()
    {
        try (ExcerptTailer tailer = queue.createTailer().direction(TailerDirection.BACKWARD).toEnd())
        {
            try (DocumentContext document = tailer.readingDocument())
            {
                if (!document.isPresent())
                {
                    return -1;
                }
                final Bytes<?> bytes = document.wire().bytes();
                final long sequence = bytes.readLong();
                bytes.readLong();
                final int kind = bytes.readInt();
                bytes.readInt();
                return kind == GAP ? bytes.readLong() : sequence;
            }
        }
    }

    /**
     * Appends a message.
     */
    void append(final long sequence, final DirectBuffer buffer, final int offset, final int length)
    {
        if (scratch.length < length)
        {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        buffer.getBytes(offset, scratch, 0, length);
        try (DocumentContext document = appender().writingDocument())
        {
            document.wire().bytes().writeLong(sequence).writeLong(System.currentTimeMillis()).writeInt(MESSAGE)
                .writeInt(length).write(scratch, 0, length);
        }
    }

    /**
     * Appends a gap: messages {@code from} to {@code to} were not recorded.
     */
    void appendGap(final long from, final long to)
    {
        try (DocumentContext document = appender().writingDocument())
        {
            document.wire().bytes().writeLong(from).writeLong(System.currentTimeMillis()).writeInt(GAP)
                .writeInt(Long.BYTES).writeLong(to);
        }
    }

    private ExcerptAppender appender()
    {
        if (appender == null)
        {
            appender = queue.createAppender();
        }
        return appender;
    }

    ChronicleQueue queue()
    {
        return queue;
    }

    @Override
    public void close()
    {
        if (appender != null)
        {
            appender.close();
        }
        queue.close();
    }

    @Override
    public String toString()
    {
        return "Journal{" + directory + "}";
    }
}
