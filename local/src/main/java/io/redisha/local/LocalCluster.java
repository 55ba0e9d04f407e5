package io.redisha.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.redisha.cluster.CheckReport;
import io.redisha.cluster.ClusterEngine;
import io.redisha.cluster.ConvergeResult;
import io.redisha.cluster.Roller;
import io.redisha.cluster.model.ClusterListener;
import io.redisha.cluster.model.LiveCluster;
import io.redisha.cluster.transport.ClusterRefusedException;
import io.redisha.cluster.transport.Credentials;
import io.redisha.server.RedisConf;
import io.redisha.server.RedisServerProcess;
import io.redisha.server.ServerBinary;
import io.redisha.topology.InputLimits;
import io.redisha.topology.InvalidInputException;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.Placement;
import io.redisha.topology.Plan;
import io.redisha.topology.PlannedNode;
import io.redisha.topology.Planner;
import io.redisha.topology.RedisDirectives;
import io.redisha.topology.ZoneLoss;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A cluster of real {@code redis-server} processes on loopback, labelled with zones and formed by
 * the same engine as on EC2: the embedded default, no cloud needed.
 */
public final class LocalCluster {
    public static final Path DEFAULT_DIR = Path.of(".redis-ha", "local");
    private static final String STATE_FILE = "state.json";
    private static final String TLS_DIR = "tls";
    static final String HOST = RedisServerProcess.HOST;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final ClusterEngine engine;

    public LocalCluster(Path dir, ClusterEngine engine) {
        this.dir = dir.toAbsolutePath();
        this.engine = engine;
    }

    /**
     * @param tls                nodes on TLS only (tls-port, tls-cluster, tls-replication), certificates made with openssl in DIR/tls
     * @param nodeTimeoutMs      every node's {@code cluster-node-timeout}, within {@link InputLimits#NODE_TIMEOUT_MS}'s valid range
     * @param minReplicasToWrite the safe write mode: {@code min-replicas-to-write} on every node (0: plain writes)
     * @param server             the redis-server or valkey-server executable; empty for {@link ServerBinary#defaultPath()}
     */
    public record Options(int masters, int replicas, List<String> zones, int basePort, Optional<String> passwordEnv,
                          ZoneLoss zoneLoss, boolean tls, int nodeTimeoutMs, int minReplicasToWrite, Optional<String> server) {
        public Options {
            zones = List.copyOf(zones);
        }

        public Options(int masters, int replicas, List<String> zones, int basePort, Optional<String> passwordEnv,
                       ZoneLoss zoneLoss, boolean tls) {
            this(masters, replicas, zones, basePort, passwordEnv, zoneLoss, tls, RedisDirectives.DEFAULT_NODE_TIMEOUT_MS, 0, Optional.empty());
        }

        public Options(int masters, int replicas, List<String> zones, int basePort, Optional<String> passwordEnv, ZoneLoss zoneLoss) {
            this(masters, replicas, zones, basePort, passwordEnv, zoneLoss, false);
        }

        ServerBinary binary() {
            return server.map(ServerBinary::of).orElseGet(ServerBinary::defaultBinary);
        }
    }

    /**
     * @param alreadyUp true when a running cluster was found and nothing was started or changed
     * @param formed    what converge did; empty when already up
     */
    public record UpResult(boolean alreadyUp, Placement placement, Optional<ConvergeResult> formed, CheckReport status,
                           LocalState state) {
    }

    public Path dir() {
        return dir;
    }

    static boolean hasState(Path dir) {
        return Files.exists(dir.resolve(STATE_FILE));
    }

