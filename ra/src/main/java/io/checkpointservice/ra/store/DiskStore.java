package io.checkpointservice.ra.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Local storage in a directory: one file per segment.
 *
 * <ul>
 *   <li>A write goes to a new temporary file, is forced to the device when the sync policy says
 *       so, then atomically renamed over the old file: a reader or a crash sees the old version or
 *       the new one, never a mix.</li>
 *   <li>File names are the SHA-256 of the segment key in hex, so no key, however crafted, names
 *       a path outside the directory; the header carries the real key.</li>
 *   <li>On open, leftover temporary files are deleted and files with a bad or torn header are
 *       moved to {@code quarantine/}; a file whose data fails its checksum is quarantined when
 *       it is read. A quarantined file is never returned.</li>
 * </ul>
 */
public final class DiskStore implements LocalStore {

    private static final Logger LOG = Logger.getLogger(DiskStore.class.getName());
    static final String SEGMENT_SUFFIX = ".seg";
    static final String TEMP_SUFFIX = ".tmp";
    static final String QUARANTINE_DIR = "quarantine";

    private final Path directory;
    private final Path quarantine;
    private final SyncPolicy syncPolicy;
    /** Metadata of every intact file, so that metadata() and list() read no disk. */
    private final ConcurrentMap<String, SegmentMetadata> index = new ConcurrentHashMap<>();
    /**
     * Serialises put, get and remove of one key, so that a read that finds a corrupt file
     * quarantines that file and not a newer one renamed over it meanwhile.
     */
    private final KeyLocks locks = new KeyLocks();

    private DiskStore(Path directory, SyncPolicy syncPolicy) {
        this.directory = directory;
        this.quarantine = directory.resolve(QUARANTINE_DIR);
        this.syncPolicy = syncPolicy;
    }

    /**
     * Opens (and creates) the store in {@code directory} and recovers what a crash left.
     *
     * @throws LocalStoreException when the directory cannot be created or read
     */
    public static DiskStore open(Path directory, SyncPolicy syncPolicy) {
        DiskStore store = new DiskStore(directory.toAbsolutePath().normalize(), syncPolicy);
        try {
            Files.createDirectories(store.directory);
            store.recover();
        } catch (IOException | UncheckedIOException e) {
            throw new LocalStoreException("cannot open the checkpoint directory " + store.directory
                    + ": " + e.getMessage() + "; check storageDirectory and its permissions", e);
        }
        return store;
    }

