package io.shm.examples;

import io.shm.process.JvmProcess;
import io.shm.segment.Segment;
import io.shm.sync.ShmEvent;

/**
 * The tutorial's event: a child process waits on an event; the parent sets it 5 times, and the
 * child clears it after each, acknowledging through a second event.
 */
public final class EventExample
{
    static final int TIMES = 5;

    private EventExample()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length > 0)
        {
            try (Segment segment = Example.openSegment(args[0]))
            {
                final ShmEvent event = ShmEvent.openOrCreate(segment, "event");
                final ShmEvent cleared = ShmEvent.openOrCreate(segment, "cleared");
                for (int i = 1; i <= TIMES; i++)
                {
                    event.await();
                    System.out.println("child saw the event set (" + i + "), clearing it");
                    event.clear();
                    cleared.set();
                }
            }
            return;
        }
        final Segment segment = Example.newSegment("event");
        try
        {
            final ShmEvent event = ShmEvent.openOrCreate(segment, "event");
            final ShmEvent cleared = ShmEvent.openOrCreate(segment, "cleared");
            final JvmProcess child = Example.start(EventExample.class, segment.name());
            for (int i = 1; i <= TIMES; i++)
            {
                cleared.clear();
                System.out.println("parent sets the event (" + i + ")");
                event.set();
                cleared.await();
            }
            Example.join(child);
            System.out.println("event is " + (event.isSet() ? "set" : "clear"));
        }
        finally
        {
            Example.remove(segment);
        }
    }
}
