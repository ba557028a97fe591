package io.shm.collections;

import io.shm.codec.Codec;
import io.shm.codec.Codecs;
import io.shm.exceptions.TypeMismatchException;
import io.shm.segment.ObjectType;
import io.shm.segment.Segment;
import io.shm.segment.Shared;
import io.shm.segment.SharedObject;
import io.shm.segment.TypeId;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;

/**
 * Named, typed fields shared by processes, the {@code Namespace} of Python's
 * {@code multiprocessing.Manager}: {@code ns.x = 10} in one process, {@code ns.x} in another.
 * <pre>{@code
 * ShmNamespace config = ShmNamespace.openOrCreate(segment, "config");
 * config.setLong("workers", 4);
 * config.setString("mode", "fast");
 * long workers = config.getLong("workers");   // in another process
 * config.addLong("done", 1);                   // atomic across processes
 * }</pre>
 * Each field holds one value and remembers its kind (long, double, boolean, string, or bytes of a
 * codec); reading it as another kind throws {@link TypeMismatchException} naming both, and reading
 * a field never set throws {@link NoSuchElementException} (Python's {@code AttributeError}). The
 * fields are a {@link ShmMap} of field names to tagged bytes, with its lock-free reads, its
 * per-stripe robust writes and its failure model.
 */
public final class ShmNamespace implements Shared
{
    static final ObjectType TYPE = ObjectType.of(TypeId.NAMESPACE, "Namespace", 1);
    /** Field names are object-name sized; values up to 64 KiB. */
    static final MapOptions OPTIONS = MapOptions.defaults().withStripes(4).withInitialCapacity(64)
        .withMaxKeyLength(200).withMaxValueLength(64 * 1024).withFirstExtentLength(16 * 1024);

    private static final byte LONG = 'J';
    private static final byte DOUBLE = 'D';
    private static final byte BOOLEAN = 'Z';
    private static final byte STRING = 'S';
    private static final byte ENCODED = 'C';

    private final ShmMap<String, byte[]> fields;

    private ShmNamespace(final Container container)
    {
        this.fields = new ShmMap<>(container, Codecs.STRING, Codecs.BYTES);
    }

    /**
     * Opens the namespace, or creates it with no fields.
     */
    public static ShmNamespace openOrCreate(final Segment segment, final String name)
    {
        return new ShmNamespace(Container.find(segment, name, TYPE, false, OPTIONS));
    }

    /**
     * Opens an existing namespace.
     *
     * @throws io.shm.exceptions.UnknownObjectException if there is none of that name.
     */
    public static ShmNamespace open(final Segment segment, final String name)
    {
        return new ShmNamespace(Container.open(segment, name, TYPE));
    }

    @Override
    public SharedObject object()
    {
        return fields.object();
    }

    public void setLong(final String field, final long value)
    {
        fields.put(field, tagged(LONG, ByteBuffer.allocate(Long.BYTES).putLong(value).array()));
    }

    public long getLong(final String field)
    {
        return ByteBuffer.wrap(payload(field, LONG, "long")).getLong();
    }

    /**
     * Adds to a long field atomically across processes (a field never set counts as 0).
     *
     * @return the new value.
     */
    public long addLong(final String field, final long delta)
    {
        while (true)
        {
            final byte[] current = fields.get(field);
            if (current == null)
            {
                if (fields.putIfAbsent(field, tagged(LONG, ByteBuffer.allocate(Long.BYTES).putLong(delta).array())) == null)
                {
                    return delta;
                }
                continue;
            }
            final long next = ByteBuffer.wrap(checked(field, current, LONG, "long")).getLong() + delta;
            if (fields.replace(field, current, tagged(LONG, ByteBuffer.allocate(Long.BYTES).putLong(next).array())))
            {
                return next;
            }
        }
    }

    public void setDouble(final String field, final double value)
    {
        fields.put(field, tagged(DOUBLE, ByteBuffer.allocate(Double.BYTES).putDouble(value).array()));
    }

    public double getDouble(final String field)
    {
        return ByteBuffer.wrap(payload(field, DOUBLE, "double")).getDouble();
    }

    public void setBoolean(final String field, final boolean value)
    {
        fields.put(field, tagged(BOOLEAN, new byte[] {(byte)(value ? 1 : 0)}));
    }

    public boolean getBoolean(final String field)
    {
        return payload(field, BOOLEAN, "boolean")[0] != 0;
    }

    public void setString(final String field, final String value)
    {
        fields.put(field, tagged(STRING, value.getBytes(StandardCharsets.UTF_8)));
    }

    public String getString(final String field)
    {
        return new String(payload(field, STRING, "String"), StandardCharsets.UTF_8);
    }

    /**
     * Sets a field to a value of any type, as its codec encodes it.
     */
    public <T> void set(final String field, final T value, final Codec<T> codec)
    {
        fields.put(field, tagged(ENCODED, codec.encode(value)));
    }

    /**
     * @return a field set by {@link #set(String, Object, Codec)}, decoded by {@code codec}.
     */
    public <T> T get(final String field, final Codec<T> codec)
    {
        return codec.decode(payload(field, ENCODED, "codec-encoded value"));
    }

    /**
     * @return whether the field is set.
     */
    public boolean has(final String field)
    {
        return fields.containsKey(field);
    }

    /**
     * Removes a field (Python's {@code del ns.x}).
     *
     * @return whether it was set.
     */
    public boolean remove(final String field)
    {
        return fields.remove(field) != null;
    }

    /**
     * @return the names of the fields set, sorted.
     */
    public Set<String> fields()
    {
        return new TreeSet<>(fields.keySet());
    }

    private static byte[] tagged(final byte tag, final byte[] payload)
    {
        final byte[] bytes = new byte[payload.length + 1];
        bytes[0] = tag;
        System.arraycopy(payload, 0, bytes, 1, payload.length);
        return bytes;
    }

    private byte[] payload(final String field, final byte tag, final String kind)
    {
        final byte[] bytes = fields.get(field);
        if (bytes == null)
        {
            throw new NoSuchElementException(object().describe() + " has no field '" + field + "'");
        }
        return checked(field, bytes, tag, kind);
    }

    private byte[] checked(final String field, final byte[] bytes, final byte tag, final String kind)
    {
        if (bytes.length == 0 || bytes[0] != tag)
        {
            throw new TypeMismatchException("field '" + field + "' of " + object().describe() + " holds a " +
                kindOf(bytes) + ", not a " + kind);
        }
        final byte[] payload = new byte[bytes.length - 1];
        System.arraycopy(bytes, 1, payload, 0, payload.length);
        return payload;
    }

    private static String kindOf(final byte[] bytes)
    {
        return bytes.length == 0 ? "nothing" : switch (bytes[0])
        {
            case LONG -> "long";
            case DOUBLE -> "double";
            case BOOLEAN -> "boolean";
            case STRING -> "String";
            default -> "codec-encoded value";
        };
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder("Namespace(");
        String separator = "";
        for (final String field : fields())
        {
            final byte[] bytes = fields.get(field);
            if (bytes == null)
            {
                continue;
            }
            text.append(separator).append(field).append('=');
            final ByteBuffer payload = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
            switch (bytes[0])
            {
                case LONG -> text.append(payload.getLong());
                case DOUBLE -> text.append(payload.getDouble());
                case BOOLEAN -> text.append(bytes[1] != 0);
                case STRING -> text.append('\'').append(new String(bytes, 1, bytes.length - 1, StandardCharsets.UTF_8)).append('\'');
                default -> text.append("<").append(bytes.length - 1).append(" bytes>");
            }
            separator = ", ";
        }
        return text.append(')').toString();
    }
}
