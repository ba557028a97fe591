package io.shm.segment;

/**
 * A named object in a segment, as every object type of the library is. Its {@link #handle()}
 * names it to another process, which reopens it by that handle (a child started with a process
 * target receives handles as arguments, as Python's {@code Process(target=f, args=(q,))} hands
 * shared objects to a child).
 */
public interface Shared
{
    /**
     * @return the object in its segment.
     */
    SharedObject object();

    /**
     * @return what another process needs to open this object: its segment's directory and name,
     *         and its own name.
     */
    default ObjectHandle handle()
    {
        final SharedObject object = object();
        return ObjectHandle.of(object.segment(), object.name(), "");
    }
}
