package io.checkpointservice.payara;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The TCP listening and UDP bound sockets of one process, read from Linux's /proc (the socket
 * inodes among the process's file descriptors, matched against /proc/net/tcp, tcp6, udp, udp6).
 * Runs on the client only.
 */
final class ListeningSockets {

    /** /proc/net/tcp state of a listening socket. */
    private static final String LISTEN = "0A";
    private static final Set<String> LOOPBACK = Set.of(
            "0100007F",                          // 127.0.0.1
            "0000000000000000FFFF00000100007F",  // ::ffff:127.0.0.1
            "00000000000000000000000001000000"); // ::1

    private ListeningSockets() {
    }

    /**
     * @param pid a running process
     * @return one line per socket of that process bound to an address other than loopback, as
     *     {@code tcp 00000000:7594} (hex address and port, as /proc shows them)
     */
    static List<String> notOnLoopback(long pid) throws IOException {
        Set<String> inodes = socketInodes(pid);
        List<String> found = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6", "udp", "udp6")) {
            Path file = Path.of("/proc", Long.toString(pid), "net", table);
            if (!Files.exists(file)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                String local = f[1];
                String state = f[3];
                String inode = f[9];
                boolean bound = table.startsWith("udp") || LISTEN.equals(state);
                String address = local.substring(0, local.indexOf(':')).toUpperCase(Locale.ROOT);
                if (bound && inodes.contains(inode) && !LOOPBACK.contains(address)) {
                    found.add(table + " " + local);
                }
            }
        }
        return found;
    }

    private static Set<String> socketInodes(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // a descriptor closed while we read the directory
                }
            }
        }
        return inodes;
    }
}
