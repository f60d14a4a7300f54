package dev.gafail.actions;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gafail.aws.Accelerator;
import dev.gafail.aws.AwsClients;
import dev.gafail.aws.EcsServices;
import dev.gafail.aws.GlobalDatabase;
import dev.gafail.engine.StepFailure;
import dev.gafail.engine.Unreachable;
import dev.gafail.topology.Region;
import dev.gafail.yaml.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * What {@code gafail status} shows, one row per region, every cell read at once: traffic dial and
 * endpoint health, database role and replication lag, ECS counts and rollout, {@code /healthz},
 * alarms. A read that fails, or has not answered when the budget is spent, is an {@link Unreadable}
 * cell with the reason; the others still show.
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

    /**
     * A cell as read, typed: numbers, booleans and states for programs (--output json, described by
     * {@code gafail schema status}), and the text a table shows, rendered from the same values.
     */
    public sealed interface Cell permits Dial, Endpoints, Database, Lag, Ecs, Healthz, Alarms, Unreadable {

        /** What a table shows. */
        String text();

        /** Whether the read failed: an error, a timeout, a topology alarm that does not exist. */
        default boolean failed() {
            return false;
        }
    }

    /** The traffic dial of the region's endpoint group. */
    public record Dial(int percent) implements Cell {
        @Override
        public String text() {
            return percent + "%";
        }
    }

    /**
     * The endpoint group's health: HEALTHY when one endpoint is (the accelerator routes to it then),
     * else the first endpoint's (INITIAL, UNHEALTHY), or NO_ENDPOINTS; and each endpoint's.
     */
    public record Endpoints(String health, List<String> endpoints) implements Cell {
        @Override
        public String text() {
            return health;
        }
    }

    /** The region's role in the global database, and the failover or switchover moving to it, if any. */
    public record Database(Role role, @JsonInclude(JsonInclude.Include.NON_NULL) String transition) implements Cell {

        public enum Role {
            @JsonProperty("writer") WRITER, @JsonProperty("reader") READER, @JsonProperty("not-a-member") NOT_A_MEMBER;

            String text() {
                return name().toLowerCase(Locale.ROOT).replace('_', ' ');
            }
        }

        @Override
        public String text() {
            return role.text() + (transition == null ? "" : " (" + transition + ")");
        }
    }

    /** Replication lag: measured (seconds), none (the region writes), or unknown (no data point yet). */
    public record Lag(State state, @JsonInclude(JsonInclude.Include.NON_NULL) Double seconds) implements Cell {

        public enum State {
            @JsonProperty("measured") MEASURED, @JsonProperty("writer") WRITER, @JsonProperty("unknown") UNKNOWN
        }

        @Override
        public String text() {
            return switch (state) {
                case MEASURED -> Math.round(seconds * 1000) + " ms";
                case WRITER -> "-";
                case UNKNOWN -> "unknown";
            };
        }
    }

    /** The ECS service's task counts and its primary deployment's rollout (as AWS spells it; null: none reported). */
    public record Ecs(int running, int desired, int pending,
                      @JsonInclude(JsonInclude.Include.NON_NULL) String rollout) implements Cell {
        @Override
        public String text() {
            return running + "/" + desired + (rollout == null ? "" : " " + rollout);
        }
    }

    /**
     * The region's {@code /healthz} answer: its HTTP status, whether that is 200, and the role it reports
     * (null when it reports none; then {@code detail} says what came back).
     */
    public record Healthz(int status, boolean healthy, @JsonInclude(JsonInclude.Include.NON_NULL) String role,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String detail) implements Cell {
        @Override
        public String text() {
            return role != null ? "HTTP " + status + " " + role : detail;
        }
    }

    /** The topology's alarms in the region, each with its state: OK, ALARM, INSUFFICIENT_DATA or MISSING. */
    public record Alarms(List<Alarm> alarms) implements Cell {

        public record Alarm(String name, String state) {
        }

        /** The state of an alarm that does not exist in the region: never read as OK. */
        public static final String MISSING = "MISSING";

        @Override
        public String text() {
            if (alarms.isEmpty()) {
                return "-";
            }
            List<String> shown = alarms.stream().filter(a -> !a.state().equals(StateValue.OK.toString()))
                    .map(a -> a.name() + " " + (a.state().equals(MISSING) ? "missing" : a.state())).toList();
            return shown.isEmpty() ? "OK" : String.join(", ", shown);
        }

        @Override
        public boolean failed() {
            return alarms.stream().anyMatch(a -> a.state().equals(MISSING));
        }
    }

    /**
     * A read that failed, with why: an error answered (or an answer that made no sense), no answer at all
     * (no connection, or none within the call's limit), or none when status's budget was spent.
     */
    public record Unreadable(String error, Kind kind) implements Cell {

        public enum Kind {
            @JsonProperty("error") ERROR, @JsonProperty("unreachable") UNREACHABLE, @JsonProperty("timed-out") TIMED_OUT
        }

        @Override
        public String text() {
            return kind == Kind.TIMED_OUT ? error : "error: " + error;
        }

        @Override
        public boolean failed() {
            return true;
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
            return new TopologyStatus(target.with(quick))
                    .read(BUDGET);
        }
    }

    /** Reads every cell at once; a cell still unanswered after {@code budget} reads "timed out". */
    Reading read(Duration budget) throws InterruptedException {
        try (BoundedReads reads = new BoundedReads("gafail-status", budget)) {
            Map<String, Map<String, Future<Cell>>> pending = new LinkedHashMap<>();
            Future<GlobalDatabase.State> database = reads.submit(() -> target.database().describeFromAny(
                    target.topology().regions().values().stream().map(Region::awsRegion).toList()));
            for (Region region : target.topology().regions().values()) {
                Map<String, Future<Cell>> row = new LinkedHashMap<>();
                readers(region, database).forEach((column, reader) -> row.put(column, reads.submit(safely(reader))));
                pending.put(region.name(), row);
            }
            Map<String, Map<String, Cell>> out = new LinkedHashMap<>();
            for (var row : pending.entrySet()) {
                Map<String, Cell> cells = new LinkedHashMap<>();
                for (var cell : row.getValue().entrySet()) {
                    cells.put(cell.getKey(), reads.await(cell.getValue(),
                            e -> new Unreadable(String.valueOf(e), Unreadable.Kind.ERROR),
                            () -> new Unreadable("timed out after " + Durations.format(budget),
                                    Unreadable.Kind.TIMED_OUT)));
                }
                out.put(row.getKey(), cells);
            }
            return new Reading(out);
        }
    }

    private Map<String, Reader> readers(Region region, Future<GlobalDatabase.State> database) {
        Accelerator accelerator = target.accelerator();
        Map<String, Reader> cells = new LinkedHashMap<>();
        cells.put("dial", () -> new Dial(accelerator.group(region.endpointGroupArn()).dial()));
        cells.put("endpoints", () -> {
            Accelerator.Group group = accelerator.group(region.endpointGroupArn());
            return new Endpoints(group.health(), group.endpointHealth());
        });
        cells.put("database", () -> database(region, BoundedReads.value(database)));
        cells.put("lag", () -> {
            GlobalDatabase.State state = BoundedReads.value(database);
            if (state.writer().filter(region.dbClusterArn()::equals).isPresent()) {
                return new Lag(Lag.State.WRITER, null);
            }
            OptionalDouble lag = AuroraLag.lagMillis(target, region);
            return lag.isPresent() ? new Lag(Lag.State.MEASURED, lag.getAsDouble() / 1000)
                    : new Lag(Lag.State.UNKNOWN, null);
        });
        cells.put("ecs", () -> {
            EcsServices.State ecs = target.ecs().describe(region);
            return new Ecs(ecs.running(), ecs.desired(), ecs.pending(),
                    ecs.primary().map(EcsServices.Rollout::state).orElse(null));
        });
        cells.put("healthz", () -> {
            Map<String, JsonNode> writer = Map.of("role", JsonNodeFactory.instance.stringNode("writer"));
            HttpProbe.Params probe = new HttpProbe.Params(null, region.name(), 200, writer, 1, null, PROBE_TIMEOUT,
                    null, null);
            Verdict<HttpProbe.Outputs> verdict = new HttpProbe(() -> target).evaluate(probe, null);
            // What the region says it is; a reader is not a failure here, and neither is an unhealthy answer.
            if (verdict.outputs().isEmpty()) {
                return new Unreadable(verdict.detail(), Unreadable.Kind.UNREACHABLE);
            }
            HttpProbe.Outputs seen = verdict.outputs().get();
            String role = seen.fields().get("role");
            return new Healthz(seen.status(), seen.status() == 200, role, role == null ? verdict.detail() : null);
        });
        cells.put("alarms", () -> alarms(region));
        return cells;
    }

    /** The topology's alarms and their states; one that does not exist in the region is MISSING, never OK. */
    private Cell alarms(Region region) throws StepFailure {
        List<String> names = target.topology().alarms();
        if (names.isEmpty()) {
            return new Alarms(List.of());
        }
        Map<String, String> states = target.telemetry().alarms(region.awsRegion(), names, null);
        return new Alarms(names.stream().map(name -> new Alarms.Alarm(name, states.getOrDefault(name,
                Alarms.MISSING))).toList());
    }

    private static Database database(Region region, GlobalDatabase.State state) {
        Database.Role role = state.writer().filter(region.dbClusterArn()::equals).isPresent() ? Database.Role.WRITER
                : state.members().contains(region.dbClusterArn()) ? Database.Role.READER : Database.Role.NOT_A_MEMBER;
        return new Database(role, state.transition().filter(t -> region.dbClusterArn().equals(t.to()))
                .map(GlobalDatabase.Transition::status).orElse(null));
    }

    private static Callable<Cell> safely(Reader reader) {
        return () -> {
            try {
                return reader.read();
            } catch (StepFailure e) {
                return new Unreadable(e.getMessage(), e instanceof Unreachable ? Unreadable.Kind.UNREACHABLE
                        : Unreadable.Kind.ERROR);
            } catch (RuntimeException e) {
                return new Unreadable(e.toString(), Unreadable.Kind.ERROR);
            }
        };
    }
}