    public Optional<LocalState> state() {
        Path file = dir.resolve(STATE_FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), LocalState.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + "; delete it if no local cluster runs", e);
        }
    }

    public UpResult up(Options options, ClusterListener listener) {
        Optional<LocalState> existing = state();
        if (existing.isPresent()) {
            List<String> dead = existing.get().nodes().stream().filter(n -> !Processes.alive(n.pid())).map(n -> n.name() + " (port " + n.port() + ")").toList();
            if (!dead.isEmpty()) {
                throw new ClusterRefusedException("a local cluster in " + dir + " is only partly running", List.of(
                        "not running: " + String.join(", ", dead) + "; run 'redis-ha local down' first, then 'local up' again"));
            }
            LocalState s = existing.get();
            return new UpResult(true, s.placement(), Optional.empty(), status(), s);
        }
        // Validate everything before a process starts.
        Plan plan = Planner.plan(options.masters(), options.replicas(), options.zones(), options.zoneLoss());
        if (!InputLimits.NODE_TIMEOUT_MS.valid(options.nodeTimeoutMs())) {
            throw new InvalidInputException("node-timeout-ms", options.nodeTimeoutMs(), InputLimits.NODE_TIMEOUT_MS.validRange());
        }
        Optional<String> password = password(options.passwordEnv());
        ServerBinary server = options.binary();
        int count = plan.nodes().size();
        if (options.basePort() < 1 || options.basePort() + count - 1 > NodeAddress.MAX_CLIENT_PORT) {
            throw new InvalidInputException("base-port", options.basePort(), "1.." + (NodeAddress.MAX_CLIENT_PORT - count + 1)
                    + " so that all " + count + " ports and their bus ports (+10000) stay <= 65535");
        }
        List<String> busy = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int port = options.basePort() + i;
            for (int p : new int[] {port, port + NodeAddress.BUS_PORT_OFFSET}) {
                if (!RedisServerProcess.portFree(p)) {
                    busy.add(Integer.toString(p));
                }
            }
        }
        if (!busy.isEmpty()) {
            throw new InvalidInputException("base-port", options.basePort(), "a base port whose " + count
                    + " ports and bus ports (+10000) are free; in use: " + String.join(", ", busy));
        }

        List<LocalState.Node> nodes = new ArrayList<>();
        Map<String, NodeAddress> addresses = new LinkedHashMap<>();
        plan.nodes().forEach(n -> addresses.put(n.name(), new NodeAddress(HOST, options.basePort() + plan.nodes().indexOf(n))));
        Placement placement = new Placement(plan, addresses);
        Optional<RedisConf.TlsFiles> tlsFiles = options.tls() ? Optional.of(LocalTls.ensure(dir.resolve(TLS_DIR))) : Optional.empty();
        listener.step("start redis-server", count);
        try {
            for (int i = 0; i < count; i++) {
                PlannedNode planned = plan.nodes().get(i);
                int port = options.basePort() + i;
                Path nodeDir = dir.resolve("node-" + port);
                RedisConf.Settings settings = new RedisConf.Settings(port, nodeDir, password, options.replicas(), true, tlsFiles)
                        .withNodeTimeout(options.nodeTimeoutMs()).withMinReplicasToWrite(options.minReplicasToWrite())
                        .on(server, planned.zone());
                long pid = RedisServerProcess.startDaemon(settings);
                nodes.add(new LocalState.Node(planned.name(), port, planned.zone(), pid, nodeDir.toString(), server.path()));
                listener.progress(i + 1);
            }
        } finally {
            // Written even when a start fails, so that 'down' can stop what did start.
            write(new LocalState(options.masters(), options.replicas(), plan.zones(), options.passwordEnv().orElse(""), nodes, options.tls(),
                    options.basePort(), placement, List.of(), List.of(), options.nodeTimeoutMs(), options.minReplicasToWrite()));
            LocalRegistry.register(dir);
        }
        LocalState state = requireState();
        ConvergeResult formed = engine.converge(placement, credentials(state), listener);
        return new UpResult(false, placement, Optional.of(formed), status(), state);
    }

    /** Check with the zones from the state file. */
    public CheckReport status() {
        LocalState s = state().orElseThrow(() -> new ClusterRefusedException("no local cluster in " + dir,
                List.of("start one with 'redis-ha local up'")));
        Placement placement = s.placement();
        return engine.check(new ArrayList<>(placement.addresses().values()), placement.zoneByAddress(), credentials(s));
    }

    /**
     * One stopped process: when it was sent SIGTERM and when it was gone ({@link System#nanoTime()}).
     * All are signalled before any is awaited, so stopping N nodes takes about as long as one.
     */
    public record Stopped(LocalState.Node node, long signalledNanos, long goneNanos) {
    }

    /** @param leftRunning members {@code create} added that {@code up} did not start: not ours to stop */
    public record DownResult(List<Stopped> stopped, List<LocalState.Node> leftRunning) {
    }

    /** Stops every process {@code up} started, all at once, waits until each is gone, and removes the data. */
    public DownResult down(ClusterListener listener) {
        // The zone watchdogs first: they must not fail over masters that are being stopped on purpose.
        new LocalWatchdogs(dir).stop();
        Optional<LocalState> s = state();
        if (s.isEmpty()) {
            LocalRegistry.unregister(dir);
            return new DownResult(List.of(), List.of());
        }
        List<LocalState.Node> nodes = s.get().processes();
        listener.step("stop redis-server", nodes.size());
        Map<LocalState.Node, Long> signalled = new LinkedHashMap<>();
        for (LocalState.Node node : nodes) {
            signal(node.pid());
            signalled.put(node, System.nanoTime());
        }
        List<Stopped> stopped = new ArrayList<>();
        for (LocalState.Node node : nodes) {
            awaitGone(node.pid());
            stopped.add(new Stopped(node, signalled.get(node), System.nanoTime()));
            listener.progress(stopped.size());
        }
        for (LocalState.Node node : nodes) {
            deleteTree(Path.of(node.dir()));
        }
        deleteTree(dir.resolve(TLS_DIR));
        try {
            Files.deleteIfExists(dir.resolve(STATE_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LocalRegistry.unregister(dir);
        return new DownResult(stopped, s.get().nodes().stream().filter(n -> !n.startedByUp()).toList());
    }

    /**
     * After {@code create} grew or shrank a cluster: every running local cluster with a member in the
     * placement takes the placement as its own, so {@code status} judges every member by its zone.
     * Nodes it did not start are recorded without a pid; members that left stay as retired processes.
     *
     * @return the directories whose state changed
     */
    public static List<Path> follow(Placement placement) {
        List<Path> followed = new ArrayList<>();
        java.util.Set<Path> dirs = new java.util.LinkedHashSet<>(LocalRegistry.running());
        if (hasState(DEFAULT_DIR.toAbsolutePath())) {
            dirs.add(DEFAULT_DIR.toAbsolutePath());
        }
        for (Path d : dirs) {
            LocalCluster local = new LocalCluster(d, new ClusterEngine());
            LocalState s = local.requireState();
            Map<Integer, LocalState.Node> byPort = new LinkedHashMap<>();
            java.util.stream.Stream.concat(s.nodes().stream(), s.retired().stream()).forEach(n -> byPort.put(n.port(), n));
            boolean ours = placement.addresses().values().stream().anyMatch(a -> isLoopback(a) && byPort.containsKey(a.port()));
            if (!ours || s.placement().equals(placement)) {
                continue;
            }
            List<LocalState.Node> members = new ArrayList<>();
            placement.addresses().forEach((name, a) -> {
                LocalState.Node known = byPort.remove(a.port());
                members.add(new LocalState.Node(name, a.port(), placement.plan().node(name).zone(),
                        known == null ? 0 : known.pid(), known == null ? "" : known.dir(), known == null ? "" : known.server()));
            });
            List<LocalState.Node> retired = byPort.values().stream().filter(LocalState.Node::startedByUp).toList();
            local.write(new LocalState(placement.plan().masters(), placement.plan().replicasPerMaster(), placement.plan().zones(),
                    s.passwordEnv(), members, s.tls(), s.basePort(), placement, retired, List.of(), s.nodeTimeoutMs(),
                    s.minReplicasToWrite()));
            followed.add(d);
        }
        return followed;
    }

    private static boolean isLoopback(NodeAddress address) {
        try {
            return InetAddress.getByName(address.bareHost()).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private Credentials credentials(LocalState s) {
        Credentials plain = new Credentials(password(Optional.of(s.passwordEnv()).filter(v -> !v.isEmpty())));
        return s.tls() ? plain.withTls(LocalTls.clientSettings(dir.resolve(TLS_DIR))) : plain;
    }

    /** The state file, or a refusal that says how to start a cluster. */
    public LocalState requireState() {
        return state().orElseThrow(() -> new ClusterRefusedException("no local cluster in " + dir,
                List.of("start one with 'redis-ha local up'")));
    }

    /** How to connect to the local nodes: password from the recorded variable, TLS when up ran with --tls. */
    public Credentials credentials() {
        return credentials(requireState());
    }

    /** The placement the local nodes play (from {@code up}, or the last {@code create} that changed them). */
    public Placement placement() {
        return requireState().placement();
    }

    /**
     * The next generation for {@code local roll}: one new, empty redis-server per node on new ports
     * (above every port in use), recorded in the state file before any node is touched, so a rerun
     * after a killed roll finds the same ones. Returns old address to new, in node order.
     *
     * @param start  false for a dry run: the ports the new generation would take, nothing started
     * @param server the executable of the new generation; empty to keep each node's own. Refused, before
     *               anything starts, when its nodes could not load the running nodes' snapshots
     */
    public synchronized List<Roller.Replacement> nextGeneration(boolean start, Optional<String> server, ClusterListener listener) {
        LocalState s = requireState();
        Optional<ServerBinary> binary = server.map(ServerBinary::of);
        binary.ifPresent(b -> refuseImpossibleRoll(s, b));
        if (!s.rolling().isEmpty()) {
            binary.filter(b -> s.rolling().stream().anyMatch(n -> !n.server().equals(b.path()))).ifPresent(b -> {
                throw new InvalidInputException("server", b.path(), "the server of the roll in progress (" + s.rolling().get(0).server()
                        + "): rerun it as it was started, to the end");
            });
            List<String> dead = s.rolling().stream().filter(n -> !Processes.alive(n.pid())).map(n -> n.name() + " (port " + n.port() + ")").toList();
            if (!dead.isEmpty() && start) {
                throw new ClusterRefusedException("new nodes of the roll in progress are not running", List.of("not running: "
                        + String.join(", ", dead) + "; their data is the cluster's now: start them again, or 'local down' if this is a test"));
            }
            return pairs(s.nodes(), s.rolling());
        }
        List<String> dead = s.nodes().stream().filter(n -> !Processes.alive(n.pid())).map(n -> n.name() + " (port " + n.port() + ")").toList();
        if (!dead.isEmpty()) {
            throw new ClusterRefusedException("refusing to roll a local cluster with nodes down", List.of("not running: "
                    + String.join(", ", dead) + "; start them again (local heal after a drill) first"));
        }
        List<Integer> ports = new ArrayList<>();
        int port = s.nodes().stream().mapToInt(LocalState.Node::port).max().orElse(0) + 1;
        while (ports.size() < s.nodes().size()) {
            if (port > NodeAddress.MAX_CLIENT_PORT) {
                throw new InvalidInputException("base-port", s.nodes().get(0).port(), "room above the running nodes for "
                        + s.nodes().size() + " new ports and bus ports (<= " + NodeAddress.MAX_CLIENT_PORT + ")");
            }
            if (RedisServerProcess.portFree(port) && RedisServerProcess.portFree(port + NodeAddress.BUS_PORT_OFFSET)) {
                ports.add(port);
            }
            port++;
        }
        List<LocalState.Node> next = new ArrayList<>();
        if (!start) {
            for (int i = 0; i < ports.size(); i++) {
                LocalState.Node old = s.nodes().get(i);
                next.add(new LocalState.Node(old.name(), ports.get(i), old.zone(), 0, dir.resolve("node-" + ports.get(i)).toString(),
                        binary.map(ServerBinary::path).orElse(old.server())));
            }
            return pairs(s.nodes(), next);
        }
        Optional<String> password = password(Optional.of(s.passwordEnv()).filter(v -> !v.isEmpty()));
        Optional<RedisConf.TlsFiles> tlsFiles = s.tls() ? Optional.of(LocalTls.ensure(dir.resolve(TLS_DIR))) : Optional.empty();
        listener.step("start the next generation of redis-server", ports.size());
        try {
            for (int i = 0; i < ports.size(); i++) {
                LocalState.Node old = s.nodes().get(i);
                Path nodeDir = dir.resolve("node-" + ports.get(i));
                ServerBinary nodeServer = binary.orElseGet(() -> ServerBinary.of(old.server()));
                long pid = RedisServerProcess.startDaemon(new RedisConf.Settings(ports.get(i), nodeDir, password, s.replicas(), true, tlsFiles)
                        .withNodeTimeout(s.nodeTimeoutMs()).withMinReplicasToWrite(s.minReplicasToWrite()).on(nodeServer, old.zone()));
                next.add(new LocalState.Node(old.name(), ports.get(i), old.zone(), pid, nodeDir.toString(), nodeServer.path()));
                listener.progress(i + 1);
            }
        } finally {
            // Written even when a start fails, so that 'down' stops what did start.
            write(s.withNodes(s.nodes(), next));
        }
        return pairs(s.nodes(), next);
    }

    /** The running members' servers (from INFO server) against the new one: the engine's rule, asked before any process starts. */
    private void refuseImpossibleRoll(LocalState s, ServerBinary next) {
        List<io.redisha.topology.ServerVersion> running = LiveCluster.loadFrom(s.nodes().stream()
                .map(n -> new NodeAddress(HOST, n.port())).toList(), credentials(s)).members().stream()
                .filter(m -> s.rolling().stream().noneMatch(n -> n.port() == m.address().port()))
                .map(LiveCluster.Member::server).distinct().toList();
        io.redisha.topology.ServerVersion.rollRefusal(running, next.version()).ifPresent(reason -> {
            throw new ClusterRefusedException("refusing to roll the local cluster in " + dir + " onto " + next.path() + ", nothing was started",
                    List.of(reason));
        });
    }

    private static List<Roller.Replacement> pairs(List<LocalState.Node> olds, List<LocalState.Node> news) {
        List<Roller.Replacement> pairs = new ArrayList<>();
        for (int i = 0; i < olds.size(); i++) {
            pairs.add(new Roller.Replacement(new NodeAddress(HOST, olds.get(i).port()), new NodeAddress(HOST, news.get(i).port())));
        }
        return pairs;
    }

    /**
     * The roll's retirement of an old local node: end its process and delete its data; nothing when
     * already gone. It has left the cluster and was reset, so nothing in it is needed: SIGKILL spares
     * the shutdown save, and the closed port (not the reaping of the daemon, which init does later)
     * says it is gone.
     */
    public synchronized void retire(NodeAddress old) {
        requireState().nodes().stream().filter(n -> n.port() == old.port()).findFirst().ifPresent(n -> {
            ProcessHandle.of(n.pid()).filter(ProcessHandle::isAlive).filter(RedisServerProcess::isRedis).ifPresent(ProcessHandle::destroyForcibly);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (RedisServerProcess.answers(n.port()) && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            deleteTree(Path.of(n.dir()));
        });
    }

    /** The roll is done: the new generation becomes the cluster's nodes. */
    public synchronized LocalState finishRoll() {
        LocalState s = requireState();
        if (s.rolling().isEmpty()) {
            return s;
        }
        LocalState done = s.rolled();
        write(done);
        return done;
    }

    /** SIGKILL, like a crashed host: no clean shutdown, no final AOF flush. Returns once the pid is gone. */
    public void kill(LocalState.Node node) {
        ProcessHandle.of(node.pid()).filter(ProcessHandle::isAlive)
                .filter(RedisServerProcess::isRedis)
                .ifPresent(h -> {
                    h.destroyForcibly();
                    // Gone once it exited (its sockets are closed), not once init reaped it: a drill would
                    // count a late reaper's wait as outage.
                    Processes.exitsWithin(h, java.time.Duration.ofSeconds(10));
                });
    }

    public boolean isRunning(LocalState.Node node) {
        return Processes.alive(node.pid());
    }

    /**
     * Starts a stopped node again from its own redis.conf and nodes.conf (it rejoins as it was, and
     * the cluster demotes it when its slots moved on), and records the new pid in the state file.
     */
    public synchronized LocalState.Node restart(LocalState.Node node) {
        if (Processes.alive(node.pid())) {
            return node;
        }
        long pid = RedisServerProcess.restartDaemon(node.server(), Path.of(node.dir()), node.port());
        LocalState.Node restarted = new LocalState.Node(node.name(), node.port(), node.zone(), pid, node.dir(), node.server());
        LocalState s = requireState();
        write(s.withNodes(s.nodes().stream().map(n -> n.name().equals(node.name()) ? restarted : n).toList(), s.rolling()));
        return restarted;
    }

    private static Optional<String> password(Optional<String> env) {
        if (env.isEmpty()) {
            return Optional.empty();
        }
        String value = System.getenv(env.get());
        if (value == null || value.isEmpty()) {
            throw new InvalidInputException("password-env", env.get(), "the name of a set, non-empty environment variable holding the password");
        }
        return Optional.of(value);
    }

    /** SIGTERM: redis shuts down cleanly. Only a redis-server is ours to stop (a pid may have been recycled). */
    private static void signal(long pid) {
        ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(RedisServerProcess::isRedis)
                .ifPresent(ProcessHandle::destroy);
    }

    /** Waits until a signalled redis-server has exited, SIGKILLing it if it lingers past 10 s. */
    private static void awaitGone(long pid) {
        ProcessHandle.of(pid).filter(RedisServerProcess::isRedis)
                .ifPresent(h -> Processes.awaitExit(h, java.time.Duration.ofSeconds(10)));
    }

    private void write(LocalState state) {
        try {
            Files.createDirectories(dir);
            JSON.writeValue(dir.resolve(STATE_FILE).toFile(), state);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(STATE_FILE), e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
