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
    static final ObjectType SEMAPHORE = ObjectType.of(TypeId.SEMAPHORE, "Semaphore", SemaphoreDescriptor.LENGTH);
    static final ObjectType BOUNDED_SEMAPHORE = ObjectType.of(TypeId.BOUNDED_SEMAPHORE, "BoundedSemaphore", SemaphoreDescriptor.LENGTH);
    static final ObjectType EVENT = ObjectType.of(TypeId.EVENT, "Event", EventDescriptor.LENGTH);
    static final ObjectType CONDITION = ObjectType.of(TypeId.CONDITION, "Condition", ConditionDescriptor.LENGTH);
    static final ObjectType BARRIER = ObjectType.of(TypeId.BARRIER, "Barrier", BarrierDescriptor.SLOT_LENGTH);

    private SyncTypes()
    {
    }
}
