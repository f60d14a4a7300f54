package dev.gafail.lab;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gafail.lab.aws.ControlPlane;
import dev.gafail.lab.aws.ExperimentView;
import dev.gafail.lab.aws.LabRegions;
import dev.gafail.lab.aws.LabResources;
import dev.gafail.lab.aws.OperatorPolicySource;
import dev.gafail.lab.aws.TopicView;
import dev.gafail.lab.edge.Edge;
import dev.gafail.lab.fault.Fault;
import dev.gafail.lab.fault.Faults;
import dev.gafail.lab.fault.RegionParts;
import dev.gafail.lab.net.Outage;
import dev.gafail.lab.net.TcpProxy;
import dev.gafail.lab.postgres.LostTransaction;
import dev.gafail.lab.postgres.ReplicatedPostgres;
import dev.gafail.lab.s3.S3Server;
import dev.gafail.lab.services.RegionServices;
import dev.gafail.servers.MissingBinariesException;
import dev.gafail.servers.ServerBinaries;
import dev.gafail.servers.os.Await;
import dev.gafail.servers.os.Ports;
import dev.gafail.servers.os.Trees;
import dev.gafail.servers.os.Unprivileged;
import dev.gafail.servers.valkey.ValkeyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The two-region topology on one machine, made of real parts: a PostgreSQL primary and streaming
 * replica, sample-api processes per region (the ECS desired count is a number of processes), a
 * Valkey/Redis server per region, the edge with its traffic dials, and an S3 in a third AWS region
 * for the team's state (Adobe S3Mock). One lab per folder; everything on 127.0.0.1, stopped by
 * process id. Its faults, whether {@link #fail}, {@link #stall} and {@link #degrade} or a FIS
 * experiment asks for them, go through one {@link Faults}, which applies and reverts them.
 */
public final class Lab implements LabRegions, AutoCloseable {

    public static final List<String> REGIONS = List.of("region-a", "region-b");
    public static final String TOPOLOGY = "gafail.yaml";
    /** The file in the lab's folder that holds the secret its users' tokens are signed with (owner-only). */
    public static final String SECRET = "jwt.secret";
    /** What {@code lab fail} and {@code lab heal} call Global Accelerator's control plane alone. */
    public static final String ACCELERATOR = "global-accelerator";
    /** The log of every AWS request the control plane received, in the lab folder. */
    public static final String REQUEST_LOG = ControlPlane.REQUEST_LOG;
    /** Every message the lab's SNS received, in the lab folder. */
    public static final String SNS_MESSAGES = ControlPlane.SNS_MESSAGES;

    private final LabConfig config;
    private final FileChannel lockFile;
    private final FileLock lock;
    private final Path data;
    private final String secret;
    private final Path valkeyServer;
    private final Map<String, RegionServices> services = new LinkedHashMap<>();
    private final Map<String, ValkeyServer> caches = new ConcurrentHashMap<>();
    private final Map<String, Integer> desired = new ConcurrentHashMap<>();
    private final Faults faults = new Faults(new Parts());
    private ReplicatedPostgres database;
    private Edge edge;
    private ControlPlane controlPlane;
    private S3Server s3;

    private Lab(LabConfig config, FileChannel lockFile, FileLock lock, Path data, String secret, Path valkeyServer) {
        this.config = config;
        this.lockFile = lockFile;
        this.lock = lock;
        this.data = data;
        this.secret = secret;
        this.valkeyServer = valkeyServer;
    }

    /** Starts every part and returns when each is healthy and the edge routes. */
    public static Lab up(LabConfig config) throws LabException, InterruptedException {
        Path dir = config.dir();
        if (!Files.isRegularFile(config.sampleApiJar())) {
            throw new LabException("no sample-api jar at " + config.sampleApiJar() + "; build it with"
                    + " `mvn -pl sample-api package` or set " + LabConfig.JAR_ENV);
        }
        Optional<String> noS3 = S3Server.missing();
        if (noS3.isPresent()) {
            throw new LabException(noS3.get());
        }
        ServerBinaries binaries;
        try {
            binaries = ServerBinaries.here();
        } catch (MissingBinariesException | UncheckedIOException e) {
            throw new LabException(e.getMessage(), e);
        }
        FileChannel channel;
        FileLock lock;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(dir.resolve("lab.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = tryLock(channel);
        } catch (IOException e) {
            throw new LabException("cannot use " + dir + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            throw new LabException("a lab is already running in " + dir + "; `gafail lab down --dir " + dir
                    + "` stops it, or choose another --dir");
        }
        Unprivileged as = Unprivileged.detect();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        // The database user (nobody, when gafail runs as root) must reach its folders: a root home it cannot.
        Path data = as.dropsPrivileges() ? tmp.resolve("gafail-lab-" + Integer.toHexString(dir.toString().hashCode()))
                : dir.resolve("data");
        Lab lab = new Lab(config, channel, lock, data, newSecret(), binaries.valkeyServer());
        try {
            lab.start(as, binaries);
            return lab;
        } catch (IOException | SQLException | RuntimeException e) {
            lab.close();
            throw new LabException("the lab did not start: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            lab.close();
            throw e;
        }
    }

    /** The folder's lock, or null when another lab holds it (in this process or another). */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
            }
            return lock;
        } catch (OverlappingFileLockException e) {
            channel.close();
            return null;
        }
    }

    private static String newSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private void start(Unprivileged as, ServerBinaries binaries)
            throws IOException, SQLException, InterruptedException {
        Trees.delete(data);
        Unprivileged.openDirectory(data);
        Path logs = Files.createDirectories(config.dir().resolve("logs"));
        // First, and awaited last: its start overlaps PostgreSQL's and sample-api's. Its folder is the lab's,
        // outside the data cleared here, so a lab started again in this folder keeps the team's state.
        s3 = S3Server.launch(LabResources.STATE_BUCKET, LabResources.STATE_REGION, config.dir().resolve("s3"),
                logs.resolve("s3mock.log"));
        database = ReplicatedPostgres.start(binaries.postgres(), as, data, REGIONS);
        try (Connection c = database.member(REGIONS.get(0), true).server().connect(); Statement sql = c.createStatement()) {
            sql.execute("CREATE DATABASE " + LabResources.DATABASE);
        }
        Map<String, Integer> dials = new LinkedHashMap<>();
        for (String region : REGIONS) {
            dials.put(region, region.equals(REGIONS.get(0)) ? 100 : 0);
            Map<String, String> env = new LinkedHashMap<>();
            env.put("DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + database.member(region, true).clients().port()
                    + "/" + LabResources.DATABASE);
            env.put("DATABASE_USER", "lab");
            if (config.writerEndpoint()) {
                env.put("DATABASE_WRITER_URL", "jdbc:postgresql://127.0.0.1:" + database.writerPort() + "/"
                        + LabResources.DATABASE);
            }
            env.put("AUTH_JWT_SECRET", secret);
            ValkeyServer cache = ValkeyServer.start(valkeyServer, Ports.free(), logs.resolve(region + "-cache.log"));
            caches.put(region, cache);
            env.put("VALKEY_URL", cache.url());
            services.put(region, new RegionServices(region, config.sampleApiJar(), env,
                    Files.createDirectories(logs.resolve(region))));
        }
        edge = new Edge(dials, config.healthInterval(), config.healthThreshold());
        awaitReplicated();
        List<Thread> scaling = new ArrayList<>();
        List<Exception> failures = new ArrayList<>();
        for (String region : REGIONS) {
            int count = region.equals(REGIONS.get(0)) ? config.instances() : config.warm();
            Thread t = new Thread(() -> {
                try {
                    desired.put(region, count);
                    scaleNow(region, count);
                } catch (IOException | InterruptedException e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }, "lab-scale-" + region);
            t.start();
            scaling.add(t);
        }
        for (Thread t : scaling) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new IOException(failures.get(0).getMessage(), failures.get(0));
        }
        awaitEdge();
        controlPlane = new ControlPlane(this, config.dir(), REGIONS.stream().map(Lab::awsRegion).toList(),
                config.acceleratorRegion(), config.experimentDuration());
        s3.awaitReady();
        Files.writeString(topologyFile(), TopologyFile.text(edge, controlPlane, Optional.of(s3.url()),
                config.instances(), config.warm(), config.writerEndpoint()));
        writeOperatorPolicy();
        Path token = config.dir().resolve(SECRET);
        Files.writeString(token, secret);
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    }

    /**
     * The operator role's policy, which the lab's IAM simulates: what gafail generates for the lab's topology
     * when gafail is there to ask ({@link OperatorPolicySource}); without it the role may do nothing.
     */
    private void writeOperatorPolicy() throws IOException {
        Optional<OperatorPolicySource> source = ServiceLoader.load(OperatorPolicySource.class).findFirst();
        if (source.isPresent()) {
            Files.writeString(config.dir().resolve(LabResources.OPERATOR_POLICY), source.get().policy(topologyFile()));
        }
    }

    /** The replica has the notes database before region-b's processes connect to it. */
    private void awaitReplicated() throws IOException, InterruptedException {
        for (String region : REGIONS.subList(1, REGIONS.size())) {
            String url = "jdbc:postgresql://127.0.0.1:" + database.member(region, true).server().port() + "/"
                    + LabResources.DATABASE + "?user=lab";
            Await.until(Duration.ofSeconds(30), Duration.ofMillis(100), "the " + LabResources.DATABASE
                    + " database did not reach " + region, () -> {
                        try (Connection c = DriverManager.getConnection(url)) {
                            return true;
                        } catch (SQLException e) {
                            return false;
                        }
                    });
        }
    }

    /** The edge has seen a healthy endpoint and routes a request. */
    private void awaitEdge() throws IOException, InterruptedException {
        URI health = URI.create("http://127.0.0.1:" + edge.port() + "/healthz");
        Await.until(Duration.ofSeconds(30), Duration.ofMillis(100), "the edge did not route to a healthy region",
                () -> Await.ok(health));
    }

    public LabConfig config() {
        return config;
    }

    public Path topologyFile() {
        return config.dir().resolve(TOPOLOGY);
    }

    @Override
    public Edge edge() {
        return edge;
    }

    @Override
    public List<String> regions() {
        return REGIONS;
    }

    @Override
    public int processes(String region) {
        return services(region).count();
    }

    @Override
    public String writer() {
        return database.primary();
    }

    @Override
    public boolean databaseRunning(String region) {
        return database.member(region, true).server().running();
    }

    @Override
    public int databasePort(String region) {
        return database.member(region, true).clients().port();
    }

    @Override
    public OptionalLong replicationLagMillis(String region) {
        return database.replicationLagMillis(region);
    }

    @Override
    public int restore(String region, Instant to, String name) throws IOException, InterruptedException, SQLException {
        return database.restore(known(region), to, name, restoreFolder(name)).port();
    }

    @Override
    public void dropRestore(String name) throws IOException, InterruptedException {
        database.dropRestore(name, restoreFolder(name));
    }

    @Override
    public Optional<Instant> earliestRestorable(String region) {
        return database.earliestRestorable(region);
    }

    /** Where the restore {@code name} keeps its data and log: beside the regions' databases. */
    private Path restoreFolder(String name) {
        return data.resolve("restores").resolve(name);
    }

    public ReplicatedPostgres database() {
        return database;
    }

    public RegionServices services(String region) {
        RegionServices s = services.get(region);
        if (s == null) {
            throw new IllegalArgumentException("no region " + region + "; regions: " + REGIONS);
        }
        return s;
    }

    /** {@code region}, if it is one of the lab's; otherwise an {@link IllegalArgumentException} naming them. */
    private String known(String region) {
        services(region);
        return region;
    }

    /** A bearer token the lab's sample-api accepts, valid for {@code validity}. */
    public String token(Duration validity) {
        return token(secret, validity);
    }

    /** A token for the lab whose folder is {@code dir}, signed with the secret it keeps there. */
    public static String token(Path dir, Duration validity) throws IOException {
        return token(Files.readString(dir.resolve(SECRET)).strip(), validity);
    }

    /** A token signed with a lab's secret (as {@code gafail lab token} does from the lab folder). */
    public static String token(String secret, Duration validity) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                    .subject("lab-user").issueTime(new Date())
                    .expirationTime(Date.from(Instant.now().plus(validity))).build());
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a lab token", e);
        }
    }

    /** The AWS region whose APIs a lab region's are (region-a: us-east-1). */
    public static String awsRegion(String region) {
        return LabResources.AWS_REGIONS.get(region);
    }

    /** "up", or how a port is down ({@link Outage#label}). */
    private static String state(Optional<Outage> outage) {
        return outage.map(Outage::label).orElse("up");
    }

    /**
     * One region as {@code lab status} shows it.
     *
     * @param cache the region's Valkey/Redis server: "up" or "down"
     * @param replication what the region's database sends its replica: "streaming", or "stalled" ({@code stall})
     * @param apis its AWS APIs and its load balancer: "up", or how they are lost ("hang", "blackhole", "refuse")
     */
    public record RegionStatus(String region, String database, String cache, int processes, int dial,
                               int healthyEndpoints, long requests, long serverErrors, String databaseLatency,
                               String replication, String loadBalancer, String awsRegion, String apis) {
    }

    /**
     * Global Accelerator's control plane as {@code lab status} shows it.
     *
     * @param controlPlane "up", or how it is lost (alone, or with the region that hosts it)
     */
    public record AcceleratorStatus(String region, String controlPlane, String url) {
    }

    /**
     * The S3 that holds the team's state as {@code lab status} shows it: in an AWS region neither of the
     * lab's two lose, so {@code lab fail} never takes it down.
     *
     * @param state "up", or "down" when its process ended
     */
    public record S3Status(String region, String bucket, String prefix, String state, String url) {
    }

    /**
     * The lab's SNS as {@code lab status} shows it: the file that keeps every message it received, and
     * its topics, with how many each received.
     */
    public record SnsStatus(String messages, List<TopicView> topics) {
    }

    /**
     * The lab as {@code lab status} shows it.
     *
     * @param aws the control plane's URL that answers every AWS region (no outage reaches it), without
     *            checking signatures
     * @param cacheServer the Valkey/Redis server binary the regions' caches run
     * @param experiments the FIS experiments that have not ended
     */
    public record Status(String topology, String edge, String aws, String cacheServer, AcceleratorStatus accelerator,
                         S3Status s3, List<RegionStatus> regions, List<ExperimentView> experiments, SnsStatus sns) {
    }

    public Status status() {
        List<RegionStatus> regions = new ArrayList<>();
        for (Edge.RegionView view : edge.view()) {
            ReplicatedPostgres.Member member = database.member(view.region(), true);
            String role = !member.server().running() ? "down" : member.diverged() ? "diverged"
                    : view.region().equals(database.primary()) ? "writer" : "reader";
            Duration latency = member.clients().latency();
            String cache = caches.get(view.region()).process().alive() ? "up" : "down";
            regions.add(new RegionStatus(view.region(), role, cache, services(view.region()).count(), view.dial(),
                    view.healthyEndpoints(), view.requests(), view.serverErrors(),
                    member.clients().outage().isPresent() ? "cut" : latency.isZero() ? "-"
                            : "+" + latency.toMillis() + "ms",
                    member.replication().isPaused() ? "stalled" : "streaming", "http://127.0.0.1:" + view.port(),
                    awsRegion(view.region()), state(controlPlane.outage(awsRegion(view.region())))));
        }
        return new Status(topologyFile().toString(), "http://127.0.0.1:" + edge.port(),
                "http://127.0.0.1:" + controlPlane.port(), valkeyServer.toString(),
                new AcceleratorStatus(controlPlane.acceleratorRegion(), state(controlPlane.acceleratorOutage()),
                        "http://127.0.0.1:" + controlPlane.acceleratorPort()),
                new S3Status(LabResources.STATE_REGION, LabResources.STATE_BUCKET, LabResources.STATE_PREFIX,
                        s3.alive() ? "up" : "down", s3.url()), regions, controlPlane.experiments(),
                new SnsStatus(snsMessages().toString(), controlPlane.topics()));
    }

    /** Every message the lab's SNS received, a JSON line each ({@link dev.gafail.lab.aws.SnsMessage#read}). */
    public Path snsMessages() {
        return config.dir().resolve(SNS_MESSAGES);
    }

    /** Every AWS request the lab's control plane received, a JSON line each (region, service, operation, outcome). */
    public Path requestLog() {
        return config.dir().resolve(REQUEST_LOG);
    }

    /**
     * The URL of {@code awsRegion}'s AWS APIs alone (all but Global Accelerator's): calls signed for
     * another region are refused there.
     */
    public String awsEndpoint(String awsRegion) {
        return "http://127.0.0.1:" + controlPlane.port(awsRegion);
    }

    /** Every process the lab runs now (for a cleanup after the supervisor itself died). */
    public List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        services.values().forEach(s -> s.tasks().forEach(t -> pids.add(t.process().pid())));
        caches.values().forEach(kv -> pids.add(kv.process().pid()));
        database.members().values().forEach(m -> m.server().pid().ifPresent(pids::add));
        pids.add(s3.pid());
        return pids;
    }

    /**
     * Runs {@code count} processes in {@code region}, and tells the edge; while the region is lost or
     * drained, only records the count, which its processes come back to.
     */
    @Override
    public void scale(String region, int count) throws IOException, InterruptedException {
        known(region);
        desired.put(region, count);
        faults.unlessHeldDown(region, () -> scaleNow(region, count));
    }

    private void scaleNow(String region, int count) throws IOException, InterruptedException {
        RegionServices s = services(region);
        s.scale(count);
        edge.endpoints(region, s.tasks().stream().map(RegionServices.Task::port).toList());
    }

    @Override
    public void dial(String region, int dial) {
        edge.dial(region, dial);
    }

    /** The planned database switch (Aurora's SwitchoverGlobalCluster). */
    @Override
    public void switchover(String to) throws IOException, SQLException, InterruptedException {
        database.switchover(to);
    }

    /** The unplanned database switch (FailoverGlobalCluster with AllowDataLoss); what it lost. */
    @Override
    public List<LostTransaction> failover(String to) throws IOException, SQLException, InterruptedException {
        return database.failover(to);
    }

    /** {@link #fail(String, Outage)} with connections accepted and never answered, as a partition mostly looks. */
    public void fail(String region) throws IOException, SQLException, InterruptedException {
        fail(region, Outage.HANG);
    }

    /**
     * Loses a region abruptly ({@link Fault.RegionLoss}): its AWS APIs (and Global Accelerator's control
     * plane, when the region hosts it), its load balancer and its database's port fail as {@code mode}
     * says, on the ports they had; its processes, its cache and its database are killed.
     */
    public void fail(String region, Outage mode) throws IOException, SQLException, InterruptedException {
        inject(Faults.MANUAL, List.of(new Fault.RegionLoss(known(region), mode)));
    }

    /** Loses Global Accelerator's control plane alone, as {@code mode} says: its data plane (the edge) goes on. */
    public void failAccelerator(Outage mode) throws IOException {
        controlPlane.failAccelerator(mode);
    }

    /** Undoes {@link #failAccelerator}; it stays down while the region that hosts it is lost. */
    public void healAccelerator() throws IOException {
        controlPlane.healAccelerator();
    }

    /**
     * Holds back what the region's database sends its replica, as a congested link between regions
     * does: the replica falls behind, and what is written meanwhile exists only here. {@code heal} resumes it.
     */
    public void stall(String region) throws IOException, SQLException, InterruptedException {
        inject(Faults.MANUAL, List.of(new Fault.ReplicationStall(known(region))));
    }

    /** The region's database answers slowly, as a dependency that times out. */
    public void degrade(String region, Duration latency) throws IOException, SQLException, InterruptedException {
        inject(Faults.MANUAL, List.of(new Fault.DatabaseLatency(known(region), latency)));
    }

    @Override
    public void inject(String owner, List<Fault> injected) throws IOException, SQLException, InterruptedException {
        faults.inject(owner, injected);
    }

    @Override
    public void revert(String owner) throws IOException, SQLException, InterruptedException {
        faults.revert(owner);
    }

    /**
     * Undoes every fault on the region: stops the FIS experiments whose faults hit it (as StopExperiment
     * would), then the rest ({@code fail}, {@code stall}, {@code degrade}): a lost database comes back as a
     * replica of the primary (never a second writer), the region's processes and cache come back, and then
     * its AWS APIs and load balancer, on the same ports.
     */
    public void heal(String region) throws IOException, SQLException, InterruptedException {
        known(region);
        controlPlane.stopExperiments(region, "Experiment stopped: gafail lab heal " + region + ".");
        faults.clear(region);
    }

    /** What {@link Faults} does to a region, part by part. */
    private final class Parts implements RegionParts {

        @Override
        public void lose(String region, Outage mode) throws IOException {
            ReplicatedPostgres.Member member = database.member(region, true);
            controlPlane.fail(awsRegion(region), mode);
            edge.fail(region, mode);
            member.clients().fail(mode);
            services(region).kill();
            edge.endpoints(region, List.of());
            caches.get(region).close();
            member.server().kill();
        }

        @Override
        public void recover(String region, boolean processes) throws IOException, SQLException, InterruptedException {
            ReplicatedPostgres.Member member = database.member(region, true);
            member.clients().restore();
            if (!member.server().running() && !region.equals(database.primary())) {
                database.rebuild(region);
            } else if (!member.server().running()) {
                member.server().start(data.resolve(region).resolve("postgres.log"));
            }
            ValkeyServer cache = caches.get(region);
            if (!cache.process().alive()) {
                caches.put(region, ValkeyServer.start(valkeyServer, cache.port(),
                        config.dir().resolve("logs").resolve(region + "-cache.log")));
            }
            if (processes) {
                undrain(region);
            }
            edge.heal(region);
            controlPlane.heal(awsRegion(region));
        }

        /**
         * Stops the processes as ECS's StopTask does (SIGTERM: sample-api drains, then ends). The load
         * balancer keeps them until its health checks find them gone, as an ALB keeps a target until then.
         */
        @Override
        public void drain(String region) throws InterruptedException {
            services(region).stop();
        }

        @Override
        public void undrain(String region) throws IOException, InterruptedException {
            scaleNow(region, desired.getOrDefault(region, config.warm()));
        }

        @Override
        public void latency(String region, Duration latency) {
            database.member(region, true).clients().latency(latency);
        }

        @Override
        public void stall(String region, boolean held) {
            TcpProxy stream = database.member(region, true).replication();
            if (held) {
                stream.pause();
            } else {
                stream.resume();
            }
        }
    }

    /**
     * Stops every part by process id; frees the folder for another lab. Its faults first: once the change
     * in progress has ended, no FIS experiment's end, heal or scale starts a process any more.
     */
    @Override
    public void close() throws InterruptedException {
        faults.close();
        if (controlPlane != null) {
            controlPlane.close();
        }
        if (edge != null) {
            edge.close();
        }
        for (RegionServices s : services.values()) {
            s.stop();
        }
        caches.values().forEach(ValkeyServer::close);
        if (database != null) {
            database.close();
        }
        if (s3 != null) {
            s3.close();
        }
        try {
            Trees.delete(data);
        } catch (IOException e) {
            // left for the next `lab up`, which clears it
        }
        try {
            lock.release();
            lockFile.close();
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
    }
}
