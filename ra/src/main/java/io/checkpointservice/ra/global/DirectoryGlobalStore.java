package io.checkpointservice.ra.global;

import io.checkpointservice.ra.cluster.SegmentRecord;
import io.checkpointservice.ra.global.CopyFormat.CorruptCopyException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.logging.Logger;

/**
 * A {@link GlobalStore} in a directory every replica node mounts (a {@code file:} URL; an NFS
 * share across hosts). One directory per segment, named by the SHA-256 of its key (no key can
 * name a path outside the store), holding one file per stored version ({@link CopyName},
 * {@link CopyFormat}).
 *
 * <p>A copy is written to a temporary file in the segment's directory, forced to the device, and
 * renamed to its name atomically; the rename is what makes it visible, so a reader (any node)
 * sees a whole copy or none, and temporary files left by a crash are never read. The directory
 * is forced after the rename so the name outlives a power loss. Older versions are removed only
 * after that: the store keeps the newest {@code retainVersions} versions of each segment (1 by default).
 */
public final class DirectoryGlobalStore implements GlobalStore {

    private static final Logger LOG = Logger.getLogger(DirectoryGlobalStore.class.getName());
    private static final String TEMP_PREFIX = ".tmp-";

    private final Path root;
    private final int retainVersions;

    private DirectoryGlobalStore(Path root, int retainVersions) {
        this.root = root;
        this.retainVersions = retainVersions;
    }

    /** {@link #open(Path, int)} keeping the newest version of each segment only. */
    public static DirectoryGlobalStore open(Path root) {
        return open(root, 1);
    }

