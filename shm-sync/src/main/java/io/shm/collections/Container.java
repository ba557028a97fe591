package io.shm.collections;

import io.shm.exceptions.LengthMismatchException;
import io.shm.exceptions.ParameterMismatchException;
import io.shm.segment.ObjectType;
import io.shm.segment.Segment;
import io.shm.segment.SharedObject;
import io.shm.wait.WaitStrategy;
import org.agrona.concurrent.AtomicBuffer;

import java.util.function.Consumer;

import static io.shm.collections.MapDescriptor.*;

/**
 * What a map, a list and a namespace share: the root object, its parameters, its heap and its
 * stripes; finding or creating the root, and checking an existing one against what was asked.
 */
final class Container
{
    final SharedObject root;
    final Heap heap;
    final Stripe[] stripes;
    final int maxKeyLength;
    final int maxValueLength;
    final int initialLog2Slots;

    private Container(final SharedObject root)
    {
        this.root = root;
        final AtomicBuffer buffer = root.buffer();
        final int stripeCount = buffer.getInt(SharedObject.DATA_OFFSET + STRIPES_OFFSET);
        this.maxKeyLength = buffer.getInt(SharedObject.DATA_OFFSET + MAX_KEY_LENGTH_OFFSET);
        this.maxValueLength = buffer.getInt(SharedObject.DATA_OFFSET + MAX_VALUE_LENGTH_OFFSET);
        this.initialLog2Slots = Integer.numberOfTrailingZeros(buffer.getInt(SharedObject.DATA_OFFSET + INITIAL_SLOTS_OFFSET));
        if (stripeCount < 1 || stripeCount > 256 || Integer.bitCount(stripeCount) != 1 ||
            rootLength(stripeCount) != root.length())
        {
            throw new io.shm.exceptions.CorruptSegmentException(root.describe() + " records " + stripeCount +
                " stripes, which its length of " + root.length() + " bytes does not hold");
        }
        this.heap = new Heap(root);
        this.stripes = new Stripe[stripeCount];
        final WaitStrategy strategy = WaitStrategy.defaultStrategy();
        for (int i = 0; i < stripeCount; i++)
        {
            stripes[i] = new Stripe(root, heap, i, strategy);
        }
    }

    /**
     * The container named {@code name}: created with {@code options} if {@code create} or if it
     * does not exist, else opened and checked against them (when given).
     */
    static Container find(final Segment segment, final String name, final ObjectType type, final boolean create,
        final MapOptions options)
    {
        final Consumer<SharedObject> initializer = created ->
        {
            final AtomicBuffer buffer = created.buffer();
            buffer.putInt(SharedObject.DATA_OFFSET + STRIPES_OFFSET, options.stripes());
            buffer.putInt(SharedObject.DATA_OFFSET + MAX_KEY_LENGTH_OFFSET, options.maxKeyLength());
            buffer.putInt(SharedObject.DATA_OFFSET + MAX_VALUE_LENGTH_OFFSET, options.maxValueLength());
            buffer.putInt(SharedObject.DATA_OFFSET + INITIAL_SLOTS_OFFSET, 1 << options.initialLog2Slots());
            Heap.initialize(buffer, options.firstExtentLength());
        };
        // The extents' names must fit too: refuse a name without room for them before making anything.
        io.shm.segment.Companion.EXTENT.of(segment.name(), name, MAX_EXTENTS - 1);
        final long length = rootLength(options.stripes());
        SharedObject root;
        try
        {
            root = create ? segment.createObject(name, type, length, initializer) : segment.object(name, type, length, initializer);
        }
        catch (final LengthMismatchException ex)
        {
            // Its length follows from its stripes: say that it is the stripes that differ.
            root = segment.openObject(name, type);
        }
        final Container container = new Container(root);
        final String what = root.describe();
        ParameterMismatchException.check(what, "stripes", container.stripes.length, options.stripes());
        ParameterMismatchException.check(what, "max key length", container.maxKeyLength, options.maxKeyLength());
        ParameterMismatchException.check(what, "max value length", container.maxValueLength, options.maxValueLength());
        return container;
    }

    /**
     * An existing container, with whatever parameters it has.
     */
    static Container open(final Segment segment, final String name, final ObjectType type)
    {
        return new Container(segment.openObject(name, type));
    }

    String describe()
    {
        return root.describe();
    }
}
