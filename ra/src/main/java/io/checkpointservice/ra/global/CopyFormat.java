package io.checkpointservice.ra.global;

import io.checkpointservice.ra.cluster.SegmentRecord;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The bytes of one copy file: a header (magic, format, segment key, the record the version was
 * published under, data length, data CRC32C, and the header's own CRC32C), then the data. The
 * header is checked on its own, so a recovery reads records without reading data; the data is
 * checked against the length and CRC32C of the header, which must also equal the record's.
 */
final class CopyFormat {

    private static final int MAGIC = 0x43504753; // "CPGS"
    private static final int FORMAT = 1;
    /** A header larger than this is damage, not a header: keys and records are short. */
    private static final int MAX_TEXT = 64 * 1024;

    private CopyFormat() {
    }

    /** A checked header. */
    record Header(String key, SegmentRecord record, long dataLength, int dataChecksum) {
    }

    /** @return the header of a copy of {@code data} under {@code record} */
    static ByteBuffer header(String key, SegmentRecord record, int dataChecksum, long dataLength) {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        byte[] recordBytes = record.encoded().getBytes(StandardCharsets.UTF_8);
        ByteBuffer header = ByteBuffer.allocate(4 + 4 + 4 + keyBytes.length + 4 + recordBytes.length + 8 + 4 + 4);
        header.putInt(MAGIC).putInt(FORMAT).putInt(keyBytes.length).put(keyBytes).putInt(recordBytes.length)
                .put(recordBytes).putLong(dataLength).putInt(dataChecksum);
        CRC32C crc = new CRC32C();
        crc.update(header.array(), 0, header.position());
        header.putInt((int) crc.getValue());
        return header.flip();
    }

    /**
     * Reads and checks the header; the stream is then at the first data byte.
     *
     * @throws CorruptCopyException when it is not an intact header
     * @throws IOException when the file cannot be read
     */
    static Header readHeader(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        CRC32C crc = new CRC32C();
        try {
            int magic = data.readInt();
            int format = data.readInt();
            if (magic != MAGIC || format != FORMAT) {
                throw new CorruptCopyException("not a copy of format " + FORMAT);
            }
            byte[] keyBytes = text(data);
            byte[] recordBytes = text(data);
            long dataLength = data.readLong();
            int dataChecksum = data.readInt();
            int headerChecksum = data.readInt();
            ByteBuffer covered = ByteBuffer.allocate(4 + 4 + 4 + keyBytes.length + 4 + recordBytes.length + 8 + 4);
            covered.putInt(magic).putInt(format).putInt(keyBytes.length).put(keyBytes).putInt(recordBytes.length)
                    .put(recordBytes).putLong(dataLength).putInt(dataChecksum);
            crc.update(covered.array(), 0, covered.position());
            if ((int) crc.getValue() != headerChecksum) {
                throw new CorruptCopyException("header checksum mismatch");
            }
            SegmentRecord record = SegmentRecord.fromEncoded(new String(recordBytes, StandardCharsets.UTF_8));
            if (dataLength != record.size() || dataChecksum != record.checksum()) {
                throw new CorruptCopyException("header's data length or checksum differs from its record's");
            }
            return new Header(new String(keyBytes, StandardCharsets.UTF_8), record, dataLength, dataChecksum);
        } catch (EOFException e) {
            throw new CorruptCopyException("header cut short");
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new CorruptCopyException("record unreadable: " + e.getMessage());
        }
    }

    /**
     * Reads the data after a header and checks its length and CRC32C.
     *
     * @throws CorruptCopyException when the data is torn or damaged
     */
    static byte[] readData(InputStream in, Header header) throws IOException {
        if (header.dataLength() > Integer.MAX_VALUE - 64) {
            throw new CorruptCopyException("data length " + header.dataLength() + " is too large");
        }
        byte[] bytes = in.readNBytes((int) header.dataLength());
        if (bytes.length != header.dataLength() || in.read() != -1) {
            throw new CorruptCopyException("data is " + (bytes.length != header.dataLength() ? "shorter" : "longer")
                    + " than its header says");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length);
        if ((int) crc.getValue() != header.dataChecksum()) {
            throw new CorruptCopyException("data checksum (CRC32C) mismatch");
        }
        return bytes;
    }

    private static byte[] text(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_TEXT) {
            throw new CorruptCopyException("field length " + length + " out of range");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    /** A copy file that fails its checks: treated as missing, never returned. */
    static final class CorruptCopyException extends IOException {
        private static final long serialVersionUID = 1L;

        CorruptCopyException(String message) {
            super(message);
        }
    }
}
