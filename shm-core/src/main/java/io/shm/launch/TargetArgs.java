package io.shm.launch;

import io.shm.channel.Connection;
import io.shm.channel.Pipe;
import io.shm.codec.Codec;
import io.shm.segment.ObjectHandle;
import io.shm.segment.Segment;
import io.shm.wait.WaitStrategy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The arguments a {@link ProcessTarget} receives: shared objects, reopened by
 * {@link #open(int, Class, Object...)}, and plain values. Each travels as one word of text on the
 * child's command line: a shared object as its {@link ObjectHandle} (its address, never its
 * contents), a value by a one-letter kind and its text, strings and bytes in URL-safe Base64.
 * Nothing is deserialized: a value is parsed as its kind says, an object is opened with every
 * check of an ordinary open.
 * <p>
 * The segments opened for handles stay open while the target runs and are closed after.
 */
public final class TargetArgs implements AutoCloseable
{
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final String[] words;
    private final Map<Path, Segment> segments = new LinkedHashMap<>();

    TargetArgs(final String[] words)
    {
        this.words = words.clone();
    }

    /**
     * @return the number of arguments.
     */
    public int size()
    {
        return words.length;
    }

    /**
     * Opens the shared object that argument {@code index} names, as {@code type}: by its static
     * {@code open(Segment, String, extra...)} method, which every object type has (a queue takes
     * its codec as the extra argument: {@code args.open(0, ShmQueue.class, Codecs.STRING)}).
     *
     * @param index the argument.
     * @param type  the object's class.
     * @param extra what the type's {@code open} takes after the segment and the name.
     * @return the object.
     * @throws IllegalArgumentException if the argument is not a shared object, or {@code type}
     *                                  has no such {@code open} method.
     * @throws io.shm.exceptions.TypeMismatchException if the object is of another type.
     */
    public <T> T open(final int index, final Class<T> type, final Object... extra)
    {
        final ObjectHandle handle = handle(index);
        final Segment segment = segment(index);
        if (type == Connection.class)
        {
            // A pipe's end takes one extra: how it waits.
            final WaitStrategy strategy = extra.length == 0 ? WaitStrategy.defaultStrategy() :
                extra.length == 1 && extra[0] instanceof WaitStrategy given ? given : null;
            if (strategy == null)
            {
                throw new IllegalArgumentException("a pipe's end opens with a WaitStrategy or nothing, not " +
                    List.of(extra));
            }
            return type.cast(Pipe.open(segment, handle.name(), Pipe.End.valueOf(handle.variant()), strategy));
        }
        final List<Object> arguments = new ArrayList<>(List.of(segment, handle.name()));
        arguments.addAll(List.of(extra));
        final Method open = openMethod(type, arguments);
        try
        {
            return type.cast(open.invoke(null, arguments.toArray()));
        }
        catch (final InvocationTargetException ex)
        {
            if (ex.getCause() instanceof RuntimeException runtime)
            {
                throw runtime;
            }
            throw new IllegalStateException("cannot open " + handle + " as " + type.getSimpleName(), ex.getCause());
        }
        catch (final IllegalAccessException ex)
        {
            throw new IllegalArgumentException(type.getName() + ".open is not accessible", ex);
        }
    }

    /**
     * @return the segment of the shared object that argument {@code index} names, opened once and
     *         closed when the target ends: for opening the object with a factory of one's own.
     */
    public Segment segment(final int index)
    {
        final ObjectHandle handle = handle(index);
        return segments.computeIfAbsent(handle.directory().resolve(handle.segment()),
            path -> Segment.open(handle.segment(), handle.segmentOptions()));
    }

    /**
     * @return the handle that argument {@code index} holds.
     * @throws IllegalArgumentException if it holds a plain value.
     */
    public ObjectHandle handle(final int index)
    {
        final String word = word(index);
        if (!ObjectHandle.isHandle(word))
        {
            throw new IllegalArgumentException("argument " + index + " is a value, not a shared object");
        }
        return ObjectHandle.decode(word);
    }

    public String getString(final int index)
    {
        return new String(DECODER.decode(value(index, 's')), StandardCharsets.UTF_8);
    }

    public int getInt(final int index)
    {
        return Integer.parseInt(value(index, 'i'));
    }

