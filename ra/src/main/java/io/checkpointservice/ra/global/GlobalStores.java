package io.checkpointservice.ra.global;

import io.checkpointservice.ra.config.InvalidSettingsException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/** Opens the global store a {@code globalStore} URL names; the one place that knows the backends. */
public final class GlobalStores {

    private GlobalStores() {
    }

    /**
     * @param url null for none; otherwise a {@code file:} URL (the setting's parser refused the rest)
     * @throws InvalidSettingsException saying what to change, when the store cannot be used
     */
    public static GlobalStore open(URI url) {
        if (url == null) {
            return GlobalStore.NONE;
        }
        if (!"file".equalsIgnoreCase(url.getScheme())) {
            throw new InvalidSettingsException(List.of("globalStore '" + url + "': only file: URLs are supported"));
        }
        try {
            return DirectoryGlobalStore.open(Path.of(url));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingsException(List.of(e.getMessage()));
        }
    }
}
