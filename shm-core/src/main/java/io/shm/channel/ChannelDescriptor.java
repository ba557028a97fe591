package io.shm.channel;

import io.shm.process.ProcessSlotDescriptor;
import org.agrona.BitUtil;

import static org.agrona.BitUtil.CACHE_LINE_LENGTH;
import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Layout of a channel: a control block of cache lines, then the ring of records.
 * <pre>
 *  +---------------------------------------------------------------+
 *  | line 0: Capacity (int), Max Message Length (int), Flags (int), |    0
 *  |         Reserved (4), Producer Owner: a process slot of Pid   |
 *  |         (8) and Start Time (8)                                 |
 *  +---------------------------------------------------------------+
 *  | line 1: Producer Position (8): the end of the claimed room     |   64
 *  +---------------------------------------------------------------+
 *  | line 2: Consumer Position (8): the head, published in batches  |  128
 *  +---------------------------------------------------------------+
 *  | line 3: Data Sequence (4, futex word), Consumer Waiting (4),   |  192
 *  |         Receiver Fences Senders (4)                            |
 *  +---------------------------------------------------------------+
 *  | line 4: Space Sequence (4, futex word), Producers Waiting (4)  |  256
 *  +---------------------------------------------------------------+
 *  | line 5: Consumer Pid (8; -1 once closed), Consumer Start Time  |  320
 *  |         (8): a process slot; Skipped Bytes (8)                 |
 *  +---------------------------------------------------------------+
 *  | lines 6-15: 16 producer slots of 40 bytes: a process slot of   |  384
 *  |   Pid (8) and Start Time (8), Intent Position (8), Intent      |
 *  |   Length (4), State (4), Claim End (8)                         |
 *  +---------------------------------------------------------------+
 *  | Ring: Capacity bytes of records, each starting on a line     ... 1024
 *  +---------------------------------------------------------------+
 * </pre>
 * Words written by one side and read by the other sit on lines of their own, so the producer's
 * hot writes (records and its position) and the consumer's (its position) never share a line.
 * <p>
 * A single-producer channel has one <b>owner word</b>: a sender takes the role by one CAS of the
 * owner pid from 0 (or from a process proven dead) to its own, before it takes a slot, so two
 * attachers can never both pass; {@code close()} gives it back.
 * <p>
 * A producer slot's <b>intent</b> is the room its sender has claimed and not yet filled: with many
 * producers, the record being claimed (recorded before the CAS that takes it); with one producer,
 * a batch of room claimed at once (a quarter of the ring, or what is free), so that records within
 * it cost no shared store but their own. The producer position is then the end of the batch. Claim
 * End is where the record a single producer is writing ends; a sender proven dead leaves the rest
 * of its intent to be skipped, and only the part before Claim End counts as lost.
 * <p>
 * A <b>record</b> is an 8-byte header followed by the payload, padded to a 64-byte line, so that a
 * small message is one line and a record's stores never share a line with the record before it:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+---------------------------------------------------------+
 *  |P|B|E|                  Payload Length                         |  0
 *  +-+-+-+---------------------------------------------+-----------+
 *  |          Lap (24 bits)                            | Producer  |  4
 *  +---------------------------------------------------+-----------+
 *  |                         Payload                              ...  8
 *  +---------------------------------------------------------------+
 * </pre>
 * P marks padding to the end of the ring, B and E the first and last fragment of a message (both
 * on a message that fits one record). The lap is {@code position / capacity + 1}: the consumer
 * polls the header at its position and takes the record once the lap is the current one, so a
 * record is published by one store of its header and consumed records are never cleared.
 */
public final class ChannelDescriptor
{
    /**
     * Line 0, read-mostly: the ring's capacity in bytes, a power of two.
     */
    public static final int CAPACITY_OFFSET = 0;

    /**
     * The longest message, in bytes.
     */
    public static final int MAX_MESSAGE_LENGTH_OFFSET = CAPACITY_OFFSET + SIZE_OF_INT;

    /**
     * {@link #MULTI_PRODUCER} and {@link #BLOCKING}.
     */
    public static final int FLAGS_OFFSET = MAX_MESSAGE_LENGTH_OFFSET + SIZE_OF_INT;