    public long getLong(final int index)
    {
        return Long.parseLong(value(index, 'j'));
    }

    public double getDouble(final int index)
    {
        return Double.longBitsToDouble(Long.parseLong(value(index, 'd')));
    }

    public boolean getBoolean(final int index)
    {
        return Boolean.parseBoolean(value(index, 'z'));
    }

    public byte[] getBytes(final int index)
    {
        return DECODER.decode(value(index, 'b'));
    }

    /**
     * @return argument {@code index}, bytes the parent encoded with {@code codec}, decoded.
     */
    public <T> T get(final int index, final Codec<T> codec)
    {
        return codec.decode(getBytes(index));
    }

    /**
     * Closes the segments opened for handles.
     */
    @Override
    public void close()
    {
        segments.values().forEach(Segment::close);
        segments.clear();
    }

    /**
     * @return {@code value} as one word: a kind letter, a colon, its text.
     * @throws IllegalArgumentException if it is of no kind a target argument can be.
     */
    static String encodeValue(final Object value)
    {
        if (value instanceof String text)
        {
            return "s:" + ENCODER.encodeToString(text.getBytes(StandardCharsets.UTF_8));
        }
        if (value instanceof Integer number)
        {
            return "i:" + number;
        }
        if (value instanceof Long number)
        {
            return "j:" + number;
        }
        if (value instanceof Double number)
        {
            return "d:" + Double.doubleToRawLongBits(number);
        }
        if (value instanceof Boolean flag)
        {
            return "z:" + flag;
        }
        if (value instanceof byte[] bytes)
        {
            return "b:" + ENCODER.encodeToString(bytes);
        }
        throw new IllegalArgumentException("a " + (value == null ? "null" : value.getClass().getName()) +
            " cannot be a process argument: pass a shared object, a String, Integer, Long, Double, Boolean, or " +
            "byte[] (encode anything else with a Codec)");
    }

    private String word(final int index)
    {
        if (index < 0 || index >= words.length)
        {
            throw new IndexOutOfBoundsException("argument " + index + " of " + words.length);
        }
        return words[index];
    }

    private String value(final int index, final char kind)
    {
        final String word = word(index);
        if (word.length() < 2 || word.charAt(0) != kind || word.charAt(1) != ':')
        {
            throw new IllegalArgumentException("argument " + index + " is " + describe(word) + ", not " + kindName(kind));
        }
        return word.substring(2);
    }

    private static String describe(final String word)
    {
        return ObjectHandle.isHandle(word) ? "a shared object" : word.length() > 1 && word.charAt(1) == ':' ?
            kindName(word.charAt(0)) : "unreadable";
    }

    private static String kindName(final char kind)
    {
        return switch (kind)
        {
            case 's' -> "a String";
            case 'i' -> "an int";
            case 'j' -> "a long";
            case 'd' -> "a double";
            case 'z' -> "a boolean";
            case 'b' -> "bytes";
            default -> "unknown";
        };
    }

    private static Method openMethod(final Class<?> type, final List<Object> arguments)
    {
        for (final Method method : type.getMethods())
        {
            if (method.getName().equals("open") && Modifier.isStatic(method.getModifiers()) &&
                type.isAssignableFrom(method.getReturnType()) && accepts(method.getParameterTypes(), arguments))
            {
                return method;
            }
        }
        throw new IllegalArgumentException(type.getName() + " has no static open(Segment, String" +
            (arguments.size() > 2 ? ", ..." : "") + ") taking " + (arguments.size() - 2) + " more argument(s)");
    }

    private static boolean accepts(final Class<?>[] parameters, final List<Object> arguments)
    {
        if (parameters.length != arguments.size())
        {
            return false;
        }
        for (int i = 0; i < parameters.length; i++)
        {
            if (!box(parameters[i]).isInstance(arguments.get(i)))
            {
                return false;
            }
        }
        return true;
    }

    private static Class<?> box(final Class<?> type)
    {
        if (!type.isPrimitive())
        {
            return type;
        }
        return type == int.class ? Integer.class : type == long.class ? Long.class : type == boolean.class ?
            Boolean.class : type == double.class ? Double.class : Object.class;
    }
}
