package io.shm.test;

import io.shm.segment.Segment;
import io.shm.segment.SegmentOptions;
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
        segment = Segment.create(segments.name(getClass().getSimpleName()), options(segments.options()));
    }

    /**
     * @return the options of the test's segment: by default, those given.
     */
    protected SegmentOptions options(final SegmentOptions defaults)
    {
        return defaults;
    }

    @AfterEach
    void removeTestSegment()
    {
        segment.close();
        segments.close();
    }
}
