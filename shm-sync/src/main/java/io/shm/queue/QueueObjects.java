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
     * must have {@code capacity} and {@code maxItemLength}.
     */
    static SharedObject find(final Segment segment, final String name, final ObjectType type, final Mode mode,
        final int capacity, final int maxItemLength)
    {
        if (capacity < 1 || maxItemLength < 0)
        {
            throw new IllegalArgumentException("queue '" + name + "' needs a capacity of at least 1 and a max item " +
                "length of at least 0: " + capacity + ", " + maxItemLength);
        }
        final long length = ITEMS_OFFSET + (long)capacity * itemSlotLength(maxItemLength);
        if (length > Integer.MAX_VALUE / 2)
        {
            throw new SegmentFullException("queue '" + name + "' of " + capacity + " items of " + maxItemLength +
                " bytes is too large (" + length + " bytes)");
        }
        final Consumer<SharedObject> initializer = created ->
        {
            created.buffer().putInt(SharedObject.DATA_OFFSET + CAPACITY_OFFSET, capacity);
            created.buffer().putInt(SharedObject.DATA_OFFSET + MAX_ITEM_LENGTH_OFFSET, maxItemLength);
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
