package io.checkpointservice.ra.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Local storage in a directory: one file per segment version, named by key hash and version.
 *
 * <ul>
 *   <li>A write creates {@code <sha256 of key>.<version>.seg}, a name no file has yet, writes it
 *       whole (forced to the device, with the directory, when the sync policy says so), and only
 *       then unlinks the previous version's file. A crash at any point leaves the previous version
 *       whole; the new file is either whole too or shorter than its header promises (torn), and
 *       recovery tells which. Readers in the process only ever see a finished file. Writing the
 *       same version again (rare) goes through a temporary file renamed over the old one.
 *       (Renaming a temporary file over the previous one, as earlier releases did, costs 4x the
 *       whole write on ext4, which then forces the new data out on the writer's thread:
 *       docs/PERFORMANCE.md, P1.)</li>
 *   <li>File names are the SHA-256 of the segment key in hex plus the version, so no key,
 *       however crafted, names a path outside the directory; the header carries the real key
 *       and version, and a file whose name does not match its header is never trusted.</li>
 *   <li>On open, leftover temporary files are deleted; a file with a bad or torn header is
 *       deleted when a whole older version of its segment is kept (a write a crash interrupted),
 *       else moved to {@code quarantine/}. Where a crash left two versions of a segment, the newest
 *       whose data checks out is kept and the older ones are deleted. A file whose data fails its
 *       checksum is quarantined when it is read. A quarantined file is never returned.</li>
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
    /** Every intact file and its metadata, so that metadata() and list() read no disk. */
    private final ConcurrentMap<String, Entry> index = new ConcurrentHashMap<>();
    /** Makes temporary file names unique within this process; leftovers of earlier ones are deleted at open. */
    private final AtomicLong tempCounter = new AtomicLong();
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
        Map<String, List<Entry>> versions = new HashMap<>();
        List<Unreadable> unreadable = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String fileName = file.getFileName().toString();
                if (fileName.endsWith(TEMP_SUFFIX)) {
                    // An unfinished write: the old version (if any) is still in place under its name.
                    Files.deleteIfExists(file);
                } else if (fileName.endsWith(SEGMENT_SUFFIX) && Files.isRegularFile(file)) {
                    try {
                        Entry entry = recoverSegmentFile(file);
                        versions.computeIfAbsent(entry.metadata().key(), k -> new ArrayList<>()).add(entry);
                    } catch (CorruptSegmentException e) {
                        unreadable.add(new Unreadable(file, e.getMessage()));
                    }
                }
            }
        }
        for (List<Entry> candidates : versions.values()) {
            keepNewestIntact(candidates);
        }
        for (Unreadable file : unreadable) {
            disposeOfUnreadable(file);
        }
    }

    /**
     * A file whose header is torn or does not match its name. When a whole, older version of the
     * same segment was kept, it is the new file of a write that a crash interrupted before the
     * previous version was unlinked (see the class comment): expected after every crash in the
     * middle of a write, so it is deleted, or quarantine/ would grow with each crash. Otherwise
     * nothing explains it but damage, and it is kept in quarantine/ for a human to look at.
     */
    private void disposeOfUnreadable(Unreadable file) {
        String[] parts = file.path().getFileName().toString().split("\\.");
        if (parts.length == 3) {
            try {
                long version = Long.parseLong(parts[1]);
                boolean olderKept = index.values().stream().anyMatch(entry -> entry.metadata().version() < version
                        && entry.file().getFileName().toString().startsWith(parts[0] + "."));
                if (olderKept) {
                    LOG.info(() -> "deleted " + file.path() + ", a write interrupted by a crash ("
                            + file.reason() + "); the previous version is whole");
                    deleteQuietly(file.path());
                    return;
                }
            } catch (NumberFormatException e) {
                // Not a name this store writes: quarantine below.
            }
        }
        quarantine(file.path(), file.reason());
    }

    /** A segment file recovery could not read, and why. */
    private record Unreadable(Path path, String reason) {
    }

    /**
     * @return the file's entry when its header is whole and matches its name
     * @throws CorruptSegmentException when it is not (the caller decides: delete or quarantine)
     */
    private Entry recoverSegmentFile(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            SegmentFileFormat.DecodedHeader header = SegmentFileFormat.decodeHeader(in, file.toString());
            if (Files.size(file) != header.expectedFileLength()) {
                throw new CorruptSegmentException(file + ": torn, " + Files.size(file)
                        + " bytes where the header promises " + header.expectedFileLength());
            }
            SegmentMetadata metadata = header.metadata();
            String fileName = file.getFileName().toString();
            String hash = hashOf(metadata.key());
            if (!fileName.equals(fileName(hash, metadata.version())) && !fileName.equals(legacyFileName(hash))) {
                throw new CorruptSegmentException(file + ": holds '" + metadata.key() + "' v"
                        + metadata.version() + " under another name");
            }
            return new Entry(metadata, file);
        }
    }

    /**
     * A crash between a write's rename and its unlink of the previous version leaves two whole
     * files of one segment. Keeps the newest whose data checks out (a power loss without fsync
     * can leave a file of the right length whose data never reached the disk), quarantines newer
     * ones that do not, deletes the older ones.
     */
    private void keepNewestIntact(List<Entry> candidates) {
        candidates.sort(Comparator.comparingLong((Entry e) -> e.metadata().version()).reversed());
        Entry kept = null;
        for (Entry candidate : candidates) {
            if (kept != null) {
                deleteQuietly(candidate.file());
            } else if (candidates.size() == 1 || dataIsIntact(candidate)) {
                kept = candidate;
                index.put(candidate.metadata().key(), candidate);
            }
        }
    }

    /** Reads and checks a file's data; quarantines it when it does not check out. */
    private boolean dataIsIntact(Entry entry) {
        try {
            readFile(entry.file(), entry.metadata().key());
            return true;
        } catch (CorruptSegmentException e) {
            quarantine(entry.file(), e.getMessage());
            return false;
        } catch (IOException | ArithmeticException e) {
            LOG.log(Level.WARNING, "cannot read " + entry.file() + " while recovering; keeping an older version", e);
            return false;
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
        String hash = hashOf(key);
        Path target = directory.resolve(fileName(hash, segment.metadata().version()));
        // Encoded before any file exists: a key the header cannot hold leaves no file behind.
        ByteBuffer header = SegmentFileFormat.encodeHeader(segment.metadata());
        Entry previous = index.get(key);
        boolean created = false;
        try {
            try {
                writeNewFile(target, header, segment.data());
            } catch (FileAlreadyExistsException e) {
                // The same version written again (a restore of a version this node holds): no
                // new name is possible, so a temporary file renamed over it, atomically.
                replaceFile(hash, target, header.rewind(), segment.data());
            }
            created = true;
            syncDirectory();
        } catch (IOException e) {
            if (created && (previous == null || !previous.file().equals(target))) {
                deleteQuietly(target); // Not as durable as promised: the previous version stays current.
            }
            throw new LocalStoreException("cannot write segment '" + key + "' to " + directory
                    + ": " + e + "; the previous version is unchanged", e);
        }
        index.put(key, new Entry(segment.metadata(), target));
        // Only now, with the new version whole under its own name: a crash before this unlink
        // leaves both files, and the next open keeps the newer one.
        if (previous != null && !previous.file().equals(target)) {
            deleteQuietly(previous.file());
        }
    }

    /**
     * Writes header and data to a file that must not exist yet, forced to the device when the
     * sync policy says so. A file that cannot be finished is deleted; one left by a crash is
     * shorter than its header promises, which recovery sees.
     *
     * @throws FileAlreadyExistsException when {@code file} exists; nothing was written then
     */
    private void writeNewFile(Path file, ByteBuffer header, byte[] bytes) throws IOException {
        ByteBuffer data = ByteBuffer.wrap(bytes);
        boolean opened = false;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            opened = true;
            while (header.hasRemaining() || data.hasRemaining()) {
                channel.write(new ByteBuffer[] {header, data});
            }
            if (syncPolicy == SyncPolicy.FSYNC) {
                channel.force(true);
            }
        } catch (IOException | RuntimeException e) {
            if (opened) {
                deleteQuietly(file);
            }
            throw e;
        }
    }

    private void replaceFile(String hash, Path target, ByteBuffer header, byte[] bytes) throws IOException {
        Path temp = directory.resolve(hash + "." + tempCounter.incrementAndGet() + TEMP_SUFFIX);
        writeNewFile(temp, header, bytes);
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp);
            throw e;
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
        Entry entry = index.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        Path file = entry.file();
        try {
            return Optional.of(readFile(file, key));
        } catch (NoSuchFileException e) {
            index.remove(key, entry);
            return Optional.empty();
        } catch (CorruptSegmentException e) {
            index.remove(key, entry);
            quarantine(file, e.getMessage());
            throw e;
        } catch (IOException | ArithmeticException e) {
            throw new LocalStoreException("cannot read segment '" + key + "' from " + file + ": " + e, e);
        }
    }

    /**
     * @return the whole, checked segment in {@code file}
     * @throws CorruptSegmentException when it is torn, foreign or fails its data checksum
     */
    private static StoredSegment readFile(Path file, String key) throws IOException {
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
            return segment;
        }
    }

    @Override
    public Optional<SegmentMetadata> metadata(String key) {
        return Optional.ofNullable(index.get(key)).map(Entry::metadata);
    }

    @Override
    public boolean remove(String key) {
        try (KeyLocks.Held held = locks.lock(key)) {
            Entry entry = index.get(key);
            boolean existed = entry != null && Files.deleteIfExists(entry.file());
            syncDirectory();
            return index.remove(key) != null || existed;
        } catch (IOException e) {
            throw new LocalStoreException("cannot delete segment '" + key + "' in " + directory + ": " + e, e);
        }
    }

    @Override
    public Collection<SegmentMetadata> list() {
        return index.values().stream().map(Entry::metadata).toList();
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

    /** @return the file name that holds version {@code version} of {@code key}: hex digits, dots and a suffix, nothing else */
    static String fileNameFor(String key, long version) {
        return fileName(hashOf(key), version);
    }

    private static String fileName(String hash, long version) {
        return hash + "." + version + SEGMENT_SUFFIX;
    }

    /** The name of earlier releases, one file per key without its version: still read at open. */
    static String legacyFileName(String hash) {
        return hash + SEGMENT_SUFFIX;
    }

    /** @return the SHA-256 of the key in hex: 64 characters of 0-9 a-f whatever the key */
    static String hashOf(String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
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

    /** A stored version and the file that holds it. */
    private record Entry(SegmentMetadata metadata, Path file) {
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete " + file, e);
        }
    }
}
