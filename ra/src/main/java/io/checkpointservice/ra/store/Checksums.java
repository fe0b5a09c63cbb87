package io.checkpointservice.ra.store;

import java.util.zip.CRC32C;

/** The one checksum every copy carries (G7): the JDK's CRC32C, hardware-accelerated on x86 and ARM. */
public final class Checksums {

    private Checksums() {
    }

    /** @return the CRC32C of all of {@code data}, as an int */
    public static int crc32c(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data, 0, data.length);
        return (int) crc.getValue();
    }
}