    /**
     * Opens (creating if needed) the store's directory and checks that this node can write there.
     *
     * @param retainVersions how many versions of each segment {@link #put} keeps, newest first
     * @throws IllegalArgumentException saying what to change, when it cannot be created or written
     */
    public static DirectoryGlobalStore open(Path root, int retainVersions) {
        if (retainVersions < 1) {
            throw new IllegalArgumentException("retainVersions must be 1 or more, was " + retainVersions);
        }
        Path absolute = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(absolute);
        } catch (IOException e) {
            throw new IllegalArgumentException("globalStore directory " + absolute + " cannot be created (" + e
                    + "): create it, mount the shared directory there, or point globalStore at another one", e);
        }
        Path probe = absolute.resolve(TEMP_PREFIX + "probe-" + UUID.randomUUID());
        try {
            Files.write(probe, new byte[] {1});
            Files.delete(probe);
        } catch (IOException e) {
            throw new IllegalArgumentException("globalStore directory " + absolute + " is not writable by this node ("
                    + e + "): give this node's user write access, or point globalStore at another directory", e);
        }
        return new DirectoryGlobalStore(absolute, retainVersions);
    }

    @Override
    public boolean configured() {
        return true;
    }

    @Override
    public void put(String key, SegmentRecord record, byte[] data) {
        CopyName name = CopyName.of(record);
        Path directory = segmentDirectory(key);
        try {
            createSegmentDirectory(directory);
            List<CopyName> held = copiesIn(directory);
            if (!held.isEmpty() && CopyName.NEWEST_FIRST.compare(held.get(0), name) <= 0) {
                return; // this version or a newer one is there already
            }
            Path temp = directory.resolve(TEMP_PREFIX + UUID.randomUUID());
            try {
                try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    ByteBuffer header = CopyFormat.header(key, record, record.checksum(), data.length);
                    writeFully(out, header);
                    writeFully(out, ByteBuffer.wrap(data));
                    out.force(true);
                }
                Files.move(temp, directory.resolve(name.fileName()), StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
            forceDirectory(directory);
            // The new copy is the newest: it and the newest retainVersions - 1 of the others stay.
            for (CopyName older : held.subList(Math.min(held.size(), retainVersions - 1), held.size())) {
                Files.deleteIfExists(directory.resolve(older.fileName()));
            }
        } catch (IOException | RuntimeException e) {
            throw new GlobalStoreException("cannot store '" + key + "' v" + record.version() + " in the global store "
                    + root + ": " + e, e);
        }
    }

    @Override
    public boolean holds(String key, SegmentRecord record) {
        return Files.exists(segmentDirectory(key).resolve(CopyName.of(record).fileName()));
    }

    @Override
    public List<SegmentRecord> versions(String key) {
        Path directory = segmentDirectory(key);
        List<SegmentRecord> records = new ArrayList<>();
        try {
            for (CopyName name : copiesIn(directory)) {
                Path file = directory.resolve(name.fileName());
                readHeader(file).ifPresent(header -> {
                    if (header.key().equals(key) && CopyName.of(header.record()).equals(name)) {
                        records.add(header.record());
                    } else {
                        LOG.warning(() -> "global store copy " + file + " names another copy in its header and is "
                                + "not used");
                    }
                });
            }
            return records;
        } catch (IOException e) {
            throw unreadable(key, e);
        }
    }

    @Override
    public Optional<byte[]> get(String key, SegmentRecord record) {
        Path file = segmentDirectory(key).resolve(CopyName.of(record).fileName());
        return read(key, file).filter(copy -> copy.record().size() == record.size()
                && copy.record().checksum() == record.checksum()).map(GlobalCopy::data);
    }

    @Override
    public Optional<GlobalCopy> newest(String key) {
        Path directory = segmentDirectory(key);
        try {
            for (CopyName name : copiesIn(directory)) {
                Optional<GlobalCopy> copy = read(key, directory.resolve(name.fileName()));
                if (copy.isPresent()) {
                    return copy;
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw unreadable(key, e);
        }
    }

    @Override
    public void delete(String key, SegmentRecord tombstone) {
        Path directory = segmentDirectory(key);
        try {
            for (CopyName name : copiesIn(directory)) {
                if (name.version() <= tombstone.version()) {
                    Files.deleteIfExists(directory.resolve(name.fileName()));
                }
            }
            removeIfEmpty(directory);
        } catch (IOException e) {
            throw new GlobalStoreException("cannot delete '" + key + "' from the global store " + root + ": " + e, e);
        }
    }

    /**
     * A deleted segment leaves no directory behind, so that segments coming and going leave the
     * store flat. A copy being put there meanwhile keeps it (not empty), or its put fails and is
     * retried by the archiver.
     */
    private static void removeIfEmpty(Path directory) throws IOException {
        try {
            Files.deleteIfExists(directory);
        } catch (DirectoryNotEmptyException e) {
            // a newer version is there, or being put
        }
    }

    /**
     * One segment directory at a time, its copies newest first until one has an intact header: a
     * damaged newest copy does not hide an older intact one (which the fallback then refuses, as
     * not the record's version, but which recovery may still bring back).
     */
    @Override
    public void forEachNewestRecord(BiConsumer<String, SegmentRecord> action) {
        try (DirectoryStream<Path> segments = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path directory : segments) {
                for (CopyName name : copiesIn(directory)) {
                    Optional<CopyFormat.Header> header = readHeader(directory.resolve(name.fileName()));
                    if (header.isPresent()) {
                        if (directory.getFileName().toString().equals(hash(header.get().key()))) {
                            action.accept(header.get().key(), header.get().record());
                        }
                        break;
                    }
                }
            }
        } catch (IOException e) {
            throw new GlobalStoreException("cannot list the global store " + root + ": " + e, e);
        }
    }

    @Override
    public String describe() {
        return "directory " + root;
    }

    @Override
    public void close() {
        // Nothing held open between calls.
    }

    /** @return the directory of a segment's copies (for tests that damage one) */
    public Path segmentDirectory(String key) {
        return root.resolve(hash(key));
    }

    /** @return the file of the copy of the version {@code record} points at (for tests that damage one) */
    public Path copyFile(String key, SegmentRecord record) {
        return segmentDirectory(key).resolve(CopyName.of(record).fileName());
    }

    private Optional<GlobalCopy> read(String key, Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            CopyFormat.Header header = CopyFormat.readHeader(in);
            if (!header.key().equals(key)) {
                throw new CorruptCopyException("holds '" + header.key() + "', not '" + key + "'");
            }
            return Optional.of(new GlobalCopy(key, header.record(), CopyFormat.readData(in, header)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (CorruptCopyException e) {
            LOG.warning(() -> "global store copy " + file + " of '" + key + "' is damaged and is not used: "
                    + e.getMessage());
            return Optional.empty();
        } catch (IOException e) {
            throw unreadable(key, e);
        }
    }

    private Optional<CopyFormat.Header> readHeader(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 4096)) {
            return Optional.of(CopyFormat.readHeader(in));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (CorruptCopyException e) {
            LOG.warning(() -> "global store copy " + file + " has a damaged header and is not used: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** @return the copies in a segment's directory, newest first; none when it does not exist */
    private static List<CopyName> copiesIn(Path directory) throws IOException {
        List<CopyName> names = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                CopyName.parse(file.getFileName().toString()).ifPresent(names::add);
            }
        } catch (NoSuchFileException e) {
            return names;
        }
        names.sort(CopyName.NEWEST_FIRST);
        return names;
    }

    private void createSegmentDirectory(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory);
            forceDirectory(root);
        }
    }

    /** Makes a rename or a creation in {@code directory} durable (Linux and macOS; a no-op where unsupported). */
    private static void forceDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (UnsupportedOperationException e) {
            // Some platforms cannot open a directory; the rename is still atomic there.
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    private GlobalStoreException unreadable(String key, IOException e) {
        return new GlobalStoreException("cannot read '" + key + "' from the global store " + root + ": " + e, e);
    }

    static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
