package io.checkpointservice.ra.global;

import io.checkpointservice.ra.config.GlobalStoreSettings;
import io.checkpointservice.ra.config.InvalidSettingsException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Opens the global store the {@code globalStore} settings name; the one place that knows the backends. */
public final class GlobalStores {

    private GlobalStores() {
    }

    /**
     * @param settings {@link GlobalStoreSettings#NONE} for none; otherwise a {@code file:},
     *     {@code datasource:} or {@code jdbc:postgresql:} URL (the setting's parser refused the rest)
     * @return the store, reached and checked usable now
     * @throws InvalidSettingsException saying what to change, when the store cannot be used: a
     *     node does not start without the store it is told to use
     */
    public static GlobalStore open(GlobalStoreSettings settings) {
        return open(settings, 1);
    }

    /**
     * @param retainVersions how many versions of each segment the store keeps, newest first (1 to
     *     {@code Settings.MAX_RETAIN_VERSIONS}, checked by the settings)
     * @see #open(GlobalStoreSettings)
     */
    public static GlobalStore open(GlobalStoreSettings settings, int retainVersions) {
        URI url = settings.url();
        if (url == null) {
            return GlobalStore.NONE;
        }
        try {
            return switch (url.getScheme().toLowerCase(Locale.ROOT)) {
                case "file" -> DirectoryGlobalStore.open(Path.of(url), retainVersions);
                case "datasource" -> JdbcGlobalStore.open(DataSourceConnections.lookup(url.getSchemeSpecificPart()),
                        retainVersions);
                case "jdbc" -> JdbcGlobalStore.open(DriverConnections.of(url.toString(), settings.user(),
                        settings.password()), retainVersions);
                default -> throw new IllegalArgumentException("globalStore '" + url + "': only file:, datasource: and "
                        + "jdbc:postgresql: URLs are supported");
            };
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingsException(List.of(e.getMessage()));
        }
    }
}
