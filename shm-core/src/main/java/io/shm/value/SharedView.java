package io.shm.value;

import io.shm.segment.Segment;
import io.shm.segment.Shared;
import io.shm.segment.SharedObject;

/**
 * A typed view of a named object: what every value and array has in common.
 */
public abstract class SharedView implements Shared
{
    /**
     * The object this view reads and writes.
     */
    protected final SharedObject object;

    SharedView(final SharedObject object)
    {
        this.object = object;
    }

    /**
     * @return the object's name in its segment.
     */
    public final String name()
    {
        return object.name();
    }

    /**
     * @return the segment holding the object.
     */
    public final Segment segment()
    {
        return object.segment();
    }

    /**
     * @return the underlying object: its type, length and memory.
     */
    @Override
    public final SharedObject object()
    {
        return object;
    }

    /**
     * @throws IllegalStateException if the segment has been closed.
     */
    protected final void checkOpen()
    {
        object.checkOpen();
    }
}
