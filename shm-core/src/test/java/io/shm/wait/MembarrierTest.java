package io.shm.wait;

import io.shm.wait.linux.Membarrier;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class MembarrierTest
{
    @Test
    void registersOnceAndSendsBarriers()
    {
        assumeTrue(Membarrier.isAvailable(), "this kernel has no expedited global membarrier");
        assertTrue(Membarrier.registerThisProcess());
        assertTrue(Membarrier.registerThisProcess(), "a second registration gives the first one's answer");
        final long before = Membarrier.fenceCalls();
        assertTrue(Membarrier.fenceAll());
        assertTrue(Membarrier.fenceAll());
        assertEquals(before + 2, Membarrier.fenceCalls());
    }
}
