package io.shm.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * A codec derived from a record class, for records whose components are primitives, their boxes,
 * {@code String}, {@code byte[]}, or records of those. The class is examined once, when the
 * codec is made: its accessors and canonical constructor become method handles, and encoding
 * then writes each component in order (big-endian, a presence byte before each reference, a
 * length before each string and array) with no reflection and no Java serialization. Decoding
 * builds the record through its constructor, so its checks run on bytes from other processes.
 *
 * @param <R> the record type.
 */
final class RecordCodec<R extends Record> implements Codec<R>
{
    private static final Map<Class<?>, Class<?>> BOXES = Map.of(boolean.class, Boolean.class, byte.class, Byte.class,
        short.class, Short.class, char.class, Character.class, int.class, Integer.class, long.class, Long.class,
        float.class, Float.class, double.class, Double.class);

    private final Class<R> type;
    private final Class<?>[] types;
    private final MethodHandle[] accessors;
    private final MethodHandle constructor;
    private final RecordCodec<?>[] nested;

    RecordCodec(final Class<R> type)
    {
        if (!type.isRecord())
        {
            throw new IllegalArgumentException(type.getName() + " is not a record");
        }
        this.type = type;
        final RecordComponent[] components = type.getRecordComponents();
        this.types = new Class<?>[components.length];
        this.accessors = new MethodHandle[components.length];
        this.nested = new RecordCodec<?>[components.length];
        final MethodHandles.Lookup lookup = MethodHandles.lookup();
        try
        {
            for (int i = 0; i < components.length; i++)
            {
                types[i] = components[i].getType();
                checkSupported(type, components[i]);
                final Method accessor = components[i].getAccessor();
                accessor.setAccessible(true);
                accessors[i] = lookup.unreflect(accessor);
                if (types[i].isRecord())
                {
                    nested[i] = new RecordCodec<>(types[i].asSubclass(Record.class));
                }
            }
            final Constructor<R> canonical = type.getDeclaredConstructor(types);
            canonical.setAccessible(true);
            this.constructor = lookup.unreflectConstructor(canonical);
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            throw new IllegalArgumentException("cannot derive a codec for " + type.getName() + ": " + ex.getMessage(), ex);
        }
    }

    private static void checkSupported(final Class<?> record, final RecordComponent component)
    {
        final Class<?> t = component.getType();
        if (!(t.isPrimitive() || BOXES.containsValue(t) || t == String.class || t == byte[].class || t.isRecord()))
        {
            throw new IllegalArgumentException("component '" + component.getName() + "' of " + record.getName() +
                " is a " + t.getName() + ": a record codec takes primitives, their boxes, String, byte[] and records");
        }
    }

    @Override
    public byte[] encode(final R item)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            write(out, item);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }

    @Override
    public R decode(final byte[] bytes)
    {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes)))
        {
            final R item = read(in);
            if (in.available() != 0)
            {
                throw new IllegalArgumentException(in.available() + " bytes left after a " + type.getSimpleName());
            }
            return item;
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("bytes that are not a " + type.getSimpleName() + ": " + ex, ex);
        }
    }

    private void write(final DataOutputStream out, final R item) throws IOException
    {
        for (int i = 0; i < types.length; i++)
        {
            final Object value;
            try
            {
                value = accessors[i].invoke(item);
            }
            catch (final Throwable ex)
            {
                throw new IllegalStateException("cannot read a component of " + item, ex);
            }
            writeValue(out, i, value);
        }
    }

    @SuppressWarnings("unchecked")
    private void writeValue(final DataOutputStream out, final int i, final Object value) throws IOException
    {
        final Class<?> t = types[i];
        if (!t.isPrimitive())
        {
            out.writeBoolean(value != null);
            if (value == null)
            {
                return;
            }
        }
        if (t == String.class)
        {
            final byte[] utf8 = ((String)value).getBytes(StandardCharsets.UTF_8);
            out.writeInt(utf8.length);
            out.write(utf8);
        }
        else if (t == byte[].class)
        {
            out.writeInt(((byte[])value).length);
            out.write((byte[])value);
        }
        else if (t.isRecord())
        {
            ((RecordCodec<Record>)nested[i]).write(out, (Record)value);
        }
        else
        {
            writePrimitive(out, BOXES.getOrDefault(t, t), value);
        }
    }

    private static void writePrimitive(final DataOutputStream out, final Class<?> box, final Object value)
        throws IOException
    {
        if (box == Boolean.class)
        {
            out.writeBoolean((Boolean)value);
        }
        else if (box == Byte.class)
        {
            out.writeByte((Byte)value);
        }
        else if (box == Short.class)
        {
            out.writeShort((Short)value);
        }
        else if (box == Character.class)
        {
            out.writeChar((Character)value);
        }
        else if (box == Integer.class)
        {
            out.writeInt((Integer)value);
        }
        else if (box == Long.class)
        {
            out.writeLong((Long)value);
        }
        else if (box == Float.class)
        {
            out.writeFloat((Float)value);
        }
        else
        {
            out.writeDouble((Double)value);
        }
    }

    private R read(final DataInputStream in) throws IOException
    {
        final Object[] values = new Object[types.length];
        for (int i = 0; i < types.length; i++)
        {
            values[i] = readValue(in, i);
        }
        try
        {
            return type.cast(constructor.invokeWithArguments(values));
        }
        catch (final RuntimeException ex)
        {
            throw ex;
        }
        catch (final Throwable ex)
        {
            throw new IllegalArgumentException("cannot build a " + type.getSimpleName() + " from " + Arrays.toString(values), ex);
        }
    }

    private Object readValue(final DataInputStream in, final int i) throws IOException
    {
        final Class<?> t = types[i];
        if (!t.isPrimitive() && !in.readBoolean())
        {
            return null;
        }
        if (t == String.class)
        {
            return new String(readLengthPrefixed(in), StandardCharsets.UTF_8);
        }
        if (t == byte[].class)
        {
            return readLengthPrefixed(in);
        }
        if (t.isRecord())
        {
            return nested[i].read(in);
        }
        final Class<?> box = BOXES.getOrDefault(t, t);
        if (box == Boolean.class)
        {
            return in.readBoolean();
        }
        if (box == Byte.class)
        {
            return in.readByte();
        }
        if (box == Short.class)
        {
            return in.readShort();
        }
        if (box == Character.class)
        {
            return in.readChar();
        }
        if (box == Integer.class)
        {
            return in.readInt();
        }
        if (box == Long.class)
        {
            return in.readLong();
        }
        return box == Float.class ? (Object)in.readFloat() : (Object)in.readDouble();
    }

    private static byte[] readLengthPrefixed(final DataInputStream in) throws IOException
    {
        final int length = in.readInt();
        if (length < 0 || length > in.available())
        {
            throw new IOException("a length of " + length + " with " + in.available() + " bytes left");
        }
        return in.readNBytes(length);
    }
}
