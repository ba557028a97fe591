package io.shm.sync;

import io.shm.segment.ObjectType;
import io.shm.segment.TypeId;

/**
 * The object types of the synchronizers, as recorded in a segment (ids 100&ndash;199).
 */
final class SyncTypes
{
    static final ObjectType LOCK = ObjectType.of(TypeId.LOCK, "Lock", LockDescriptor.LENGTH);
    static final ObjectType REENTRANT_LOCK = ObjectType.of(TypeId.REENTRANT_LOCK, "ReentrantLock", LockDescriptor.LENGTH);
    // Layout 2: the initial permits are recorded.
    static final ObjectType SEMAPHORE = new ObjectType(TypeId.SEMAPHORE.id(), "Semaphore", SemaphoreDescriptor.LENGTH, 2);
    static final ObjectType BOUNDED_SEMAPHORE =
        new ObjectType(TypeId.BOUNDED_SEMAPHORE.id(), "BoundedSemaphore", SemaphoreDescriptor.LENGTH, 2);
    static final ObjectType EVENT = ObjectType.of(TypeId.EVENT, "Event", EventDescriptor.LENGTH);
    static final ObjectType CONDITION = ObjectType.of(TypeId.CONDITION, "Condition", ConditionDescriptor.LENGTH);
    static final ObjectType BARRIER = ObjectType.of(TypeId.BARRIER, "Barrier", BarrierDescriptor.SLOT_LENGTH);

    private SyncTypes()
    {
    }
}
