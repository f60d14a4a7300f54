package dev.gafail.actions;

import dev.gafail.aws.DataApi;
import dev.gafail.engine.Change;
import dev.gafail.engine.StepContext;
import dev.gafail.engine.StepFailure;
import dev.gafail.topology.Region;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code aurora.query {region, cluster, sql, parameters}}: runs one SQL statement through the RDS Data API on
 * the region's cluster, on the global database's writer ({@code cluster: writer}: the Data API runs statements
 * on a writer instance only, so a secondary answers none), or on a cluster of the region named by ARN (a
 * restore's), signed in with the region's {@code dataApi} secret from the topology. Its outputs are the rows, and
 * the first row apart for conditions: {@code steps.ID.outputs.first.COLUMN}. gafail does not read the statement:
 * the plan says what would run, and only the run runs it, so that a dry run changes nothing whatever it says.
 */
public final class AuroraQuery extends TargetedAction<AuroraQuery.Params, AuroraQuery.Outputs> {

    /** The word that names the global database's current writer instead of a cluster. */
    static final String WRITER = "writer";

    public record Params(String region, String cluster, String sql, Map<String, Object> parameters) {
    }

    public record Outputs(String cluster, int count, Map<String, Object> first, List<Map<String, Object>> rows) {
    }

    public AuroraQuery(Supplier<Target> target) {
        super("aurora.query", Params.class, Outputs.class, false, List.of("rds-data:ExecuteStatement",
                "secretsmanager:GetSecretValue", "rds:DescribeGlobalClusters"), """
                {"type": "object", "additionalProperties": false, "required": ["region", "sql"],
                 "properties": {
                   "region": {"type": "string", "minLength": 1, "description": "the region whose dataApi settings sign in, and whose cluster is queried by default"},
                   "cluster": {"type": "string", "description": "'writer' (the global database's writer), or a cluster ARN in the region (a restore's); default the region's cluster"},
                   "sql": {"type": "string", "minLength": 1, "maxLength": 65536},
                   "parameters": {"type": "object", "description": "values of the statement's :name parameters",
                                  "additionalProperties": {"type": ["string", "number", "boolean", "null"]}}}}""",
                target);
    }

    /** Where the statement runs: the cluster, and the region whose Data API settings sign in to it. */
    private record Destination(Region region, String clusterArn) {
    }

    @Override
    public Change plan(Params params, StepContext context) throws StepFailure {
        Target target = target();
        Region region = target.region(params.region());
        settings(destination(params, target, region).region());
        return Change.to("not run", "ran on " + describe(params, region) + ": " + oneLine(params.sql()));
    }

    @Override
    public Outputs apply(Params params, StepContext context) throws StepFailure {
        Target target = target();
        Destination on = destination(params, target, target.region(params.region()));
        Region.DataApi settings = settings(on.region());
        List<Map<String, Object>> rows = new DataApi(target.aws()).query(on.region().awsRegion(), on.clusterArn(),
                settings.secretArn(), settings.database(), params.sql(),
                params.parameters() == null ? Map.of() : new LinkedHashMap<>(params.parameters()));
        return new Outputs(on.clusterArn(), rows.size(), rows.isEmpty() ? Map.of() : rows.get(0), rows);
    }

    /** The region's cluster, the writer's (read from the global database, in the region's RDS), or the one named. */
    private static Destination destination(Params params, Target target, Region region) throws StepFailure {
        if (params.cluster() == null || params.cluster().isBlank()) {
            return new Destination(region, region.dbClusterArn());
        }
        if (WRITER.equals(params.cluster())) {
            Region writer = AuroraWriterChange.writerRegion(target, target.database().describe(region.awsRegion()))
                    .orElseThrow(() -> StepFailure.permanent("the global database has no writer to query"));
            return new Destination(writer, writer.dbClusterArn());
        }
        return new Destination(region, params.cluster());
    }

    private static Region.DataApi settings(Region region) throws StepFailure {
        Optional<Region.DataApi> settings = region.dataApiSettings();
        if (settings.isEmpty()) {
            throw StepFailure.permanent("the topology enables no Data API in " + region.name() + ": give regions."
                    + region.name() + ".dataApi its secretArn and database (the cluster needs EnableHttpEndpoint)");
        }
        return settings.get();
    }

    private static String describe(Params params, Region region) {
        if (params.cluster() == null || params.cluster().isBlank()) {
            return region.name() + "'s cluster";
        }
        return WRITER.equals(params.cluster()) ? "the global database's writer" : params.cluster();
    }

    private static String oneLine(String sql) {
        String line = sql.strip().replaceAll("\\s+", " ");
        return line.length() > 120 ? line.substring(0, 117) + "..." : line;
    }
}