    /**
     * The process holding the single-producer role (0 if none), taken by one CAS; with many
     * producers it stays 0. Written at attach and close only, so it shares the read-mostly line.
     * With the start time after it, a process slot.
     */
    public static final int PRODUCER_OWNER_PID_OFFSET = FLAGS_OFFSET + 2 * SIZE_OF_INT;

    /**
     * The start time of the single-producer role's holder.
     */
    public static final int PRODUCER_OWNER_START_TIME_OFFSET =
        PRODUCER_OWNER_PID_OFFSET + ProcessSlotDescriptor.START_TIME_OFFSET;

    /**
     * Line 1: the end of the room claimed by senders.
     */
    public static final int PRODUCER_POSITION_OFFSET = CACHE_LINE_LENGTH;

    /**
     * Line 2: the receiver's position, published in batches.
     */
    public static final int CONSUMER_POSITION_OFFSET = PRODUCER_POSITION_OFFSET + CACHE_LINE_LENGTH;

    /**
     * Line 3: the futex word a sleeping receiver waits on, bumped by a sender that wakes it.
     */
    public static final int DATA_SEQUENCE_OFFSET = CONSUMER_POSITION_OFFSET + CACHE_LINE_LENGTH;

    /**
     * 1 while the receiver may sleep: a sender that commits then wakes it.
     */
    public static final int CONSUMER_WAITING_OFFSET = DATA_SEQUENCE_OFFSET + SIZE_OF_INT;

    /**
     * 1 while the receiver sends every sender a memory barrier before it sleeps
     * ({@link io.shm.wait.linux.Membarrier}), so a registered sender need not fence its commits.
     */
    public static final int RECEIVER_FENCES_OFFSET = CONSUMER_WAITING_OFFSET + SIZE_OF_INT;

    /**
     * Line 4: the futex word senders waiting for room sleep on, bumped by the receiver.
     */
    public static final int SPACE_SEQUENCE_OFFSET = DATA_SEQUENCE_OFFSET + CACHE_LINE_LENGTH;

    /**
     * How many senders may sleep for room.
     */
    public static final int PRODUCERS_WAITING_OFFSET = SPACE_SEQUENCE_OFFSET + SIZE_OF_INT;

    /**
     * Line 5: the receiver's process slot (its pid, {@link #CONSUMER_CLOSED} once it closed).
     */
    public static final int CONSUMER_PID_OFFSET = SPACE_SEQUENCE_OFFSET + CACHE_LINE_LENGTH;

    /**
     * The receiver's start time.
     */
    public static final int CONSUMER_START_TIME_OFFSET = CONSUMER_PID_OFFSET + ProcessSlotDescriptor.START_TIME_OFFSET;

    /**
     * Bytes skipped because their sender died between claiming and committing them.
     */
    public static final int SKIPPED_BYTES_OFFSET = CONSUMER_PID_OFFSET + ProcessSlotDescriptor.LENGTH;

    /**
     * The consumer slot's pid once its receiver has closed: senders then fail instead of waiting.
     */
    public static final long CONSUMER_CLOSED = -1;

    /**
     * Lines 6 to 15: the producer slots.
     */
    public static final int PRODUCER_SLOTS_OFFSET = CONSUMER_PID_OFFSET + CACHE_LINE_LENGTH;

    /**
     * How many senders can be attached at once.
     */
    public static final int MAX_PRODUCERS = 16;

    /**
     * A producer slot's process slot, at its start.
     */
    public static final int SLOT_PID_OFFSET = ProcessSlotDescriptor.PID_OFFSET;

    /**
     * The sender's start time.
     */
    public static final int SLOT_START_TIME_OFFSET = ProcessSlotDescriptor.START_TIME_OFFSET;

    /**
     * Where the sender's intent (the room it claimed and has not filled) starts.
     */
    public static final int SLOT_INTENT_POSITION_OFFSET = ProcessSlotDescriptor.LENGTH;

    /**
     * The length of the intent; 0 when it covers nothing.
     */
    public static final int SLOT_INTENT_LENGTH_OFFSET = SLOT_INTENT_POSITION_OFFSET + SIZE_OF_LONG;