    private void recover() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String fileName = file.getFileName().toString();
                if (fileName.endsWith(TEMP_SUFFIX)) {
                    // An unfinished write: the old version (if any) is still in place under its name.
                    Files.deleteIfExists(file);
                } else if (fileName.endsWith(SEGMENT_SUFFIX) && Files.isRegularFile(file)) {
                    recoverSegmentFile(file);
                }
            }
        }
    }

    private void recoverSegmentFile(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            SegmentFileFormat.DecodedHeader header = SegmentFileFormat.decodeHeader(in, file.toString());
            if (Files.size(file) != header.expectedFileLength()) {
                throw new CorruptSegmentException(file + ": torn, " + Files.size(file)
                        + " bytes where the header promises " + header.expectedFileLength());
            }
            String key = header.metadata().key();
            if (!file.getFileName().toString().equals(fileNameFor(key))) {
                throw new CorruptSegmentException(file + ": holds '" + key + "' under another key's name");
            }
            index.put(key, header.metadata());
        } catch (CorruptSegmentException e) {
            quarantine(file, e.getMessage());
        }
    }

    @Override
    public void put(StoredSegment segment) {
        try (KeyLocks.Held held = locks.lock(segment.key())) {
            write(segment);
        }
    }

    private void write(StoredSegment segment) {
        String key = segment.key();
        Path target = directory.resolve(fileNameFor(key));
        Path temp = directory.resolve(fileNameFor(key) + "." + UUID.randomUUID() + TEMP_SUFFIX);
        // Encoded before the temporary file exists: a key the header cannot hold leaves no file behind.
        ByteBuffer header = SegmentFileFormat.encodeHeader(segment.metadata());
        ByteBuffer data = ByteBuffer.wrap(segment.data());
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                while (header.hasRemaining() || data.hasRemaining()) {
                    channel.write(new ByteBuffer[] {header, data});
                }
                if (syncPolicy == SyncPolicy.FSYNC) {
                    channel.force(true);
                }
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory();
            index.put(key, segment.metadata());
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new LocalStoreException("cannot write segment '" + key + "' to " + directory
                    + ": " + e + "; the previous version is unchanged", e);
        }
    }

    @Override
    public Optional<StoredSegment> get(String key) {
        if (!index.containsKey(key)) {
            return Optional.empty();
        }
        try (KeyLocks.Held held = locks.lock(key)) {
            return read(key);
        }
    }

    private Optional<StoredSegment> read(String key) {
        Path file = directory.resolve(fileNameFor(key));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
             InputStream in = Channels.newInputStream(channel)) {
            SegmentFileFormat.DecodedHeader header = SegmentFileFormat.decodeHeader(in, file.toString());
            SegmentMetadata metadata = header.metadata();
            if (!metadata.key().equals(key) || channel.size() != header.expectedFileLength()) {
                throw new CorruptSegmentException(file + ": torn or foreign file for '" + key + "'");
            }
            byte[] data = in.readNBytes(Math.toIntExact(metadata.size()));
            StoredSegment segment = new StoredSegment(metadata, data);
            if (!segment.isIntact()) {
                throw new CorruptSegmentException(file + ": data checksum mismatch for '" + key
                        + "' v" + metadata.version());
            }
            return Optional.of(segment);
        } catch (NoSuchFileException e) {
            index.remove(key);
            return Optional.empty();
        } catch (CorruptSegmentException e) {
            index.remove(key);
            quarantine(file, e.getMessage());
            throw e;
        } catch (IOException | ArithmeticException e) {
            throw new LocalStoreException("cannot read segment '" + key + "' from " + file + ": " + e, e);
        }
    }

    @Override
    public Optional<SegmentMetadata> metadata(String key) {
        return Optional.ofNullable(index.get(key));
    }

    @Override
    public boolean remove(String key) {
        try (KeyLocks.Held held = locks.lock(key)) {
            boolean existed = Files.deleteIfExists(directory.resolve(fileNameFor(key)));
            syncDirectory();
            return index.remove(key) != null || existed;
        } catch (IOException e) {
            throw new LocalStoreException("cannot delete segment '" + key + "' in " + directory + ": " + e, e);
        }
    }

    @Override
    public Collection<SegmentMetadata> list() {
        return List.copyOf(index.values());
    }

    @Override
    public String describe() {
        return "disk " + directory + " (" + syncPolicy.name().toLowerCase() + ")";
    }

    /** @return the directory this store writes to */
    public Path directory() {
        return directory;
    }

    @Override
    public void close() {
        index.clear();
    }

    /** @return the file name that holds {@code key}: 64 hex digits and a suffix, nothing else */
    static String fileNameFor(String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash) + SEGMENT_SUFFIX;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private void syncDirectory() throws IOException {
        if (syncPolicy != SyncPolicy.FSYNC) {
            return;
        }
        // Makes the rename itself durable; without it a power loss can bring the old file back.
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    private void quarantine(Path file, String reason) {
        try {
            Files.createDirectories(quarantine);
            Path moved = quarantine.resolve(file.getFileName() + "." + System.currentTimeMillis() + "-" + UUID.randomUUID());
            Files.move(file, moved, StandardCopyOption.REPLACE_EXISTING);
            LOG.warning(() -> "quarantined " + file + " as " + moved + ": " + reason);
        } catch (NoSuchFileException e) {
            // Replaced by a newer write meanwhile: nothing left to quarantine.
        } catch (IOException e) {
            LOG.log(Level.SEVERE, "cannot quarantine " + file + " (" + reason + "); deleting it", e);
            deleteQuietly(file);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete " + file, e);
        }
    }
}
