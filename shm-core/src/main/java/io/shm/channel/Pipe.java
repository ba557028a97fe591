package io.shm.channel;

import io.shm.segment.Companion;
import io.shm.segment.ObjectHandle;
import io.shm.segment.Segment;
import io.shm.wait.WaitStrategy;

/**
 * A pipe between two processes: Python's {@code multiprocessing.Pipe()}, made of two channels (one
 * for a one-way pipe). Each process connects to the pipe by name and takes one {@link End}.
 * <pre>{@code
 * // process A                                          // process B
 * Connection a = Pipe.connect(segment, "p", End.FIRST);  Connection b = Pipe.connect(segment, "p", End.SECOND);
 * a.sendString("ping");                                  String s = b.receiveString();
 * }</pre>
 * A duplex pipe carries messages both ways; a one-way pipe ({@code duplex = false}) lets
 * {@link End#FIRST} only receive and {@link End#SECOND} only send, as Python's
 * {@code Pipe(duplex=False)} returns {@code (reader, writer)}. The channels are the objects
 * {@code <name>.1to2} (first to second, duplex only) and {@code <name>.2to1}.
 */
public final class Pipe
{
    /**
     * The two ends of a pipe.
     */
    public enum End
    {
        FIRST,
        SECOND
    }

    private Pipe()
    {
    }

    /**
     * Connects to a pipe that exists (created by a {@code connect} of another process), duplex or
     * one-way as it was created.
     *
     * @param segment the segment.
     * @param name    the pipe's name.
     * @param end     which end this process takes.
     * @return the connection.
     * @throws io.shm.exceptions.UnknownObjectException if there is no such pipe.
     */
    public static Connection open(final Segment segment, final String name, final End end)
    {
        return open(segment, name, end, WaitStrategy.defaultStrategy());
    }

    /**
     * As {@link #open(Segment, String, End)}, both directions waiting with {@code strategy} (its
     * slice is how often a wait looks whether the other end's process died).
     *
     * @param segment  the segment.
     * @param name     the pipe's name.
     * @param end      which end this process takes.
     * @param strategy how the receive and the send wait.
     * @return the connection.
     */
    public static Connection open(final Segment segment, final String name, final End end, final WaitStrategy strategy)
    {
        final Channel twoToOne = Channel.open(segment, Companion.TWO_TO_ONE.of(segment.name(), name));
        final String description = description(name, end);
        final String oneToTwoName = Companion.ONE_TO_TWO.of(segment.name(), name);
        if (!segment.contains(oneToTwoName))
        {
            return end == End.FIRST ? new Connection(description, null, twoToOne.receiver(strategy), strategy) :
                new Connection(description, twoToOne, null, strategy);
        }
        final Channel oneToTwo = Channel.open(segment, oneToTwoName);
        return end == End.FIRST ? new Connection(description, oneToTwo, twoToOne.receiver(strategy), strategy) :
            new Connection(description, twoToOne, oneToTwo.receiver(strategy), strategy);
    }

    /**
     * The handle of one end of an existing pipe, to give to another process (a process target's
     * argument), which opens it as a {@link Connection}: Python's passing of {@code child_conn}
     * to a child.
     *
     * @param segment the segment.
     * @param name    the pipe's name.
     * @param end     the end the other process takes.
     * @return the handle.
     */
    public static ObjectHandle handle(final Segment segment, final String name, final End end)
    {
        Channel.open(segment, Companion.TWO_TO_ONE.of(segment.name(), name));
        return ObjectHandle.of(segment, name, end.name());
    }

    private static String description(final String name, final End end)
    {
        return (end == End.FIRST ? "first" : "second") + " end of pipe '" + name + "'";
    }

    /**
     * Connects to a duplex pipe with default channel options, creating it if needed.
     *
     * @param segment the segment.
     * @param name    the pipe's name.
     * @param end     which end this process takes.
     * @return the connection.
     */
    public static Connection connect(final Segment segment, final String name, final End end)
    {
        return connect(segment, name, end, true, ChannelOptions.defaults());
    }

    /**
     * Connects to a pipe, creating it if needed.
     *
     * @param segment the segment.
     * @param name    the pipe's name.
     * @param end     which end this process takes.
     * @param duplex  whether messages go both ways.
     * @param options the options of its channels.
     * @return the connection.
     */
    public static Connection connect(
        final Segment segment, final String name, final End end, final boolean duplex, final ChannelOptions options)
    {
        final Channel twoToOne = Channel.openOrCreate(segment, Companion.TWO_TO_ONE.of(segment.name(), name), options.withMultiProducer(false));
        final String description = description(name, end);
        if (!duplex)
        {
            return end == End.FIRST ?
                new Connection(description, null, twoToOne.receiver()) :
                new Connection(description, twoToOne, null);
        }
        final Channel oneToTwo = Channel.openOrCreate(segment, Companion.ONE_TO_TWO.of(segment.name(), name), options.withMultiProducer(false));
        final Channel out = end == End.FIRST ? oneToTwo : twoToOne;
        final Channel in = end == End.FIRST ? twoToOne : oneToTwo;
        return new Connection(description, out, in.receiver());
    }
}
