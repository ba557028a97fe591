package io.shm.queue;

import io.shm.exceptions.LengthMismatchException;
import io.shm.exceptions.ParameterMismatchException;
import io.shm.exceptions.SegmentFullException;
import io.shm.segment.ObjectType;
import io.shm.segment.Segment;
import io.shm.segment.SharedObject;

import java.util.function.Consumer;

import static io.shm.queue.QueueDescriptor.*;

/**
 * Finding or creating a queue's object, and checking an existing one against what was asked.
 */
final class QueueObjects
{
    private QueueObjects()
    {
    }

    /**
     * The queue object named {@code name}, opened or created as {@code mode} says; an existing one
     * must have {@code capacity}, {@code maxItemLength} and {@code ringLength}.
     */
    static SharedObject find(final Segment segment, final String name, final ObjectType type, final Mode mode,
        final int capacity, final int maxItemLength, final long ringLength)
    {
        if (capacity < 1 || maxItemLength < 0 || maxItemLength > Integer.MAX_VALUE / 4)
        {
            throw new IllegalArgumentException("queue '" + name + "' needs a capacity of at least 1 and a max item " +
                "length of 0 to " + Integer.MAX_VALUE / 4 + ": " + capacity + ", " + maxItemLength);
        }
        if (ringLength < 2L * recordLength(maxItemLength) || ringLength % Long.BYTES != 0)
        {
            throw new IllegalArgumentException("the ring of queue '" + name + "' must hold two of its longest items (" +
                2L * recordLength(maxItemLength) + " bytes) and be a multiple of 8: " + ringLength);
        }
        final long length = ITEMS_OFFSET + ringLength;
        if (length > Integer.MAX_VALUE / 2)
        {
            throw new SegmentFullException("queue '" + name + "' with a ring of " + ringLength + " bytes is too large");
        }
        final Consumer<SharedObject> initializer = created ->
        {
            created.buffer().putInt(SharedObject.DATA_OFFSET + CAPACITY_OFFSET, capacity);
            created.buffer().putInt(SharedObject.DATA_OFFSET + MAX_ITEM_LENGTH_OFFSET, maxItemLength);
            created.buffer().putInt(SharedObject.DATA_OFFSET + RING_LENGTH_OFFSET, (int)ringLength);
        };
        SharedObject object;
        try
        {
            object = mode == Mode.CREATE ? segment.createObject(name, type, length, initializer) :
                segment.object(name, type, length, initializer);
        }
        catch (final LengthMismatchException ex)
        {
            // Its length follows from its capacity and item length: say which differs.
            object = segment.openObject(name, type);
        }
        final String what = object.describe();
        ParameterMismatchException.check(what, "capacity", object.buffer().getInt(SharedObject.DATA_OFFSET + CAPACITY_OFFSET),
            capacity);
        ParameterMismatchException.check(what, "max item length",
            object.buffer().getInt(SharedObject.DATA_OFFSET + MAX_ITEM_LENGTH_OFFSET), maxItemLength);
        ParameterMismatchException.check(what, "ring length",
            object.buffer().getInt(SharedObject.DATA_OFFSET + RING_LENGTH_OFFSET), ringLength);
        return object;
    }

    /**
     * How a factory finds its object.
     */
    enum Mode
    {
        CREATE,
        OPEN_OR_CREATE
    }
}
