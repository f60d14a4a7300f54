package dev.gafail.actions;

import dev.gafail.aws.Accelerator;
import dev.gafail.aws.EcsServices;
import dev.gafail.aws.GlobalDatabase;
import dev.gafail.engine.StepFailure;
import dev.gafail.topology.Region;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * What {@code gafail status} shows, one row per region, every cell read in parallel: traffic dial
 * and endpoint health, database role and replication lag, ECS counts and rollout, {@code /healthz},
 * alarms in ALARM. A read that fails puts its error in its cell; the others still show.
 */
public final class TopologyStatus {

    /** The columns, in order. */
    public static final List<String> COLUMNS = List.of("dial", "endpoints", "database", "lag", "ecs", "healthz",
            "alarms");

    private final Target target;

    public TopologyStatus(Target target) {
        this.target = target;
    }

    @FunctionalInterface
    private interface Cell {
        String read() throws StepFailure, InterruptedException;
    }

    /** Region name to column to value (or {@code error: ...}). */
    public Map<String, Map<String, String>> read() throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "gafail-status");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<String, Map<String, Future<String>>> pending = new LinkedHashMap<>();
            Future<GlobalDatabase.State> database = pool.submit(() -> target.database()
                    .describe(target.topology().regions().values().iterator().next().awsRegion()));
            for (Region region : target.topology().regions().values()) {
                Map<String, Cell> cells = cells(region, database);
                Map<String, Future<String>> row = new LinkedHashMap<>();
                cells.forEach((column, cell) -> row.put(column, pool.submit(safely(cell))));
                pending.put(region.name(), row);
            }
            Map<String, Map<String, String>> out = new LinkedHashMap<>();
            for (var row : pending.entrySet()) {
                Map<String, String> values = new LinkedHashMap<>();
                for (var cell : row.getValue().entrySet()) {
                    values.put(cell.getKey(), get(cell.getValue()));
                }
                out.put(row.getKey(), values);
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private Map<String, Cell> cells(Region region, Future<GlobalDatabase.State> database) {
        Accelerator accelerator = target.accelerator();
        Map<String, Cell> cells = new LinkedHashMap<>();
        cells.put("dial", () -> accelerator.group(region.endpointGroupArn()).dial() + "%");
        cells.put("endpoints", () -> accelerator.group(region.endpointGroupArn()).health());
        cells.put("database", () -> role(region, state(database)));
        cells.put("lag", () -> {
            GlobalDatabase.State state = state(database);
            if (state.writer().filter(region.dbClusterArn()::equals).isPresent()) {
                return "-";
            }
            OptionalDouble lag = AuroraLag.lagMillis(target, region);
            return lag.isPresent() ? Math.round(lag.getAsDouble()) + " ms" : "unknown";
        });
        cells.put("ecs", () -> {
            EcsServices.State ecs = target.ecs().describe(region);
            return ecs.running() + "/" + ecs.desired() + ecs.primary().map(p -> " " + (p.state() == null ? ""
                    : p.state())).orElse("");
        });
        cells.put("healthz", () -> {
            Map<String, JsonNode> writer = Map.of("role", JsonNodeFactory.instance.stringNode("writer"));
            HttpProbe.Params probe = new HttpProbe.Params(null, region.name(), 200, writer, 1, null,
                    Duration.ofSeconds(3), null);
            Verdict<HttpProbe.Outputs> verdict = new HttpProbe(() -> target).evaluate(probe, null);
            // What the region says it is; a reader is not a failure here.
            return verdict.outputs().filter(seen -> seen.fields().containsKey("role"))
                    .map(seen -> "HTTP " + seen.status() + " " + seen.fields().get("role"))
                    .orElse(verdict.detail());
        });
        cells.put("alarms", () -> {
            if (target.topology().alarms().isEmpty()) {
                return "-";
            }
            List<String> firing = new ArrayList<>();
            target.telemetry().alarms(region.awsRegion(), target.topology().alarms(), null).forEach((name, state) -> {
                if (StateValue.fromValue(state) != StateValue.OK) {
                    firing.add(name + " " + state);
                }
            });
            return firing.isEmpty() ? "OK" : String.join(", ", firing);
        });
        return cells;
    }

    private static GlobalDatabase.State state(Future<GlobalDatabase.State> database)
            throws StepFailure, InterruptedException {
        try {
            return database.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof StepFailure f ? f : StepFailure.permanent(String.valueOf(e.getCause()));
        }
    }

    private String role(Region region, GlobalDatabase.State state) {
        String role = state.writer().filter(region.dbClusterArn()::equals).isPresent() ? "writer"
                : state.members().contains(region.dbClusterArn()) ? "reader" : "not a member";
        return role + state.transition().filter(t -> region.dbClusterArn().equals(t.to()))
                .map(t -> " (" + t.status() + ")").orElse("");
    }

    private static Callable<String> safely(Cell cell) {
        return () -> {
            try {
                return cell.read();
            } catch (StepFailure e) {
                return "error: " + e.getMessage();
            } catch (RuntimeException e) {
                return "error: " + e;
            }
        };
    }

    private static String get(Future<String> cell) throws InterruptedException {
        try {
            return cell.get();
        } catch (ExecutionException e) {
            return "error: " + e.getCause();
        }
    }
}
