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
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Local storage in a directory: two slot files per segment, written alternately ("A/B", double
 * buffering), each overwritten in place.
 *
 * <h2>Layout</h2>
 * A segment has at most two files, {@code <sha256 of key>.a.seg} and {@code <sha256 of key>.b.seg}.
 * One of them holds the current version; a write goes to the <em>other</em> one, overwriting that
 * file in place (opened without truncation, header and data written at position 0, then cut to
 * the exact length when the previous content was longer), and then becomes the current one. The
 * header (see {@link SegmentFileFormat}) names key and version, so a slot's name does not carry
 * the version; a file whose header key hashes to another name is never trusted.
 *
 * <h2>Why</h2>
 * On ext4 (docs/PERFORMANCE.md, P1; {@code DiskWriteProbe} compares the patterns): renaming a
 * temporary file over the previous one makes ext4's {@code auto_da_alloc} force the new data out
 * on the writer's thread; creating a new file per version and unlinking the previous one spends
 * most of the write allocating and freeing an inode and its blocks and updating the directory.
 * A slot that already exists costs none of that. The file is
 * never truncated to zero (no {@code TRUNCATE_EXISTING}), which would also trigger
 * {@code auto_da_alloc}.
 *
 * <h2>Crash safety</h2>
 * <ul>
 *   <li>A write never touches the current slot. A crash at any point of a write (the process
 *       killed, or a power loss) therefore leaves the previous version whole in the current
 *       slot (with syncPolicy fsync: durable, since its own write forced it); only the slot
 *       being written can be damaged, and it is then either whole or detectably not: a torn
 *       header fails the header CRC, a file still longer or shorter than its header promises
 *       fails the length check, and a mix of old and new data of the same length fails the data
 *       CRC32C that the header carries. Recovery keeps the newest version that passes all three,
 *       so it never returns a torn copy nor one older than the previous version.</li>
 *   <li>With syncPolicy fsync a write returns only once its slot is forced to the device:
 *       {@code force(false)} (fdatasync) when the file existed and kept its length, since the
 *       data is all that changed; {@code force(true)} when it was created or its length changed,
 *       so that the size is durable too; and the directory is forced when the slot file was
 *       created, so that its name is durable. A slot exists after the first two writes of a
 *       segment, so steady-state writes force one file and no directory.</li>
 *   <li>Readers in the process never see a file being written: the per-key lock serialises
 *       put, get and remove of one key, and a get reads the current slot only.</li>
 *   <li>Writing the same version again (a restore of a version this node holds) goes to the
 *       other slot like any write, and then deletes the previous slot, so that two slots never
 *       both hold one version with different bytes.</li>
 * </ul>
 *
 * <h2>Recovery on open</h2>
 * For each segment both slots are considered. The newest version whose header, length and (when
 * both slots exist) data checksum check out is kept; a lone slot's data is checked on its first
 * read, as any read does. An older intact slot is simply the other slot and stays (the next write
 * overwrites it). A newer slot that fails its checks next to a kept version is a write a crash
 * interrupted: deleted, not quarantined (or quarantine/ would grow with every crash). With no
 * intact version at all, the damaged slots go to {@code quarantine/}. A file whose data fails its
 * checksum on a read is quarantined and the segment's other slot deleted, so the older version
 * cannot come back after a restart; the segment is then a {@linkplain #hasLostCopy lost copy}
 * (unavailable, not absent) until written or removed again, also after a restart (read back from
 * {@code quarantine/}). A quarantined file is never returned.
 *
 * <p>A {@code *.seg} file with any other name is not this store's, whatever it holds: open never
 * reads nor deletes it but moves it to {@code quarantine/} with a warning, where it makes no
 * segment a lost copy and no remove discards it. Other files in the directory are left alone.
 */
public final class DiskStore implements LocalStore {

    private static final Logger LOG = Logger.getLogger(DiskStore.class.getName());
    static final String SEGMENT_SUFFIX = ".seg";
    static final String QUARANTINE_DIR = "quarantine";
    static final String SLOT_A = "a";
    static final String SLOT_B = "b";
    /** {@code <hash>.a.seg}, {@code <hash>.b.seg}: the only files this store writes. */
    private static final Pattern SLOT_NAME = Pattern.compile("([0-9a-f]{64})\\.[ab]\\.seg");
    /** A slot file in quarantine/: its name, a dot, and what makes it unique there. */
    private static final Pattern QUARANTINED_SLOT = Pattern.compile("([0-9a-f]{64})\\.[ab]\\.seg\\..+");

    private final Path directory;
    private final Path quarantine;
    private final SyncPolicy syncPolicy;
    /** The current version of every segment and its files, so that metadata() and list() read no disk. */
    private final ConcurrentMap<String, Entry> index = new ConcurrentHashMap<>();
    /**
     * Serialises put, get and remove of one key: a write overwrites in place the slot that a read
     * two versions ago was reading, and a read that finds a corrupt file must quarantine that file
     * and not a newer one written meanwhile.
     */
    private final KeyLocks locks = new KeyLocks();
    /** Hashes of keys whose only copy here was damaged and quarantined: see {@link #hasLostCopy}. */
    private final Set<String> lostHashes = ConcurrentHashMap.newKeySet();

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

    // ---------------------------------------------------------------- recovery

    private void recover() throws IOException {
        Map<String, List<Candidate>> byKey = new HashMap<>();
        Map<String, Integer> filesPerHash = new HashMap<>();
        List<Unreadable> unreadable = new ArrayList<>();
        List<Path> foreign = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SEGMENT_SUFFIX)) {
            for (Path file : files) {
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                Matcher name = SLOT_NAME.matcher(file.getFileName().toString());
                if (!name.matches()) {
                    foreign.add(file);
                    continue;
                }
                String hash = name.group(1);
                filesPerHash.merge(hash, 1, Integer::sum);
                try {
                    Candidate candidate = recoverSegmentFile(file);
                    byKey.computeIfAbsent(candidate.metadata().key(), k -> new ArrayList<>()).add(candidate);
                } catch (CorruptSegmentException e) {
                    unreadable.add(new Unreadable(file, hash, e.getMessage()));
                }
            }
        }
        foreign.forEach(this::setAside);
        for (List<Candidate> candidates : byKey.values()) {
            Slots slots = Slots.of(directory, candidates.get(0).hash());
            keepNewestIntact(slots, candidates, filesPerHash.getOrDefault(slots.hash(), 0) > 1);
        }
        Set<String> keptHashes = new HashSet<>();
        index.values().forEach(entry -> keptHashes.add(entry.slots().hash()));
        for (Unreadable file : unreadable) {
            disposeOfUnreadable(file, keptHashes.contains(file.hash()));
        }
        rememberLostCopies(keptHashes);
    }

    /**
     * A segment with a file in quarantine/ and no intact version here is one whose only copy on
     * this node was damaged: until it is written or removed again it is "unavailable" here, not
     * "absent" (G8). Read back from quarantine/ (a quarantined slot's name starts with its key's
     * hash), so the answer survives restarts as the damaged file does.
     */
    private void rememberLostCopies(Set<String> keptHashes) throws IOException {
        if (!Files.isDirectory(quarantine)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(quarantine)) {
            for (Path file : files) {
                String hash = quarantinedHash(file);
                if (hash != null && !keptHashes.contains(hash)) {
                    lostHashes.add(hash);
                }
            }
        }
    }

    /** @return the key hash of a quarantined slot file, or null for any other file */
    private static String quarantinedHash(Path file) {
        Matcher name = QUARANTINED_SLOT.matcher(file.getFileName().toString());
        return name.matches() ? name.group(1) : null;
    }

    /**
     * A file whose header is torn, whose length is not what its header promises, or whose name
     * does not match its header. When a version of the same segment (same name hash) was kept,
     * it is the slot of a write a crash interrupted: nothing in it is needed and it is deleted
     * (the next write would overwrite it anyway), or quarantine/ would grow with each crash.
     * Otherwise nothing explains it but damage, and it is kept in quarantine/ for a human to look at.
     */
    private void disposeOfUnreadable(Unreadable file, boolean segmentKept) {
        if (segmentKept) {
            LOG.info(() -> "deleted " + file.path() + ", a write interrupted by a crash ("
                    + file.reason() + "); the segment's previous version is whole");
            deleteQuietly(file.path());
            return;
        }
        quarantine(file.path(), file.reason());
    }

    /** A slot file recovery could not read, the key hash its name carries, and why. */
    private record Unreadable(Path path, String hash, String reason) {
    }

    /** A file with a whole header whose length and name match it; its data is not checked yet. */
    private record Candidate(SegmentMetadata metadata, String hash, Path file, FileTime modified) {
    }

    /**
     * @return the file's candidate when its header is whole, its length is what the header
     *     promises and its name is one of the slots of the key the header names
     * @throws CorruptSegmentException when it is not (the caller decides: delete or quarantine)
     */
    private Candidate recoverSegmentFile(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            SegmentFileFormat.DecodedHeader header = SegmentFileFormat.decodeHeader(in, file.toString());
            long size = Files.size(file);
            if (size != header.expectedFileLength()) {
                throw new CorruptSegmentException(file + ": torn, " + size
                        + " bytes where the header promises " + header.expectedFileLength());
            }
            SegmentMetadata metadata = header.metadata();
            String fileName = file.getFileName().toString();
            String hash = hashOf(metadata.key());
            if (!fileName.equals(slotFileName(hash, SLOT_A)) && !fileName.equals(slotFileName(hash, SLOT_B))) {
                throw new CorruptSegmentException(file + ": holds '" + metadata.key() + "' v"
                        + metadata.version() + " under another name");
            }
            return new Candidate(metadata, hash, file, Files.getLastModifiedTime(file));
        }
    }

    /**
     * Keeps the newest candidate whose data checks out (checked only when the segment has more
     * than one file: a lone file has nothing to be chosen against, and its data is checked by its
     * first read like any read). Newer candidates that fail are writes a crash interrupted: they
     * are deleted when a version is kept and quarantined when none is. An older one is the other
     * slot, left for the next write to overwrite.
     */
    private void keepNewestIntact(Slots slots, List<Candidate> candidates, boolean verifyData) {
        // Newest first; of two copies of one version (a crash between a same-version rewrite and
        // its delete of the previous slot), the one written last.
        candidates.sort(Comparator.comparingLong((Candidate c) -> c.metadata().version())
                .thenComparing(Candidate::modified).reversed());
        Candidate kept = null;
        List<Path> failed = new ArrayList<>();
        for (Candidate candidate : candidates) {
            if (kept != null) {
                if (candidate.metadata().version() == kept.metadata().version()) {
                    deleteQuietly(candidate.file()); // the previous copy of a version written again
                }
                continue;
            }
            Optional<String> damage = verifyData ? dataDamage(candidate) : Optional.empty();
            if (damage.isEmpty()) {
                kept = candidate;
                index.put(candidate.metadata().key(), new Entry(candidate.metadata(), slots, candidate.file()));
            } else if (damage.get().isEmpty()) {
                LOG.warning(() -> "cannot read " + candidate.file() + " while recovering; trying an older version");
            } else {
                failed.add(candidate.file());
                LOG.info(() -> "while recovering: " + damage.get());
            }
        }
        for (Path file : failed) {
            if (kept != null) {
                LOG.info(() -> "deleted " + file + ", a write interrupted by a crash; the previous version is whole");
                deleteQuietly(file);
            } else {
                quarantine(file, "data checksum mismatch or torn, and no intact version of the segment");
            }
        }
    }

    /**
     * @return empty when the candidate's data checks out; the reason when it does not; an empty
     *     reason when it cannot be read (an I/O error: the file is left alone)
     */
    private static Optional<String> dataDamage(Candidate candidate) {
        try {
            readFile(candidate.file(), candidate.metadata().key());
            return Optional.empty();
        } catch (CorruptSegmentException e) {
            return Optional.of(e.getMessage());
        } catch (IOException | ArithmeticException e) {
            LOG.log(Level.WARNING, "cannot read " + candidate.file() + " while recovering", e);
            return Optional.of("");
        }
    }

    // ---------------------------------------------------------------- write

    /**
     * Checksums and writes a snapshot of the caller's array: checksumming the array itself and
     * then writing it would let an application that changes its array during the call (against
     * the API's contract) leave a file that fails its own checksum, which the next read would
     * quarantine together with the previous version. The snapshot costs one copy into a new array,
     * a fraction of the file write.
     */
    @Override
    public void write(SegmentWrite write) {
        byte[] snapshot = write.callersData().clone();
        put(new StoredSegment(write.metadataFor(snapshot), snapshot));
    }

    @Override
    public void put(StoredSegment segment) {
        try (KeyLocks.Held held = locks.lock(segment.key())) {
            write(segment);
        }
    }

    private void write(StoredSegment segment) {
        String key = segment.key();
        // Encoded before any file is touched: a key the header cannot hold leaves no file behind.
        ByteBuffer header = SegmentFileFormat.encodeHeader(segment.metadata());
        Entry previous = index.get(key);
        Slots slots = previous != null ? previous.slots() : Slots.of(directory, hashOf(key));
        // Never the current file: a crash in this write leaves the previous version whole there.
        Path target = previous != null && previous.file().equals(slots.a()) ? slots.b() : slots.a();
        try {
            boolean created = overwrite(target, header, segment.data());
            if (created) {
                syncDirectory(); // the new slot's name, so that a power loss cannot lose the file
            }
        } catch (IOException e) {
            // The slot is not the current one: deleting it loses nothing, and a copy that is not as
            // durable as promised must not come back as the newest at the next open.
            deleteQuietly(target);
            throw new LocalStoreException("cannot write segment '" + key + "' to " + directory
                    + ": " + e + "; the previous version is unchanged", e);
        } catch (RuntimeException e) {
            deleteQuietly(target);
            throw e;
        }
        index.put(key, new Entry(segment.metadata(), slots, target));
        if (!lostHashes.isEmpty()) {
            lostHashes.remove(slots.hash()); // a new version is in place: the damaged one no longer matters
        }
        if (previous != null && previous.metadata().version() == segment.metadata().version()) {
            // The previous copy of the same version, which recovery could not tell apart from this
            // one by its header.
            deleteQuietly(previous.file());
            try {
                syncDirectory();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot force " + directory + " after deleting " + previous.file()
                        + "; recovery keeps the newer file if the delete is lost", e);
            }
        }
    }

    /**
     * Writes header and data over {@code file} in place from position 0, creating it if needed,
     * cuts it to the exact length when it was longer, and forces it to the device when the sync
     * policy says so. Never truncates it first: until the write completes, the file is torn in a
     * way recovery detects (class comment), and truncating to zero would make ext4 force the data
     * out at close ({@code auto_da_alloc}).
     *
     * @return true when the file was created (its directory entry is new)
     */
    private boolean overwrite(Path file, ByteBuffer header, byte[] bytes) throws IOException {
        ByteBuffer data = ByteBuffer.wrap(bytes);
        long length = header.remaining() + (long) bytes.length;
        boolean created = false;
        FileChannel opened;
        try {
            // The common case, one system call: the slot exists since the segment's second write.
            opened = FileChannel.open(file, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            opened = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            created = true;
        }
        try (FileChannel channel = opened) {
            long previousLength = created ? 0 : channel.size();
            while (header.hasRemaining() || data.hasRemaining()) {
                channel.write(new ByteBuffer[] {header, data});
            }
            if (previousLength > length) {
                channel.truncate(length);
            }
            if (syncPolicy == SyncPolicy.FSYNC) {
                // The size is metadata: force it too when it changed.
                channel.force(created || previousLength != length);
            }
        }
        return created;
    }

    // ---------------------------------------------------------------- read

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
            // Lost first: metadata() and hasLostCopy() take no lock, and between the two a load
            // would otherwise see neither a copy nor a lost one and answer "absent" (G8).
            lostHashes.add(entry.slots().hash());
            index.remove(key, entry);
            quarantine(file, e.getMessage());
            // The other slot holds an older version: without this delete a restart would bring it
            // back, and the store promises the newest version it was given or none.
            entry.slots().forEach(slot -> {
                if (!slot.equals(file)) {
                    deleteQuietly(slot);
                }
            });
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
            Slots slots = entry != null ? entry.slots() : Slots.of(directory, hashOf(key));
            boolean existed = Files.deleteIfExists(slots.a());
            existed |= Files.deleteIfExists(slots.b());
            existed |= discardQuarantined(slots.hash());
            syncDirectory();
            return index.remove(key) != null || existed;
        } catch (IOException e) {
            throw new LocalStoreException("cannot delete segment '" + key + "' in " + directory + ": " + e, e);
        }
    }

    /**
     * Deleting a segment discards its damaged copies too: the application has said the segment is
     * gone, and a quarantined file left behind would make it read as unavailable after a restart.
     *
     * @return true when there was a lost copy of the segment
     */
    private boolean discardQuarantined(String hash) throws IOException {
        boolean wasLost = lostHashes.remove(hash);
        if (!Files.isDirectory(quarantine)) {
            return wasLost;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(quarantine, hash + ".[ab].seg.*")) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        }
        return wasLost;
    }

    @Override
    public boolean hasLostCopy(String key) {
        return !lostHashes.isEmpty() && !index.containsKey(key) && lostHashes.contains(hashOf(key));
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

    /** @return the file that holds the current version of {@code key}, for tests */
    Optional<Path> currentFile(String key) {
        return Optional.ofNullable(index.get(key)).map(Entry::file);
    }

    @Override
    public void close() {
        index.clear();
    }

    // ---------------------------------------------------------------- names

    /** @return the name of slot {@code slot} ("a" or "b") of {@code key}: hex digits, dots and a suffix, nothing else */
    static String slotFileNameFor(String key, String slot) {
        return slotFileName(hashOf(key), slot);
    }

    private static String slotFileName(String hash, String slot) {
        return hash + "." + slot + SEGMENT_SUFFIX;
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
        // Makes a created or deleted name durable; without it a power loss can undo it.
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    /** Moves a damaged slot to quarantine/, or deletes it when it cannot be moved: it is never read. */
    private void quarantine(Path file, String reason) {
        try {
            moveToQuarantine(file, reason);
        } catch (IOException e) {
            LOG.log(Level.SEVERE, "cannot quarantine " + file + " (" + reason + "); deleting it", e);
            deleteQuietly(file);
        }
    }

    /**
     * Moves a {@code *.seg} file that is not a slot to quarantine/: not this store's, so never
     * deleted (left in place, and ignored, when it cannot be moved).
     */
    private void setAside(Path file) {
        try {
            moveToQuarantine(file, "named neither <sha256>.a.seg nor <sha256>.b.seg, not this store's file");
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot move " + file + ", not this store's file, to " + quarantine
                    + "; left in place and ignored", e);
        }
    }

    private void moveToQuarantine(Path file, String reason) throws IOException {
        try {
            Files.createDirectories(quarantine);
            Path moved = quarantine.resolve(file.getFileName() + "." + System.currentTimeMillis() + "-" + UUID.randomUUID());
            Files.move(file, moved, StandardCopyOption.REPLACE_EXISTING);
            LOG.warning(() -> "quarantined " + file + " as " + moved + ": " + reason);
        } catch (NoSuchFileException e) {
            // Gone meanwhile: nothing left to quarantine.
        }
    }

    /** The two slot files of one segment, computed once per key (the hash is on the write path). */
    private record Slots(String hash, Path a, Path b) {

        static Slots of(Path directory, String hash) {
            return new Slots(hash, directory.resolve(slotFileName(hash, SLOT_A)),
                    directory.resolve(slotFileName(hash, SLOT_B)));
        }

        void forEach(java.util.function.Consumer<Path> action) {
            action.accept(a);
            action.accept(b);
        }
    }

    /** The current version of a segment, its slots and the slot that holds it. */
    private record Entry(SegmentMetadata metadata, Slots slots, Path file) {
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete " + file, e);
        }
    }
}
