package io.checkpointservice.ra.service;

import io.checkpointservice.api.SegmentNames;

/**
 * A segment's identity in the cluster: the connection factory's namespace and the
 * application's name. {@link #key()} is the one string every store and node uses.
 *
 * @param namespace a valid namespace
 * @param name a valid segment name
 */
public record SegmentKey(String namespace, String name) {

    /**
     * @throws io.checkpointservice.api.InvalidSegmentNameException when either part is invalid
     */
    public SegmentKey {
        SegmentNames.requireValidNamespace(namespace);
        SegmentNames.requireValidName(name);
    }

    /** @return {@code namespace/name} */
    public String key() {
        return namespace + "/" + name;
    }

    @Override
    public String toString() {
        return key();
    }
}
