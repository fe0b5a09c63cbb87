package io.checkpointservice.replica.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A small network of its own on this machine, for tests that split the cluster by taking a link
 * down: one network namespace per node, each joined to a bridge in this (the test JVM's)
 * namespace by a veth pair, its cluster link; and a second veth pair per node, its control link,
 * a /30 of its own that reaches only this namespace, so that the test can drive a node whose
 * cluster link is down.
 *
 * <pre>
 *   namespace cpt-A: cpte-A 10.231.0.1/24 --veth-- cpth-A --+
 *   namespace cpt-B: cpte-B 10.231.0.2/24 --veth-- cpth-B --+-- bridge cpt-br (no address)
 *   namespace cpt-C: cpte-C 10.231.0.3/24 --veth-- cpth-C --+
 *   namespace cpt-A: cptk-A 10.231.1.6/30  --veth-- cptc-A 10.231.1.5/30  (control of node 1;
 *                                                    node n: 10.231.1.(4n+2) and .(4n+1))
 * </pre>
 *
 * The namespaces have no route but their two connected networks, so nothing a node sends can
 * leave this machine. {@link #linkDown} takes a node's host-side cluster link down (carrier
 * lost: packets are dropped, no connection is reset), {@link #linkUp} brings it back.
 * {@link #close} removes every namespace, link and the bridge; {@link #create} first removes
 * leftovers of the same names, which only this class creates (a test JVM killed before its
 * cleanup).
 *
 * <p>Needs root (CAP_NET_ADMIN) and the {@code ip} tool; {@link #create} says why when it cannot.
 */
final class NetworkNamespaces implements AutoCloseable {

    private static final String SUBNET = "10.231.0.";
    private static final String CONTROL_SUBNET = "10.231.1.";
    private static final String BRIDGE = "cpt-br";

    private final String ip;
    private final Map<String, String> addresses = new LinkedHashMap<>();
    private final Map<String, String> controlAddresses = new LinkedHashMap<>();
    private final List<String> created = new ArrayList<>();
    private boolean bridgeCreated;

    private NetworkNamespaces(String ip) {
        this.ip = ip;
    }

    /**
     * Creates a namespace for each node, with addresses 10.231.0.1, .2, ... in the given order.
     *
     * @param nodes node names of at most 10 characters (they name interfaces), at most 60 of them
     * @throws IllegalStateException saying why the machine does not allow it; nothing is left behind
     */
    static NetworkNamespaces create(String... nodes) {
        NetworkNamespaces net = new NetworkNamespaces(ipTool());
        try {
            net.removeLeftovers(nodes);
            net.run("link", "add", BRIDGE, "type", "bridge");
            net.bridgeCreated = true;
            net.run("link", "set", BRIDGE, "up");
            int host = 1;
            for (String node : nodes) {
                net.add(node, SUBNET + host, CONTROL_SUBNET + (4 * host + 2), CONTROL_SUBNET + (4 * host + 1));
                host++;
            }
            return net;
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }

    private void add(String node, String address, String controlAddress, String controlHostAddress) {
        String namespace = namespace(node);
        run("netns", "add", namespace);
        created.add(node);
        run("link", "add", controlHostLink(node), "type", "veth", "peer", "name", controlNodeLink(node));
        run("link", "set", controlNodeLink(node), "netns", namespace);
        run("addr", "add", controlHostAddress + "/30", "dev", controlHostLink(node));
        run("link", "set", controlHostLink(node), "up");
        run("-n", namespace, "addr", "add", controlAddress + "/30", "dev", controlNodeLink(node));
        run("-n", namespace, "link", "set", controlNodeLink(node), "up");
        controlAddresses.put(node, controlAddress);
        run("link", "add", hostLink(node), "type", "veth", "peer", "name", nodeLink(node));
        run("link", "set", nodeLink(node), "netns", namespace);
        run("link", "set", hostLink(node), "master", BRIDGE);
        run("link", "set", hostLink(node), "up");
        run("-n", namespace, "addr", "add", address + "/24", "dev", nodeLink(node));
        run("-n", namespace, "link", "set", nodeLink(node), "up");
        run("-n", namespace, "link", "set", "lo", "up");
        addresses.put(node, address);
    }

    /** @return the node's address in its namespace */
    String address(String node) {
        String address = addresses.get(node);
        if (address == null) {
            throw new IllegalArgumentException("no namespace for node '" + node + "'; have " + addresses.keySet());
        }
        return address;
    }

    /** @return the node's address on its control link, which {@link #linkDown} leaves up */
    String controlAddress(String node) {
        address(node);
        return controlAddresses.get(node);
    }

    /** @return the command prefix that runs a program in the node's namespace */
    List<String> launcher(String node) {
        address(node);
        return List.of(ip, "netns", "exec", namespace(node));
    }

    /** Takes the node's link down: from now on it reaches nobody and nobody reaches it. */
    void linkDown(String node) {
        run("link", "set", hostLink(node), "down");
    }

    /** Brings the node's link back up. */
    void linkUp(String node) {
        run("link", "set", hostLink(node), "up");
    }

    /** Removes every namespace (and so its end of the veth pair), every host-side link and the bridge. */
    @Override
    public void close() {
        for (String node : created) {
            runQuietly("link", "del", hostLink(node));
            runQuietly("link", "del", controlHostLink(node));
            runQuietly("netns", "del", namespace(node));
        }
        created.clear();
        if (bridgeCreated) {
            runQuietly("link", "del", BRIDGE);
            bridgeCreated = false;
        }
    }

    private void removeLeftovers(String... nodes) {
        for (String node : nodes) {
            for (String link : List.of(hostLink(node), controlHostLink(node))) {
                if (exists("link", "show", link)) {
                    runQuietly("link", "del", link);
                }
            }
            if (Files.exists(Path.of("/run/netns", namespace(node)))) {
                runQuietly("netns", "del", namespace(node));
            }
        }
        if (exists("link", "show", BRIDGE)) {
            runQuietly("link", "del", BRIDGE);
        }
    }

    private static String namespace(String node) {
        return "cpt-" + node;
    }

    /** Interface names are at most 15 characters. */
    private static String hostLink(String node) {
        return "cpth-" + node;
    }

    private static String nodeLink(String node) {
        return "cpte-" + node;
    }

    private static String controlHostLink(String node) {
        return "cptc-" + node;
    }

    private static String controlNodeLink(String node) {
        return "cptk-" + node;
    }

    private static String ipTool() {
        for (String candidate : List.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("the ip tool (iproute2) is not installed");
    }

    private boolean exists(String... args) {
        return execute(args).exitCode == 0;
    }

    private void run(String... args) {
        Result result = execute(args);
        if (result.exitCode != 0) {
            throw new IllegalStateException("ip " + String.join(" ", args) + " failed (exit " + result.exitCode
                    + "): " + result.output.strip());
        }
    }

    private void runQuietly(String... args) {
        Result result = execute(args);
        if (result.exitCode != 0) {
            System.err.println("cleanup: ip " + String.join(" ", args) + " failed: " + result.output.strip());
        }
    }

    private record Result(int exitCode, String output) {
    }

    private Result execute(String... args) {
        List<String> command = new ArrayList<>();
        command.add(ip);
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
