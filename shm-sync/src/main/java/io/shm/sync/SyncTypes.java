package io.shm.sync;

import io.shm.segment.ObjectType;
import io.shm.segment.TypeIds;

/**
 * The object types of the synchronizers, as recorded in a segment (ids 100&ndash;199).
 */
final class SyncTypes
{
    static final ObjectType LOCK = ObjectType.of(TypeIds.LOCK, "Lock", LockDescriptor.LENGTH);
    static final ObjectType REENTRANT_LOCK = ObjectType.of(TypeIds.REENTRANT_LOCK, "ReentrantLock", LockDescriptor.LENGTH);
    static final ObjectType SEMAPHORE = ObjectType.of(TypeIds.SEMAPHORE, "Semaphore", SemaphoreDescriptor.LENGTH);
    static final ObjectType BOUNDED_SEMAPHORE = ObjectType.of(TypeIds.BOUNDED_SEMAPHORE, "BoundedSemaphore", SemaphoreDescriptor.LENGTH);
    static final ObjectType EVENT = ObjectType.of(TypeIds.EVENT, "Event", EventDescriptor.LENGTH);
    static final ObjectType CONDITION = ObjectType.of(TypeIds.CONDITION, "Condition", ConditionDescriptor.LENGTH);
    static final ObjectType BARRIER = ObjectType.of(TypeIds.BARRIER, "Barrier", BarrierDescriptor.SLOT_LENGTH);

    private SyncTypes()
    {
    }
}
