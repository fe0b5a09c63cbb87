package io.checkpointservice.ra.global;

import io.checkpointservice.ra.cluster.SegmentRecord;
import java.util.Comparator;
import java.util.Optional;

/**
 * The file name of one copy in a segment's directory: {@code e<dataEpoch>-v<version>-<dataWriter>.copy},
 * the three fields that name a published version's data ({@link SegmentRecord#sameDataAs}, less
 * the placement, which only says where its chunks lived). Node names are words of
 * {@code A-Z a-z 0-9 . _ -}, safe in a file name.
 *
 * @param dataEpoch the epoch the version was published under
 * @param version the version
 * @param dataWriter the node that published it
 */
record CopyName(long dataEpoch, long version, String dataWriter) {

    static final String SUFFIX = ".copy";

    /**
     * Newest first: a higher data epoch is a later lineage (a take-over raises the epoch before
     * the new writer publishes), then the higher version; the writer's name only makes the order total.
     */
    static final Comparator<CopyName> NEWEST_FIRST = Comparator.comparingLong(CopyName::dataEpoch)
            .thenComparingLong(CopyName::version)
            .thenComparing(CopyName::dataWriter)
            .reversed();

    static CopyName of(SegmentRecord record) {
        return new CopyName(record.dataEpoch(), record.version(), record.dataWriter());
    }

    String fileName() {
        return "e" + dataEpoch + "-v" + version + "-" + dataWriter + SUFFIX;
    }

    /** @return the name of a copy's file; empty for any other file (a temporary one, a stranger's) */
    static Optional<CopyName> parse(String fileName) {
        if (!fileName.startsWith("e") || !fileName.endsWith(SUFFIX)) {
            return Optional.empty();
        }
        String[] f = fileName.substring(1, fileName.length() - SUFFIX.length()).split("-", 3);
        if (f.length != 3 || !f[1].startsWith("v") || f[2].isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new CopyName(Long.parseLong(f[0]), Long.parseLong(f[1].substring(1)), f[2]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
