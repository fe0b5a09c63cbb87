package io.checkpointservice.ra.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.zip.CRC32C;

/**
 * The on-disk layout of one segment file: a self-checking header, then the state bytes.
 *
 * <pre>
 * int    magic 'CKPT'
 * short  format version (1)
 * int    header length in bytes, header CRC included
 * long   segment version
 * long   epoch
 * long   written at, epoch milliseconds
 * long   data length
 * int    CRC32C of the data
 * short  key length, then the key in UTF-8
 * short  origin node length, then the origin node in UTF-8
 * int    CRC32C of every header byte before it
 * byte[] data
 * </pre>
 *
 * The header names its segment, so a file can be recognised without trusting its file name, and
 * the file length must be exactly header plus data: a torn write is visible without reading the
 * data.
 */
final class SegmentFileFormat {

    static final int MAGIC = 0x434B5054; // "CKPT"
    static final short FORMAT_VERSION = 1;
    /** Fixed part before the two variable strings. */
    private static final int FIXED_PREFIX = 4 + 2 + 4 + 8 + 8 + 8 + 8 + 4;
    /** A header longer than this is garbage, not a header. */
    static final int MAX_HEADER_LENGTH = FIXED_PREFIX + 2 * (2 + 0xFFFF) + 4;

    private SegmentFileFormat() {
    }

    /** @return the header bytes for {@code metadata}, CRC included */
    static ByteBuffer encodeHeader(SegmentMetadata metadata) {
        byte[] key = metadata.key().getBytes(StandardCharsets.UTF_8);
        byte[] origin = metadata.originNode().getBytes(StandardCharsets.UTF_8);
        if (key.length > 0xFFFF || origin.length > 0xFFFF) {
            throw new IllegalArgumentException("key or origin node name too long for the header");
        }
        int length = FIXED_PREFIX + 2 + key.length + 2 + origin.length + 4;
        ByteBuffer header = ByteBuffer.allocate(length);
        header.putInt(MAGIC)
                .putShort(FORMAT_VERSION)
                .putInt(length)
                .putLong(metadata.version())
                .putLong(metadata.epoch())
                .putLong(metadata.writtenAt().toEpochMilli())
                .putLong(metadata.size())
                .putInt(metadata.checksum())
                .putShort((short) key.length).put(key)
                .putShort((short) origin.length).put(origin);
        CRC32C crc = new CRC32C();
        crc.update(header.array(), 0, header.position());
        header.putInt((int) crc.getValue());
        return header.flip();
    }

    /**
     * Reads and checks a header from the start of {@code in}.
     *
     * @return the metadata and the header's length
     * @throws CorruptSegmentException when the bytes are not a whole, intact header
     */
    static DecodedHeader decodeHeader(InputStream in, String source) throws IOException {
        byte[] start = in.readNBytes(10);
        if (start.length < 10) {
            throw new CorruptSegmentException(source + ": truncated header (" + start.length + " bytes)");
        }
        ByteBuffer prefix = ByteBuffer.wrap(start);
        int magic = prefix.getInt();
        short format = prefix.getShort();
        int length = prefix.getInt();
        if (magic != MAGIC) {
            throw new CorruptSegmentException(source + ": not a segment file (bad magic)");
        }
        if (format != FORMAT_VERSION) {
            throw new CorruptSegmentException(source + ": unknown format version " + format);
        }
        if (length < FIXED_PREFIX + 2 + 2 + 4 || length > MAX_HEADER_LENGTH) {
            throw new CorruptSegmentException(source + ": impossible header length " + length);
        }
        byte[] all = new byte[length];
        System.arraycopy(start, 0, all, 0, 10);
        int rest = in.readNBytes(all, 10, length - 10);
        if (rest < length - 10) {
            throw new CorruptSegmentException(source + ": truncated header");
        }
        CRC32C crc = new CRC32C();
        crc.update(all, 0, length - 4);
        ByteBuffer header = ByteBuffer.wrap(all);
        if (header.getInt(length - 4) != (int) crc.getValue()) {
            throw new CorruptSegmentException(source + ": header checksum mismatch");
        }
        header.position(10);
        long version = header.getLong();
        long epoch = header.getLong();
        long writtenAt = header.getLong();
        long size = header.getLong();
        int checksum = header.getInt();
        String key = readString(header, length, source);
        String origin = readString(header, length, source);
        if (header.position() != length - 4) {
            throw new CorruptSegmentException(source + ": header length does not match its fields");
        }
        try {
            SegmentMetadata metadata = new SegmentMetadata(key, version, epoch,
                    Instant.ofEpochMilli(writtenAt), origin, size, checksum);
            return new DecodedHeader(metadata, length);
        } catch (IllegalArgumentException e) {
            throw new CorruptSegmentException(source + ": impossible header values: " + e.getMessage());
        }
    }

    private static String readString(ByteBuffer header, int length, String source) {
        int n = Short.toUnsignedInt(header.getShort());
        if (header.position() + n > length - 4) {
            throw new CorruptSegmentException(source + ": header string runs past the header");
        }
        String s = new String(header.array(), header.position(), n, StandardCharsets.UTF_8);
        header.position(header.position() + n);
        return s;
    }

    /** A checked header and how many bytes it took. */
    record DecodedHeader(SegmentMetadata metadata, int headerLength) {

        /** @return the file length a whole file with this header has */
        long expectedFileLength() {
            return headerLength + metadata.size();
        }
    }
}
