package io.shm.sync;

import io.shm.segment.ObjectType;

/**
 * The object types of the synchronizers, as recorded in a segment (ids 100&ndash;199).
 */
final class SyncTypes
{
    static final ObjectType LOCK = ObjectType.of(100, "Lock", LockDescriptor.LENGTH);
    static final ObjectType REENTRANT_LOCK = ObjectType.of(101, "ReentrantLock", LockDescriptor.LENGTH);
    static final ObjectType SEMAPHORE = ObjectType.of(102, "Semaphore", SemaphoreDescriptor.LENGTH);
    static final ObjectType BOUNDED_SEMAPHORE = ObjectType.of(103, "BoundedSemaphore", SemaphoreDescriptor.LENGTH);
    static final ObjectType EVENT = ObjectType.of(104, "Event", EventDescriptor.LENGTH);
    static final ObjectType CONDITION = ObjectType.of(105, "Condition", ConditionDescriptor.LENGTH);
    static final ObjectType BARRIER = ObjectType.of(106, "Barrier", BarrierDescriptor.SLOT_LENGTH);

    private SyncTypes()
    {
    }
}
