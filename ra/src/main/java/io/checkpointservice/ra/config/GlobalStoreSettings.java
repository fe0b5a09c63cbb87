package io.checkpointservice.ra.config;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Where the global store is and, for a {@code jdbc:} URL, how to log in: {@code globalStore},
 * {@code globalStoreUser} and the content of {@code globalStorePasswordFile}. The password never
 * appears in a message, a log line or {@link #toString()}.
 *
 * @param url null for none; a {@code file:}, {@code datasource:} or {@code jdbc:postgresql:} URL
 * @param user the database user of a {@code jdbc:} URL; null to let the driver choose
 * @param passwordFile the file the password was read from; null for none
 * @param password the database password of a {@code jdbc:} URL; null for none
 */
public record GlobalStoreSettings(URI url, String user, String passwordFile, String password) {

    /** No global store. */
    public static final GlobalStoreSettings NONE = new GlobalStoreSettings(null, null, null, null);

    private static final Logger LOG = Logger.getLogger(GlobalStoreSettings.class.getName());

    /** @return a store at {@code url} that needs no login (a directory, a server's DataSource) */
    public static GlobalStoreSettings at(URI url) {
        return new GlobalStoreSettings(url, null, null, null);
    }

    /** @return true for a {@code jdbc:} URL: the node connects to the database itself */
    public boolean isJdbc() {
        return url != null && "jdbc".equalsIgnoreCase(url.getScheme());
    }

    /**
     * Reads the password file, adding what is wrong to {@code problems}: a login given for a store
     * that takes none (a directory; a DataSource, which holds its own) is refused, not ignored.
     */
    static GlobalStoreSettings parse(URI url, String user, String passwordFile, List<String> problems) {
        boolean jdbc = url != null && "jdbc".equals(url.getScheme().toLowerCase(Locale.ROOT));
        if (!jdbc && (user != null || passwordFile != null)) {
            problems.add("globalStoreUser and globalStorePasswordFile are for a jdbc: globalStore only"
                    + (url != null && "datasource".equalsIgnoreCase(url.getScheme())
                    ? "; a datasource: store logs in with the DataSource's own credentials, set in the server"
                    : "; remove them"));
            return at(url);
        }
        String password = null;
        if (passwordFile != null) {
            try {
                Path path = Path.of(passwordFile);
                password = Files.readString(path, StandardCharsets.UTF_8).strip(); // files end in a newline
                warnIfOthersCanRead(path);
            } catch (IOException | InvalidPathException | SecurityException e) {
                problems.add("globalStorePasswordFile '" + passwordFile + "' cannot be read: "
                        + e.getClass().getSimpleName());
            }
        }
        return new GlobalStoreSettings(url, user, passwordFile, password);
    }

    private static void warnIfOthersCanRead(Path path) throws IOException {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
            if (permissions.contains(PosixFilePermission.GROUP_READ)
                    || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warning(() -> "globalStorePasswordFile " + path + " is readable by other users; chmod 600 it");
            }
        } catch (UnsupportedOperationException notPosix) {
            // Windows: ACLs, not checked here.
        }
    }

    @Override
    public String toString() {
        return "GlobalStoreSettings[url=" + url + ", user=" + user + ", passwordFile=" + passwordFile
                + ", password=" + (password == null ? "none" : "hidden") + "]";
    }
}
