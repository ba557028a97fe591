package io.shm.examples;

import io.shm.channel.Connection;
import io.shm.channel.Pipe;
import io.shm.launch.ProcessTarget;
import io.shm.launch.TargetArgs;
import io.shm.process.JvmProcess;
import io.shm.segment.Segment;

/**
 * The tutorial's simplest duplex pipe: the child, given one end, sends "hello world" and prints
 * what comes back; the parent, on the other end, prints what it received and answers "hi son".
 */
public final class PipeHelloExample
{
    private PipeHelloExample()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Segment segment = Example.newSegment("pipe-hello");
        try (Connection conn2 = Pipe.connect(segment, "pipe", Pipe.End.FIRST))
        {
            try (JvmProcess child = ProcessTarget.start(Foo.class, Pipe.handle(segment, "pipe", Pipe.End.SECOND)))
            {
                System.out.println("parent received: " + conn2.receiveString());
                conn2.sendString("hi son");
                Example.join(child);
            }
        }
        finally
        {
            Example.remove(segment);
        }
    }

    /**
     * Sends "hello world", then prints the answer.
     */
    public static final class Foo implements ProcessTarget
    {
        @Override
        public void run(final TargetArgs args) throws Exception
        {
            try (Connection sk = args.open(0, Connection.class))
            {
                sk.sendString("hello world");
                System.out.println("child received: " + sk.receiveString());
            }
        }
    }
}