    /**
     * {@link #SLOT_FREE}, {@link #SLOT_ACTIVE} or {@link #SLOT_CLOSED}.
     */
    public static final int SLOT_STATE_OFFSET = SLOT_INTENT_LENGTH_OFFSET + SIZE_OF_INT;

    /**
     * Where the record a single producer is writing ends.
     */
    public static final int SLOT_CLAIM_END_OFFSET = SLOT_STATE_OFFSET + SIZE_OF_INT;

    /**
     * Length of a producer slot.
     */
    public static final int SLOT_LENGTH = SLOT_CLAIM_END_OFFSET + SIZE_OF_LONG;

    /**
     * The ring, after the control block.
     */
    public static final int RING_OFFSET = 16 * CACHE_LINE_LENGTH;

    /**
     * Flag: many producers claim by CAS.
     */
    public static final int MULTI_PRODUCER = 1;

    /**
     * Flag: receivers may sleep, so senders check for them after each commit.
     */
    public static final int BLOCKING = 2;

    /**
     * Slot state: no sender (its pid may still name one that died before activating it).
     */
    public static final int SLOT_FREE = 0;

    /**
     * Slot state: a sender is attached.
     */
    public static final int SLOT_ACTIVE = 1;

    /**
     * Slot state: its sender closed; the slot may be taken at once.
     */
    public static final int SLOT_CLOSED = 2;

    /**
     * Length of a record header.
     */
    public static final int HEADER_LENGTH = 8;

    /**
     * Records start on multiples of this.
     */
    public static final int RECORD_ALIGNMENT = CACHE_LINE_LENGTH;

    /**
     * Header flag P: padding to be skipped.
     */
    public static final int PADDING = 0x8000_0000;

    /**
     * Header flag B: the first fragment of a message.
     */
    public static final int BEGIN = 0x4000_0000;

    /**
     * Header flag E: the last fragment of a message.
     */
    public static final int END = 0x2000_0000;

    /**
     * A whole message in one record.
     */
    public static final int UNFRAGMENTED = BEGIN | END;

    /**
     * The payload length in the header's first word.
     */
    public static final int LENGTH_MASK = 0x1FFF_FFFF;

    /**
     * The lap in the header's second word, above the producer slot.
     */
    public static final int LAP_MASK = 0xFF_FFFF;

    /**
     * Smallest ring.
     */
    public static final int MIN_CAPACITY = 1024;

    static
    {
        if (PRODUCER_SLOTS_OFFSET + MAX_PRODUCERS * SLOT_LENGTH > RING_OFFSET)
        {
            throw new AssertionError("producer slots overlap the ring");
        }
    }

    private ChannelDescriptor()
    {
    }

    public static int slotOffset(final int slot)
    {
        return PRODUCER_SLOTS_OFFSET + slot * SLOT_LENGTH;
    }

    /**
     * @param payloadLength a payload length.
     * @return the length of its record, header and padding included.
     */
    public static int recordLength(final int payloadLength)
    {
        return BitUtil.align(HEADER_LENGTH + payloadLength, RECORD_ALIGNMENT);
    }

    /**
     * @param position a position in the stream of bytes.
     * @param shift    log2 of the capacity.
     * @return the lap tag of a record written there.
     */
    public static int lap(final long position, final int shift)
    {
        return (int)((position >>> shift) + 1) & LAP_MASK;
    }

    /**
     * @param meta     the flags and payload length.
     * @param lap      the lap tag.
     * @param producer the producer slot.
     * @return the header as one long, as it is stored (native order).
     */
    public static long header(final int meta, final int lap, final int producer)
    {
        return ((long)((lap << 8) | producer) << 32) | (meta & 0xFFFF_FFFFL);
    }

    public static int headerLap(final long header)
    {
        return (int)(header >>> 40) & LAP_MASK;
    }

    public static int headerProducer(final long header)
    {
        return (int)(header >>> 32) & 0xFF;
    }

    public static int headerMeta(final long header)
    {
        return (int)header;
    }
}
