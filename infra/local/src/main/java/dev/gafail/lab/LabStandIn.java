package dev.gafail.lab;

import com.sun.net.httpserver.HttpServer;
import dev.gafail.lab.aws.ControlPlane;
import dev.gafail.lab.aws.LabRegions;
import dev.gafail.lab.edge.Edge;
import dev.gafail.lab.fault.Fault;
import dev.gafail.lab.postgres.LostTransaction;
import dev.gafail.servers.os.Await;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The lab's AWS APIs, edge and health checks over a fixed picture of its two regions (region-a
 * writes and takes the traffic), with no database, cache or API process: every read gafail makes
 * gets the answer a lab would give, within a second of starting. Two uses:
 * <ul>
 * <li>what the launcher trains gafail's start-up on (its class-data archive), so that the archive holds
 * the classes of answered calls ({@link #start});</li>
 * <li>Global Accelerator's control plane alone, for an AWS emulator that has every other service gafail
 * calls but not this one ({@code gafail lab up --only globalaccelerator}, {@link #acceleratorOnly}): its
 * dials turn, and each endpoint group's one endpoint is a stand-in for the region's load balancer that
 * answers {@code /healthz} as sample-api does.</li>
 * </ul>
 * Its database and services change for nobody: a dry run plans such changes, nothing applies them.
 */
public final class LabStandIn implements Supervised {

    /** The one AWS service {@code --only} serves, in the topology's spelling of it. */
    public static final String ACCELERATOR_SERVICE = "globalaccelerator";

    private final List<HttpServer> healthz = new ArrayList<>();
    private Edge edge;
    private ControlPlane controlPlane;
    private final Path topology;
    /** Where the topology sends every AWS call but Global Accelerator's; empty with every API served here. */
    private final String emulator;

    private LabStandIn(Path dir, boolean acceleratorOnly, String acceleratorRegion, String emulator)
            throws IOException {
        topology = dir.resolve(Lab.TOPOLOGY);
        this.emulator = emulator;
        try {
            Map<String, Integer> dials = new LinkedHashMap<>();
            Lab.REGIONS.forEach(region -> dials.put(region, region.equals(writer()) ? 100 : 0));
            edge = new Edge(dials, Duration.ofMillis(100), 1);
            for (String region : Lab.REGIONS) {
                edge.endpoints(region, List.of(healthz(region)));
            }
            List<String> awsRegions = Lab.REGIONS.stream().map(Lab::awsRegion).toList();
            controlPlane = acceleratorOnly
                    ? ControlPlane.acceleratorOnly(new Picture(), dir, awsRegions, acceleratorRegion,
                            LabConfig.DEFAULT_EXPERIMENT_DURATION)
                    : new ControlPlane(new Picture(), dir, awsRegions, acceleratorRegion,
                            LabConfig.DEFAULT_EXPERIMENT_DURATION);
            awaitHealthy();
            // No state section: the stand-in runs no S3, so gafail keeps its state in its local folder. Beside an
            // emulator, the services' sizes are what infra/emulator/seed creates there (2 active, 1 warm).
            Files.writeString(topology, acceleratorOnly ? TopologyFile.acceleratorOnly(edge, controlPlane, emulator, 2, 1)
                    : TopologyFile.text(edge, controlPlane, Optional.empty(), 1, 1, false));
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The edge has seen each region's endpoint healthy, so that a health check through it answers. */
    private void awaitHealthy() throws IOException {
        try {
            Await.until(Duration.ofSeconds(10), Duration.ofMillis(20), "the stand-in's edge saw no healthy endpoint",
                    () -> edge.view().stream().allMatch(r -> r.healthyEndpoints() > 0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the stand-in's edge started", e);
        }
    }

    /** Starts it with every AWS API, writing its topology and request log into {@code dir}; close it to stop everything. */
    public static LabStandIn start(Path dir) throws IOException {
        return new LabStandIn(dir, false, LabConfig.DEFAULT_ACCELERATOR_REGION, "");
    }

    /**
     * Starts Global Accelerator's control plane alone in {@code acceleratorRegion}, writing into {@code dir}
     * a topology that sends every other AWS call to {@code emulator}.
     */
    public static LabStandIn acceleratorOnly(Path dir, String acceleratorRegion, String emulator)
            throws IOException {
        return new LabStandIn(dir, true, acceleratorRegion, emulator);
    }

    /**
     * What {@code lab status} shows of Global Accelerator's control plane alone.
     *
     * @param only     the one service it serves
     * @param emulator where the topology sends every other AWS call
     * @param regions  each endpoint group: its dial, and its endpoint's health URL
     */
    public record AcceleratorOnlyStatus(String only, String topology, String edge, String emulator,
                                        Lab.AcceleratorStatus accelerator, List<EndpointGroup> regions) {
    }

    public record EndpointGroup(String region, String awsRegion, int dial, String healthz) {
    }

    public AcceleratorOnlyStatus status() {
        return new AcceleratorOnlyStatus(ACCELERATOR_SERVICE, topology.toString(), "http://127.0.0.1:" + edge.port(),
                emulator, new Lab.AcceleratorStatus(controlPlane.acceleratorRegion(), "up",
                "http://127.0.0.1:" + controlPlane.acceleratorPort()),
                Lab.REGIONS.stream().map(region -> new EndpointGroup(region, Lab.awsRegion(region), edge.dial(region),
                        "http://127.0.0.1:" + edge.regionPort(region) + "/healthz")).toList());
    }

    @Override
    public Object operate(String operation, Map<String, String> query) {
        if (operation.equals("status")) {
            return status();
        }
        throw new IllegalArgumentException("this lab serves Global Accelerator's control plane alone (lab up --only "
                + ACCELERATOR_SERVICE + "), which has no `lab " + operation + "`; `gafail lab down`, then `gafail lab"
                + " up` for a whole lab");
    }

    @Override
    public List<Long> pids() {
        return List.of();
    }

    /** Its {@code gafail.yaml}. */
    public Path topology() {
        return topology;
    }

    private static String writer() {
        return Lab.REGIONS.get(0);
    }

    /** A region's {@code /healthz}, as sample-api answers it. */
    private int healthz(String region) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] body = ("{\"status\":\"ok\",\"region\":\"" + region + "\",\"role\":\""
                + (region.equals(writer()) ? "writer" : "reader") + "\",\"checks\":{\"database\":\"ok\","
                + "\"cache\":\"ok\"}}").getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        healthz.add(server);
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        if (controlPlane != null) {
            controlPlane.close();
        }
        if (edge != null) {
            edge.close();
        }
        healthz.forEach(server -> server.stop(0));
    }

    /** The fixed picture the control plane reads: region-a writes and takes the traffic, one process per region. */
    private final class Picture implements LabRegions {

        @Override
        public List<String> regions() {
            return Lab.REGIONS;
        }

        @Override
        public Edge edge() {
            return edge;
        }

        @Override
        public int processes(String region) {
            return 1;
        }

        @Override
        public void scale(String region, int count) {
            throw new UnsupportedOperationException("the stand-in answers reads only");
        }

        @Override
        public void dial(String region, int dial) {
            edge.dial(region, dial);
        }

        @Override
        public String writer() {
            return LabStandIn.writer();
        }

        @Override
        public boolean databaseRunning(String region) {
            return true;
        }

        @Override
        public int databasePort(String region) {
            throw new IllegalStateException("the stand-in has no database");
        }

        @Override
        public OptionalLong replicationLagMillis(String region) {
            return region.equals(writer()) ? OptionalLong.empty() : OptionalLong.of(0);
        }

        @Override
        public void switchover(String to) {
            throw new UnsupportedOperationException("the stand-in answers reads only");
        }

        @Override
        public List<LostTransaction> failover(String to) {
            throw new UnsupportedOperationException("the stand-in answers reads only");
        }

        @Override
        public void inject(String owner, List<Fault> faults) {
            throw new UnsupportedOperationException("the stand-in answers reads only");
        }

        @Override
        public void revert(String owner) {
            // it injects none
        }

        @Override
        public int restore(String region, Instant to, String name) {
            throw new UnsupportedOperationException("the stand-in answers reads only");
        }

        @Override
        public void dropRestore(String name) {
            // it restores none
        }

        @Override
        public Optional<Instant> earliestRestorable(String region) {
            return Optional.empty();
        }
    }
}
