package io.shm.test;

import io.shm.segment.Segment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A test that works in one fresh segment of its own, in a private directory removed with it.
 */
public abstract class SegmentTestCase
{
    protected TestSegments segments;
    protected Segment segment;

    @BeforeEach
    void createTestSegment()
    {
        segments = new TestSegments();
        segment = Segment.create(segments.name(getClass().getSimpleName()), segments.options());
    }

    @AfterEach
    void removeTestSegment()
    {
        segment.close();
        segments.close();
    }
}
