package dev.gafail.actions;

import dev.gafail.aws.Accelerator;
import dev.gafail.aws.AwsClients;
import dev.gafail.aws.EcsServices;
import dev.gafail.aws.GlobalDatabase;
import dev.gafail.engine.StepFailure;
import dev.gafail.topology.Region;
import dev.gafail.yaml.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * What {@code gafail status} shows, one row per region, every cell read at once: traffic dial and
 * endpoint health, database role and replication lag, ECS counts and rollout, {@code /healthz},
 * alarms not OK. A read that fails, or has not answered when the budget is spent, says so in its
 * cell; the others still show.
 */
public final class TopologyStatus {

    /** The columns, in order. */
    public static final List<String> COLUMNS = List.of("dial", "endpoints", "database", "lag", "ecs", "healthz",
            "alarms");

    /** How long a status may take, whatever the endpoints do; each call has a shorter limit of its own. */
    static final Duration BUDGET = Duration.ofSeconds(5);

    /** What a region's {@code /healthz} may take in a status. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    private final Target target;

    public TopologyStatus(Target target) {
        this.target = target;
    }

    /** A cell as read: what it shows, and whether its read failed (an error, a timeout, a missing alarm). */
    public record Cell(String text, boolean failed) {

        static Cell read(String text) {
            return new Cell(text, false);
        }
    }

    /** Region name to column to cell, in the topology's and {@link #COLUMNS}' order. */
    public record Reading(Map<String, Map<String, Cell>> rows) {

        public Reading {
            rows = Collections.unmodifiableMap(new LinkedHashMap<>(rows));
        }

        /** The cells whose read failed, as {@code region/column}. */
        public List<String> failed() {
            List<String> out = new ArrayList<>();
            rows.forEach((region, cells) -> cells.forEach((column, cell) -> {
                if (cell.failed()) {
                    out.add(region + "/" + column);
                }
            }));
            return out;
        }
    }

    @FunctionalInterface
    private interface Reader {
        Cell read() throws StepFailure, InterruptedException;
    }

    /** Reads every cell at once, over clients with a status's time limits, within {@link #BUDGET}. */
    public Reading read() throws InterruptedException {
        try (AwsClients quick = target.aws().with(AwsClients.Timeouts.STATUS)) {
            return new TopologyStatus(new Target(target.topology(), quick, target.pollInterval(), target.clock()))
                    .read(BUDGET);
        }
    }

    /** Reads every cell at once; a cell still unanswered after {@code budget} reads "timed out". */
    Reading read(Duration budget) throws InterruptedException {
        long deadline = System.nanoTime() + budget.toNanos();
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "gafail-status");
            t.setDaemon(true); // a read that ignores its interrupt must not keep gafail from exiting
            return t;
        });
        try {
            Map<String, Map<String, Future<Cell>>> pending = new LinkedHashMap<>();
            Future<GlobalDatabase.State> database = pool.submit(() -> target.database().describeFromAny(
                    target.topology().regions().values().stream().map(Region::awsRegion).toList()));
            for (Region region : target.topology().regions().values()) {
                Map<String, Future<Cell>> row = new LinkedHashMap<>();
                readers(region, database).forEach((column, reader) -> row.put(column, pool.submit(safely(reader))));
                pending.put(region.name(), row);
            }
            Map<String, Map<String, Cell>> out = new LinkedHashMap<>();
            for (var row : pending.entrySet()) {
                Map<String, Cell> cells = new LinkedHashMap<>();
                for (var cell : row.getValue().entrySet()) {
                    cells.put(cell.getKey(), get(cell.getValue(), deadline, budget));
                }
                out.put(row.getKey(), cells);
            }
            return new Reading(out);
        } finally {
            pool.shutdownNow();
        }
    }

    private Map<String, Reader> readers(Region region, Future<GlobalDatabase.State> database) {
        Accelerator accelerator = target.accelerator();
        Map<String, Reader> cells = new LinkedHashMap<>();
        cells.put("dial", () -> Cell.read(accelerator.group(region.endpointGroupArn()).dial() + "%"));
        cells.put("endpoints", () -> Cell.read(accelerator.group(region.endpointGroupArn()).health()));
        cells.put("database", () -> Cell.read(role(region, state(database))));
        cells.put("lag", () -> {
            GlobalDatabase.State state = state(database);
            if (state.writer().filter(region.dbClusterArn()::equals).isPresent()) {
                return Cell.read("-");
            }
            OptionalDouble lag = AuroraLag.lagMillis(target, region);
            return Cell.read(lag.isPresent() ? Math.round(lag.getAsDouble()) + " ms" : "unknown");
        });
        cells.put("ecs", () -> {
            EcsServices.State ecs = target.ecs().describe(region);
            return Cell.read(ecs.running() + "/" + ecs.desired() + ecs.primary().map(p -> " " + (p.state() == null
                    ? "" : p.state())).orElse(""));
        });
        cells.put("healthz", () -> {
            Map<String, JsonNode> writer = Map.of("role", JsonNodeFactory.instance.stringNode("writer"));
            HttpProbe.Params probe = new HttpProbe.Params(null, region.name(), 200, writer, 1, null, PROBE_TIMEOUT,
                    null);
            Verdict<HttpProbe.Outputs> verdict = new HttpProbe(() -> target).evaluate(probe, null);
            // What the region says it is; a reader is not a failure here, and neither is an unhealthy answer.
            return verdict.outputs().filter(seen -> seen.fields().containsKey("role"))
                    .map(seen -> Cell.read("HTTP " + seen.status() + " " + seen.fields().get("role")))
                    .orElse(new Cell(verdict.detail(), verdict.outputs().isEmpty()));
        });
        cells.put("alarms", () -> alarms(region));
        return cells;
    }

    /** The topology's alarms that are not OK, and those that do not exist in the region: never read as OK. */
    private Cell alarms(Region region) throws StepFailure {
        List<String> names = target.topology().alarms();
        if (names.isEmpty()) {
            return Cell.read("-");
        }
        Map<String, String> states = target.telemetry().alarms(region.awsRegion(), names, null);
        List<String> shown = new ArrayList<>();
        for (String name : names) {
            String state = states.get(name);
            if (state == null) {
                shown.add(name + " missing");
            } else if (StateValue.fromValue(state) != StateValue.OK) {
                shown.add(name + " " + state);
            }
        }
        return new Cell(shown.isEmpty() ? "OK" : String.join(", ", shown), !states.keySet().containsAll(names));
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

    private static Callable<Cell> safely(Reader reader) {
        return () -> {
            try {
                return reader.read();
            } catch (StepFailure e) {
                return new Cell("error: " + e.getMessage(), true);
            } catch (RuntimeException e) {
                return new Cell("error: " + e, true);
            }
        };
    }

    private static Cell get(Future<Cell> cell, long deadline, Duration budget) throws InterruptedException {
        try {
            return cell.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            return new Cell("error: " + e.getCause(), true);
        } catch (TimeoutException e) {
            cell.cancel(true);
            return new Cell("timed out after " + Durations.format(budget), true);
        }
    }
}
