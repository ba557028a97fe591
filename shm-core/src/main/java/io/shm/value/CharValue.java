package io.shm.value;

import io.shm.segment.ObjectType;
import io.shm.segment.TypeIds;
import io.shm.segment.Segment;
import io.shm.segment.SharedObject;
import org.agrona.concurrent.AtomicBuffer;

import java.lang.invoke.VarHandle;
import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;

/**
 * A {@code char} in shared memory: Python's {@code RawValue('u')}, with the API of
 * {@link java.util.concurrent.atomic.AtomicLong}. Open it by name from any process that opens the
 * segment; every process sees the same char.
 * <pre>{@code
 * CharValue value = CharValue.openOrCreate(segment, "hits");
 * value.set((char)1);
 * }</pre>
 * <b>Memory consistency effects across processes</b> are those of the method's name: {@code get}
 * and {@code set} are volatile, {@code getAcquire}/{@code setRelease} pair up, the plain forms
 * order nothing. A write that another process observes through a volatile or acquire read makes
 * visible everything the writer did before it, as within one JVM.
 * <p>
 * The hardware has no 16-bit compare-and-set here, so atomic updates run compare-and-set on
 * the aligned 32-bit word that holds the char, leaving its neighbours as they are.
 * <p>
 * Using the value after its segment is closed throws {@link IllegalStateException}.
 */
public final class CharValue extends SharedView
{
    /**
     * The type recorded in the segment for this kind of object.
     */
    public static final ObjectType TYPE = ObjectType.of(TypeIds.CHAR_VALUE, "CharValue", Character.BYTES);

    private static final int INDEX = SharedObject.DATA_OFFSET;

    private final AtomicBuffer buffer;

    private CharValue(final SharedObject object)
    {
        super(object);
        this.buffer = object.buffer();
    }

    /**
     * Opens the value, or creates it holding {@code initial} if the segment has none of that name.
     *
     * @param segment the segment.
     * @param name    the object name.
     * @param initial the value a new object starts with; ignored when the object exists.
     * @return the value.
     */
    public static CharValue openOrCreate(final Segment segment, final String name, final char initial)
    {
        return new CharValue(segment.object(name, TYPE, 1, object -> new CharValue(object).setPlain(initial)));
    }

    /**
     * Opens the value, or creates it holding the character 0 if the segment has none of that name.
     *
     * @param segment the segment.
     * @param name    the object name.
     * @return the value.
     */
    public static CharValue openOrCreate(final Segment segment, final String name)
    {
        return openOrCreate(segment, name, '\0');
    }

    /**
     * Opens an existing value.
     *
     * @param segment the segment.
     * @param name    the object name.
     * @return the value.
     * @throws io.shm.exceptions.UnknownObjectException if there is none of that name.
     * @throws io.shm.exceptions.TypeMismatchException  if the object has another type.
     */
    public static CharValue open(final Segment segment, final String name)
    {
        return new CharValue(segment.openObject(name, TYPE));
    }

    /**
     * Reads the value with volatile semantics.
     */
    public char get()
    {
        checkOpen();
        return buffer.getCharVolatile(INDEX);
    }

    /**
     * Writes the value with volatile semantics.
     */
    public void set(final char newValue)
    {
        checkOpen();
        buffer.putCharVolatile(INDEX, newValue);
    }

    /**
     * Reads the value with no ordering (plain).
     */
    public char getPlain()
    {
        checkOpen();
        return buffer.getChar(INDEX);
    }

    /**
     * Writes the value with no ordering (plain).
     */
    public void setPlain(final char newValue)
    {
        checkOpen();
        buffer.putChar(INDEX, newValue);
    }

    /**
     * Reads the value with acquire semantics (pairs with {@code setRelease}).
     */
    public char getAcquire()
    {
        checkOpen();
        final char value = buffer.getChar(INDEX);
        VarHandle.acquireFence();
        return value;
    }

    /**
     * Writes the value with release semantics (pairs with {@code getAcquire}).
     */
    public void setRelease(final char newValue)
    {
        checkOpen();
        VarHandle.releaseFence();
        buffer.putChar(INDEX, newValue);
    }

    /**
     * Reads the value with opaque semantics (volatile for sub-word types, which is stronger).
     */
    public char getOpaque()
    {
        checkOpen();
        return buffer.getCharVolatile(INDEX);
    }

    /**
     * Writes the value with opaque semantics (volatile for sub-word types, which is stronger).
     */
    public void setOpaque(final char newValue)
    {
        checkOpen();
        buffer.putCharVolatile(INDEX, newValue);
    }

    /**
     * Atomically sets the value to {@code newValue} if it equals {@code expectedValue}, with volatile semantics.
     *
     * @return whether it was set.
     */
    public boolean compareAndSet(final char expectedValue, final char newValue)
    {
        checkOpen();
        return SubWord.compareAndSet(buffer, INDEX, 2, expectedValue, newValue);
    }

    /**
     * Atomically sets the value and returns the previous value.
     */
    public char getAndSet(final char newValue)
    {
        checkOpen();
        return (char)SubWord.getAndSet(buffer, INDEX, 2, newValue);
    }

    /**
     * Atomically replaces the value with {@code function} of it, retrying while other writers interfere; the function must be free of side effects.
     *
     * @return the previous value.
     */
    public char getAndUpdate(final IntUnaryOperator function)
    {
        while (true)
        {
            final char previous = get();
            final char next = (char)function.applyAsInt(previous);
            if (compareAndSet(previous, next))
            {
                return previous;
            }
        }
    }

    /**
     * Atomically replaces the value with {@code function} of it, retrying while other writers interfere; the function must be free of side effects.
     *
     * @return the new value.
     */
    public char updateAndGet(final IntUnaryOperator function)
    {
        while (true)
        {
            final char previous = get();
            final char next = (char)function.applyAsInt(previous);
            if (compareAndSet(previous, next))
            {
                return next;
            }
        }
    }

    /**
     * Atomically replaces the value with {@code function(value, x)}, retrying while other writers interfere.
     *
     * @return the previous value.
     */
    public char getAndAccumulate(final char x, final IntBinaryOperator function)
    {
        while (true)
        {
            final char previous = get();
            final char next = (char)function.applyAsInt(previous, x);
            if (compareAndSet(previous, next))
            {
                return previous;
            }
        }
    }

    /**
     * Atomically replaces the value with {@code function(value, x)}, retrying while other writers interfere.
     *
     * @return the new value.
     */
    public char accumulateAndGet(final char x, final IntBinaryOperator function)
    {
        while (true)
        {
            final char previous = get();
            final char next = (char)function.applyAsInt(previous, x);
            if (compareAndSet(previous, next))
            {
                return next;
            }
        }
    }

    @Override
    public String toString()
    {
        return object.isOpen() ? String.valueOf(get()) : "CharValue '" + name() + "' (closed)";
    }
}
