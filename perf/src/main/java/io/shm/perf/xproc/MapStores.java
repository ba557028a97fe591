package io.shm.perf.xproc;

import io.shm.codec.Codecs;
import io.shm.collections.MapOptions;
import io.shm.collections.ShmMap;
import io.shm.segment.Segment;
import io.shm.segment.SegmentOptions;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Txn;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The maps of workload W9 behind one interface: shm's {@link ShmMap}, Chronicle Map and LMDB
 * (through lmdbjava, {@code MDB_NOSYNC} on /dev/shm), each a file in /dev/shm that every process
 * of a run opens by name; keys of 16 bytes and values of 64, as bytes.
 */
abstract class MapStores implements AutoCloseable
{
    static final int KEY_LENGTH = 16;
    static final int VALUE_LENGTH = 64;
    static final Path DIRECTORY = Path.of("/dev/shm");

    /**
     * @return the value of {@code key}, or null.
     */
    abstract byte[] get(byte[] key);

    abstract void put(byte[] key, byte[] value);

    @Override
    public abstract void close();

    /**
     * Opens (or, if {@code create}, creates) the named store of {@code system} for up to
     * {@code entries} entries.
     */
    static MapStores open(final String system, final String name, final long entries, final boolean create)
    {
        return open(system, name, entries, entries, create);
    }

    /**
     * As {@link #open(String, String, long, boolean)}, with room for {@code entries} but sized
     * first for {@code initial} where the system grows (shm's map); the others are sized for
     * {@code entries} from the start.
     */
    static MapStores open(final String system, final String name, final long entries, final long initial,
        final boolean create)
    {
        return switch (system)
        {
            case "shm-map" -> new Shm(name, entries, initial, create);
            case "chronicle-map" -> new Chronicle(name, entries);
            case "lmdb" -> new Lmdb(name, entries);
            default -> throw new IllegalArgumentException("unknown map system " + system);
        };
    }

    /**
     * Removes the files of a run.
     */
    static void remove(final String name)
    {
        Segment.unlink(name, SegmentOptions.defaults());
        new File(DIRECTORY.toFile(), name + ".chronicle").delete();
        final Path lmdb = DIRECTORY.resolve(name + ".lmdb");
        if (Files.exists(lmdb))
        {
            try (Stream<Path> files = Files.walk(lmdb))
            {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
    }

    static byte[] key(final long i)
    {
        return ByteBuffer.allocate(KEY_LENGTH).putLong(i).putLong(i * 0x9E37_79B9_7F4A_7C15L).array();
    }

    static byte[] value(final long i, final long version)
    {
        final ByteBuffer value = ByteBuffer.allocate(VALUE_LENGTH);
        while (value.hasRemaining())
        {
            value.putLong(i ^ version);
        }
        return value.array();
    }

    private static final class Shm extends MapStores
    {
        private final Segment segment;
        private final ShmMap<byte[], byte[]> map;

        Shm(final String name, final long entries, final long initial, final boolean create)
        {
            // Entries of 96 bytes, tables at a load of one half to three quarters, room to grow.
            final SegmentOptions options = SegmentOptions.defaults().withSize(Math.max(64L << 20, entries * 400));
            segment = create ? Segment.create(name, options) : Segment.open(name, options);
            map = ShmMap.openOrCreate(segment, "map", Codecs.BYTES, Codecs.BYTES, MapOptions.defaults()
                .withStripes(64).withInitialCapacity((int)Math.min(initial, 1 << 26)).withMaxKeyLength(KEY_LENGTH)
                .withMaxValueLength(VALUE_LENGTH).withFirstExtentLength(1 << 20));
        }

        @Override
        byte[] get(final byte[] key)
        {
            return map.getBytes(key);
        }

        @Override
        void put(final byte[] key, final byte[] value)
        {
            map.putBytes(key, value);
        }

        @Override
        public void close()
        {
            segment.close();
        }
    }

    private static final class Chronicle extends MapStores
    {
        private final ChronicleMap<byte[], byte[]> map;

        Chronicle(final String name, final long entries)
        {
            try
            {
                map = ChronicleMapBuilder.of(byte[].class, byte[].class).name(name)
                    .averageKeySize(KEY_LENGTH).averageValueSize(VALUE_LENGTH).entries(entries)
                    .createPersistedTo(new File(DIRECTORY.toFile(), name + ".chronicle"));
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }

        @Override
        byte[] get(final byte[] key)
        {
            return map.get(key);
        }

        @Override
        void put(final byte[] key, final byte[] value)
        {
            map.put(key, value);
        }

        @Override
        public void close()
        {
            map.close();
        }
    }

    private static final class Lmdb extends MapStores
    {
        private final Env<ByteBuffer> env;
        private final Dbi<ByteBuffer> db;
        private final Txn<ByteBuffer> reader;
        private final ByteBuffer keyBuffer = ByteBuffer.allocateDirect(KEY_LENGTH);
        private final ByteBuffer valueBuffer = ByteBuffer.allocateDirect(VALUE_LENGTH);

        Lmdb(final String name, final long entries)
        {
            final File directory = DIRECTORY.resolve(name + ".lmdb").toFile();
            directory.mkdirs();
            env = Env.create().setMapSize(Math.max(256L << 20, entries * 1024)).setMaxDbs(1).setMaxReaders(64)
                .open(directory, EnvFlags.MDB_NOSYNC, EnvFlags.MDB_NOTLS);
            db = env.openDbi("w9", DbiFlags.MDB_CREATE);
            reader = env.txnRead();
            reader.reset();
        }

        @Override
        byte[] get(final byte[] key)
        {
            // One read transaction renewed per get, as LMDB advises for short reads.
            reader.renew();
            try
            {
                final ByteBuffer found = db.get(reader, keyBuffer.clear().put(key).flip());
                if (found == null)
                {
                    return null;
                }
                final byte[] value = new byte[found.remaining()];
                found.get(value);
                return value;
            }
            finally
            {
                reader.reset();
            }
        }

        @Override
        void put(final byte[] key, final byte[] value)
        {
            // One write transaction per put: each put is acknowledged on its own, as a map's is.
            try (Txn<ByteBuffer> txn = env.txnWrite())
            {
                db.put(txn, keyBuffer.clear().put(key).flip(), valueBuffer.clear().put(value).flip());
                txn.commit();
            }
        }

        @Override
        public void close()
        {
            reader.close();
            env.close();
        }
    }
}
