package dev.gafail.infra;

import dev.gafail.yaml.InvalidFileException;
import dev.gafail.yaml.PositionedTree;
import dev.gafail.yaml.Problem;
import dev.gafail.yaml.SchemaCheckedYaml;
import dev.gafail.yaml.UserFiles;
import dev.gafail.yaml.YamlDocuments;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Reads {@code gafail-infra.yaml} over the defaults, or reports every problem at once as
 * {@code FILE:LINE:COLUMN: message}: the JSON Schema, then what it cannot say (two AWS regions,
 * two address blocks, a third region for the state bucket, warm at most active, an image or a repository,
 * a database that has the RDS Data API).
 */
public final class InfraConfigLoader {

    private static final String SHAPE = "the infra configuration is a YAML mapping (name, account, mode, regions,"
            + " service, database, alarms, state)";

    /**
     * The first minor version of each Aurora PostgreSQL major version that has the RDS Data API, as AWS's
     * "Supported Regions and Aurora DB engines for RDS Data API" lists them; none before 13.
     */
    private static final Map<Integer, Integer> DATA_API_SINCE = Map.of(13, 11, 14, 8, 15, 3, 16, 1, 17, 4, 18, 3);

    private final SchemaCheckedYaml yaml = new SchemaCheckedYaml(InfraConfigLoader.class, "infra.schema.json", SHAPE);

    public InfraConfig load(Path file) throws InvalidFileException {
        return parse(file.toString(), UserFiles.read(file));
    }

    public InfraConfig parse(String file, byte[] bytes) throws InvalidFileException {
        PositionedTree tree = yaml.read(file, bytes);
        InfraConfig config = bind(tree.root());
        List<Problem> problems = new ArrayList<>();
        check(tree, config, problems);
        if (!problems.isEmpty()) {
            throw YamlDocuments.sorted(problems);
        }
        return config;
    }

    private static InfraConfig bind(JsonNode root) {
        InfraConfig d = InfraConfig.defaults();
        List<InfraConfig.RegionConfig> regions = new ArrayList<>();
        for (InfraConfig.RegionConfig r : d.regions()) {
            JsonNode node = root.at("/regions/" + r.name());
            regions.add(new InfraConfig.RegionConfig(r.name(), node.path("awsRegion").asString(r.awsRegion()),
                    node.path("cidr").asString(r.cidr()), node.path("dial").asInt(r.dial())));
        }
        JsonNode s = root.path("service");
        boolean image = s.has("image");
        InfraConfig.Service service = new InfraConfig.Service(image ? s.path("image").asString() : null,
                image ? null : s.path("ecrRepository").asString(d.service().ecrRepository()),
                s.path("tag").asString(d.service().tag()), s.path("cpu").asInt(d.service().cpu()),
                s.path("memoryMiB").asInt(d.service().memoryMiB()),
                s.path("activeCount").asInt(d.service().activeCount()),
                s.path("warmCount").asInt(d.service().warmCount()));
        JsonNode db = root.path("database");
        JsonNode a = root.path("alarms");
        JsonNode st = root.path("state");
        return new InfraConfig(root.path("name").asString(d.name()), root.path("account").asString(d.account()),
                root.has("mode") ? InfraConfig.Mode.valueOf(root.path("mode").asString().toUpperCase(Locale.ROOT).replace('-', '_'))
                        : d.mode(),
                regions, service,
                new InfraConfig.Database(db.path("engineVersion").asString(d.database().engineVersion()),
                        db.path("instanceClass").asString(d.database().instanceClass()),
                        db.path("writerEndpoint").asBoolean(d.database().writerEndpoint())),
                new InfraConfig.Alarms(a.path("fiveXxPercent").asDouble(d.alarms().fiveXxPercent()),
                        a.path("p95Seconds").asDouble(d.alarms().p95Seconds()),
                        a.path("rpoLagSeconds").asDouble(d.alarms().rpoLagSeconds()),
                        a.has("notify") ? texts(a.path("notify")) : d.alarms().notifyEmails()),
                new InfraConfig.State(st.path("awsRegion").asString(d.state().awsRegion()),
                        st.path("bucket").asString(d.state().bucket()), st.path("prefix").asString(d.state().prefix())));
    }

    private static List<String> texts(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(item -> out.add(item.asString()));
        return out;
    }

    private static void check(PositionedTree tree, InfraConfig config, List<Problem> problems) {
        InfraConfig.RegionConfig a = config.primary();
        InfraConfig.RegionConfig b = config.secondary();
        if (a.awsRegion().equals(b.awsRegion())) {
            problems.add(tree.problem(at(tree, "/regions/region-b/awsRegion", "/regions/region-b", "/regions", ""),
                    "region-a and region-b are both in " + a.awsRegion() + "; a global database spans two AWS regions"));
        }
        for (InfraConfig.RegionConfig region : config.regions()) {
            if (region.awsRegion().equals(config.state().awsRegion())) {
                problems.add(tree.problem(at(tree, "/state/awsRegion", "/regions/" + region.name() + "/awsRegion",
                        "/regions", ""), "the state bucket is in " + region.awsRegion() + ", " + region.name()
                        + "'s region; set state.awsRegion to a third region, so the team's state outlives the loss"
                        + " of either"));
            }
        }
        if (a.cidr().equals(b.cidr())) {
            problems.add(tree.problem(at(tree, "/regions/region-b/cidr", "/regions/region-b", "/regions", ""),
                    "region-a and region-b both use " + a.cidr() + "; give each region its own address block"));
        }
        if (config.service().warmCount() > config.service().activeCount()) {
            problems.add(tree.problem(at(tree, "/service/warmCount", "/service/activeCount", "/service", ""),
                    "warmCount " + config.service().warmCount() + " is more than activeCount "
                            + config.service().activeCount()));
        }
        if (tree.root().at("/service/image").isString() && tree.root().at("/service/ecrRepository").isString()) {
            problems.add(tree.problem("/service/ecrRepository", "give image or ecrRepository, not both"));
        }
        checkDataApi(tree, config.database(), problems);
        if (config.mode() == InfraConfig.Mode.ACTIVE_ACTIVE && a.dial() + b.dial() == 0) {
            problems.add(tree.problem(at(tree, "/regions", "/mode", ""), "active-active with both dials at 0 sends"
                    + " traffic nowhere"));
        }
    }

    /** The restore drill checks restored data through the RDS Data API, which some versions and classes lack. */
    private static void checkDataApi(PositionedTree tree, InfraConfig.Database database, List<Problem> problems) {
        Integer since = DATA_API_SINCE.get(database.majorVersion());
        if (database.majorVersion() < 13 || since != null && database.minorVersion() < since) {
            problems.add(tree.problem(at(tree, "/database/engineVersion", "/database", ""), "Aurora PostgreSQL "
                    + database.engineVersion() + " has no RDS Data API, which the restore drill checks restored data"
                    + " with; choose " + (since == null ? "13.11" : database.majorVersion() + "." + since)
                    + " or later"));
        }
        if (database.instanceClass().startsWith("db.t")) {
            problems.add(tree.problem(at(tree, "/database/instanceClass", "/database", ""), database.instanceClass()
                    + " is a T instance class, on which the RDS Data API does not run (the restore drill checks"
                    + " restored data with it); choose another, such as db.r6g.large"));
        }
    }

    /** The first of {@code pointers} that the file has, so a problem points where the user must act. */
    private static String at(PositionedTree tree, String... pointers) {
        for (String pointer : pointers) {
            if (pointer.isEmpty() || !tree.root().at(pointer).isMissingNode()) {
                return pointer;
            }
        }
        return "";
    }
}
