package dev.gafail.lab;

import com.sun.net.httpserver.HttpServer;
import dev.gafail.lab.aws.ControlPlane;
import dev.gafail.lab.aws.LabRegions;
import dev.gafail.lab.fault.Fault;
import dev.gafail.lab.postgres.LostTransaction;
import dev.gafail.servers.os.Await;
import dev.gafail.lab.edge.Edge;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The lab's AWS APIs, edge and health checks over a fixed picture of its two regions (region-a
 * writes and takes the traffic), with no database, cache or API process: every read gafail makes
 * gets the answer a lab would give, within a second of starting. What the launcher trains gafail's
 * start-up on (its class-data archive), so that the archive holds the classes of answered calls.
 * Changes are not answered: a dry run plans them, nothing applies them.
 */
public final class LabStandIn implements AutoCloseable {

    private final List<HttpServer> healthz = new ArrayList<>();
    private Edge edge;
    private ControlPlane controlPlane;
    private final Path topology;

    private LabStandIn(Path dir) throws IOException {
        topology = dir.resolve("gafail.yaml");
        try {
            Map<String, Integer> dials = new LinkedHashMap<>();
            Lab.REGIONS.forEach(region -> dials.put(region, region.equals(writer()) ? 100 : 0));
            edge = new Edge(dials, Duration.ofMillis(100), 1);
            for (String region : Lab.REGIONS) {
                edge.endpoints(region, List.of(healthz(region)));
            }
            controlPlane = new ControlPlane(new Picture(), dir, Lab.REGIONS.stream().map(Lab::awsRegion).toList(),
                    LabConfig.DEFAULT_ACCELERATOR_REGION, LabConfig.DEFAULT_EXPERIMENT_DURATION);
            awaitHealthy();
            // no state section: the stand-in runs no S3, so gafail keeps what it trains on in its local folder
            Files.writeString(topology, TopologyFile.text(edge, controlPlane, Optional.empty(), 1, 1));
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

    /** Starts it, writing its topology and request log into {@code dir}; close it to stop everything. */
    public static LabStandIn start(Path dir) throws IOException {
        return new LabStandIn(dir);
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
            throw new UnsupportedOperationException("the stand-in answers reads only");
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
    }
}
