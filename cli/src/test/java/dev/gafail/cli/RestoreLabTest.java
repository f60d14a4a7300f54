package dev.gafail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.gafail.engine.Json;
import dev.gafail.lab.Lab;
import dev.gafail.lab.aws.ControlPlane;
import dev.gafail.lab.aws.LabResources;
import dev.gafail.servers.os.Await;
import dev.gafail.servers.postgres.PostgresInstance;
import dev.gafail.testing.CliRun;
import dev.gafail.testing.GafailProcess;
import dev.gafail.testing.TestLab;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DbClusterNotFoundException;
import software.amazon.awssdk.services.rds.model.InvalidDbClusterStateException;
import software.amazon.awssdk.services.rds.model.InvalidRestoreException;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;
import software.amazon.awssdk.services.rdsdata.model.BadRequestException;
import software.amazon.awssdk.services.rdsdata.model.DatabaseErrorException;
import software.amazon.awssdk.services.rdsdata.model.RecordsFormatType;
import tools.jackson.databind.JsonNode;

/**
 * The lab's point-in-time restore, through RDS's own API and the real SDK client: each region's database
 * keeps a base backup and archives its WAL, and RestoreDBClusterToPointInTime replays them into a new server
 * holding exactly what had committed at the chosen time; CreateDBInstance, DeleteDBInstance and
 * DeleteDBCluster give it an instance and take both away, its data with them. Then the restore drill
 * ({@code gafail drill --scenario restore}) over it: the scratch cluster holds exactly the notes of its moment,
 * as the Data API reads them, and is gone afterwards, even after the drill was killed and resumed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestoreLabTest {

    @RegisterExtension
    static final TestLab LAB = new TestLab("restore", config -> config);

    /** The SQL both the restore drill and this test count and checksum the audit events with. */
    private static final String CHECKSUM = "select count(*), coalesce(sum(('x' || left(md5(e::text), 16))::bit(64)"
            + "::bigint), 0)::text from audit_events e";

    private static final Duration WITHIN = Duration.ofSeconds(90);
    private static RdsClient regionA;
    private static RdsClient regionB;
    /** When the first 50 rows had committed and the next 50 had not. */
    private static Instant between;

    @BeforeAll
    static void writeRowsEitherSideOfAMoment() throws Exception {
        regionA = rds("region-a");
        regionB = rds("region-b");
        // a cluster's restorable window opens once its first base backup is done, shortly after the lab's start
        for (String region : List.of("region-a", "region-b")) {
            RdsClient rds = region.equals("region-a") ? regionA : regionB;
            Await.until(WITHIN, Duration.ofMillis(200), "no restorable window in " + region, () -> rds
                    .describeDBClusters(r -> r.dbClusterIdentifier("lab-" + region)).dbClusters().get(0)
                    .earliestRestorableTime() != null);
        }
        try (Connection c = primary(); Statement sql = c.createStatement()) {
            sql.execute("CREATE TABLE restore_probe (id int PRIMARY KEY, note text NOT NULL)");
            sql.execute("INSERT INTO restore_probe SELECT g, 'before ' || g FROM generate_series(1, 50) g");
            Thread.sleep(1000);
            between = Instant.now();
            Thread.sleep(1000);
            sql.execute("INSERT INTO restore_probe SELECT g, 'after ' || g FROM generate_series(51, 100) g");
        }
    }

    @AfterAll
    static void close() {
        regionA.close();
        regionB.close();
    }

    private static RdsClient rds(String region) {
        return client(RdsClient.builder(), region);
    }

    private static RdsDataClient dataApi(String region) {
        return client(RdsDataClient.builder(), region);
    }

    /** A real SDK client of the lab region's AWS region, through its port. */
    private static <C, B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>> C client(B builder,
                                                                                           String region) {
        Region awsRegion = Region.of(LabResources.AWS_REGIONS.get(region));
        return builder.endpointOverride(URI.create(LAB.lab().awsEndpoint(awsRegion.id()))).region(awsRegion)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }

    private static Connection primary() throws SQLException {
        Lab lab = LAB.lab();
        return PostgresInstance.connect(lab.database().member(lab.database().primary(), true).server().port(),
                "postgres");
    }

    private static DBCluster awaitCluster(RdsClient rds, String id, String status) throws Exception {
        DBCluster[] seen = new DBCluster[1];
        Await.until(WITHIN, Duration.ofMillis(200), id + " never " + status + ": " + (seen[0] == null ? "" : seen[0]),
                () -> {
                    seen[0] = rds.describeDBClusters(r -> r.dbClusterIdentifier(id)).dbClusters().get(0);
                    if (seen[0].status().equals("incompatible-restore")) {
                        throw new AssertionError(id + " could not be restored (the lab's stderr says why)");
                    }
                    return seen[0].status().equals(status);
                });
        return seen[0];
    }

    /** The probe's rows in the restore, as {@code count:max}. */
    private static String rows(int port) throws SQLException {
        try (Connection c = PostgresInstance.connect(port, "postgres"); Statement sql = c.createStatement();
             ResultSet r = sql.executeQuery("SELECT count(*), max(id), bool_and(note LIKE 'before %')"
                     + " FROM restore_probe")) {
            r.next();
            return r.getInt(1) + ":" + r.getInt(2) + ":" + r.getBoolean(3);
        }
    }

    /** Restores {@code cluster}'s database to {@code between} as {@code id}, gives it an instance, and checks its rows. */
    private static void restoreCheckAndDelete(RdsClient rds, String cluster, String id) throws Exception {
        rds.restoreDBClusterToPointInTime(r -> r.dbClusterIdentifier(id).sourceDBClusterIdentifier(cluster)
                .restoreToTime(between).restoreType("copy-on-write"));
        rds.createDBInstance(r -> r.dbInstanceIdentifier(id + "-1").dbClusterIdentifier(id)
                .dbInstanceClass("db.r6g.large").engine("aurora-postgresql"));
        DBCluster restored = awaitCluster(rds, id, "available");
        Await.until(WITHIN, Duration.ofMillis(200), id + "-1 never available", () -> rds.describeDBInstances(
                r -> r.filters(f -> f.name("db-cluster-id").values(id))).dbInstances().get(0).dbInstanceStatus()
                .equals("available"));

        assertEquals("50:50:true", rows(restored.port()), "exactly the rows committed at " + between);

        // beside the regions' databases, wherever the lab keeps them (a temporary folder when run as root)
        Path databases = LAB.lab().database().member("region-a", true).server().data().getParent().getParent();
        assertThrows(InvalidDbClusterStateException.class, () -> rds.deleteDBCluster(r -> r.dbClusterIdentifier(id)
                .skipFinalSnapshot(true)), "not while it has an instance");
        rds.deleteDBInstance(r -> r.dbInstanceIdentifier(id + "-1").skipFinalSnapshot(true));
        rds.deleteDBCluster(r -> r.dbClusterIdentifier(id).skipFinalSnapshot(true));
        Await.until(WITHIN, Duration.ofMillis(200), id + " never gone", () -> {
            try {
                rds.describeDBClusters(r -> r.dbClusterIdentifier(id));
                return false;
            } catch (DbClusterNotFoundException e) {
                return true;
            }
        });
        assertThrows(SQLException.class, () -> rows(restored.port()), "its server ended");
        assertTrue(Files.isDirectory(databases.resolve("region-a")), databases.toString());
        assertFalse(Files.exists(databases.resolve("restores").resolve(id)), "its data deleted");
    }

    @Test
    @Order(1)
    void theWritersDatabaseRestoredToAMomentHoldsExactlyWhatHadCommittedThenAndIsGoneOnceDeleted() throws Exception {
        restoreCheckAndDelete(regionA, "lab-region-a", "restore-a");
    }

    @Test
    @Order(2)
    void theReplicasDatabaseRestoresFromItsOwnBackupAndArchiveToTheSameRows() throws Exception {
        restoreCheckAndDelete(regionB, LabResources.clusterArn("region-b"), "restore-b");
    }

    /** A connection to the writer's notes database, the sample API's. */
    private static Connection notes() throws SQLException {
        Lab lab = LAB.lab();
        return PostgresInstance.connect(lab.database().member(lab.database().primary(), true).server().port(),
                LabResources.DATABASE);
    }

    /** {@code count} audit events of entities {@code entity N}, in one transaction: one commit timestamp. */
    private static void insertEvents(Statement sql, String entity, int count) throws SQLException {
        sql.execute("INSERT INTO audit_events SELECT gen_random_uuid(), now(), 'region-a', 'req-' || g, 'drill',"
                + " 'note.created', 'note', '" + entity + " ' || g FROM generate_series(1, " + count + ") g");
    }

    /** The audit events {@code where} selects, as {@code count:checksum}, computed as the drill computes them. */
    private static String eventsChecksum(String where) throws SQLException {
        try (Connection c = notes(); Statement sql = c.createStatement();
             ResultSet r = sql.executeQuery(CHECKSUM + " " + where)) {
            r.next();
            return r.getLong(1) + ":" + r.getString(2);
        }
    }

    /** Each step's outputs, from the execution's events as {@code --output json} prints them. */
    private static Map<String, JsonNode> outputs(String events) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        events.lines().filter(l -> l.startsWith("{")).map(Json.MAPPER::readTree)
                .filter(e -> e.path("type").asString().equals("step-succeeded"))
                .forEach(e -> out.put(e.path("step").asString(), e.path("data").path("outputs")));
        return out;
    }

    /** The lab's AWS requests of {@code operation} so far, each a JSON line of its request log. */
    private static List<JsonNode> requests(String operation) throws IOException {
        return Files.readAllLines(LAB.lab().topologyFile().resolveSibling(ControlPlane.REQUEST_LOG)).stream()
                .map(Json.MAPPER::readTree).filter(r -> r.path("operation").asString().equals(operation)).toList();
    }

    private static long restoresIn(String awsRegion) throws IOException {
        return requests("RestoreDBClusterToPointInTime").stream()
                .filter(r -> r.path("region").asString().equals(awsRegion)).count();
    }

    private static List<String> clusters(RdsClient rds) {
        return rds.describeDBClusters().dbClusters().stream().map(DBCluster::dbClusterIdentifier).toList();
    }

    @Test
    @Order(3)
    void aTimeOutsideTheWindowAClusterOfAnotherRegionAndAGlobalMemberAreRefusedInRdsWords() {
        assertThrows(InvalidRestoreException.class, () -> regionA.restoreDBClusterToPointInTime(r -> r
                .dbClusterIdentifier("too-early").sourceDBClusterIdentifier("lab-region-a")
                .restoreToTime(Instant.now().minus(Duration.ofDays(2)))));
        assertThrows(InvalidRestoreException.class, () -> regionA.restoreDBClusterToPointInTime(r -> r
                .dbClusterIdentifier("too-late").sourceDBClusterIdentifier("lab-region-a")
                .restoreToTime(Instant.now().plus(Duration.ofHours(1)))));
        assertThrows(DbClusterNotFoundException.class, () -> regionA.restoreDBClusterToPointInTime(r -> r
                .dbClusterIdentifier("elsewhere").sourceDBClusterIdentifier("lab-region-b")
                .useLatestRestorableTime(true)), "a region restores its own clusters");
        assertThrows(InvalidDbClusterStateException.class, () -> regionA.deleteDBCluster(r -> r
                .dbClusterIdentifier("lab-region-a").skipFinalSnapshot(true)));
        DBCluster member = regionA.describeDBClusters(r -> r.dbClusterIdentifier("lab-region-a")).dbClusters().get(0);
        assertTrue(member.earliestRestorableTime().isBefore(between), member.toString());
        assertEquals(List.of("lab-region-a"), regionA.describeDBClusters().dbClusters().stream()
                .map(DBCluster::dbClusterIdentifier).toList(), "its own cluster alone, no restore left behind");
        assertThrows(DbClusterNotFoundException.class, () -> regionA.describeDBClusters(r -> r
                .dbClusterIdentifier(LabResources.clusterArn("region-b"))), "a region describes its own clusters");
    }

    @Test
    @Order(4)
    void theDataApiAnswersOnTheWritersClusterAloneAsAtAws() {
        try (RdsDataClient a = dataApi("region-a"); RdsDataClient b = dataApi("region-b")) {
            String rows = a.executeStatement(r -> r.resourceArn(LabResources.clusterArn("region-a"))
                    .secretArn(LabResources.dataApiSecretArn("region-a")).database("postgres")
                    .sql("select count(*) as n, :word as word from restore_probe where id <= :last")
                    .parameters(p -> p.name("word").value(v -> v.stringValue("probe")),
                            p -> p.name("last").value(v -> v.longValue(50L)))
                    .formatRecordsAs(RecordsFormatType.JSON)).formattedRecords();
            assertEquals("[{\"n\":50,\"word\":\"probe\"}]", rows);
            assertThrows(BadRequestException.class, () -> b.executeStatement(r -> r
                    .resourceArn(LabResources.clusterArn("region-b")).secretArn(LabResources.dataApiSecretArn("region-b"))
                    .database("postgres").sql("select 1")), "a secondary cluster has no writer instance");
            assertThrows(DatabaseErrorException.class, () -> a.executeStatement(r -> r
                    .resourceArn(LabResources.clusterArn("region-a")).secretArn(LabResources.dataApiSecretArn("region-a"))
                    .database("postgres").sql("select * from no_such_table")));
        }
    }

    @Test
    @Order(5)
    void aRestoreDrillFindsExactlyTheAuditEventsOfItsMomentInTheScratchClusterAndDeletesIt() throws Exception {
        Instant moment;
        try (Connection c = notes(); Statement sql = c.createStatement()) {
            insertEvents(sql, "before", 20);
            Thread.sleep(1000);
            moment = Instant.now();
            Thread.sleep(1000);
            insertEvents(sql, "after", 15);
        }
        String expected = eventsChecksum("where e.entity_id not like 'after %'");
        assertTrue(Long.parseLong(expected.split(":")[0]) >= 20, expected);

        int restores = requests("RestoreDBClusterToPointInTime").size();
        CliRun.Result planned = LAB.gafail("drill", "--scenario", "restore", "--dry-run", "--set", "to=" + moment);
        assertEquals(0, planned.code(), planned.toString());
        assertEquals(restores, requests("RestoreDBClusterToPointInTime").size(), "a dry run restores nothing");
        assertEquals(List.of("lab-region-a"), clusters(regionA));

        CliRun.Result drill = LAB.gafail("drill", "--scenario", "restore", "--yes", "--set", "to=" + moment,
                "--output", "json");

        assertEquals(0, drill.code(), drill.toString());
        Map<String, JsonNode> outputs = outputs(drill.out());
        assertEquals(moment, Instant.parse(outputs.get("restore").path("restoredTo").asString()));
        JsonNode restored = outputs.get("restored-rows").path("first");
        assertEquals(expected, restored.path("rows").asLong() + ":" + restored.path("checksum").asString(),
                "the scratch cluster holds the 20 audit events before the moment, none of the 15 after it");
        assertEquals(restored, outputs.get("source-rows").path("first"), "the source's as of the moment, by"
                + " commit time, read on the writer");
        assertTrue(outputs.get("verdict").path("passed").asBoolean(), outputs.get("verdict").toString());
        assertEquals(List.of("lab-region-a"), clusters(regionA), "the scratch cluster is gone");
        assertEquals(35, Long.parseLong(eventsChecksum("where e.entity_id ~ '^(before|after) '").split(":")[0]),
                "the source keeps every event");

        CliRun.Result check = LAB.gafail("check", "--output", "json");
        JsonNode row = null;
        for (JsonNode item : Json.MAPPER.readTree(check.out()).path("items")) {
            row = item.path("item").asString().equals("restore") ? item : row;
        }
        assertTrue(row != null && row.path("status").asString().equals("pass"), check.toString());
        assertTrue(row.path("evidence").asString().contains("restored to " + moment), row.toString());
        assertFalse(row.path("date").asString().isEmpty(), row.toString());
    }

    @Test
    @Order(6)
    void aRestoreDrillKilledWhileItsScratchClusterIsCreatedLeavesNoneOnceResumed() throws Exception {
        Path topology = LAB.topologyWithLease("5s");
        Map<String, String> laptop = TestLab.laptop("oncall", topology);
        int instances = requests("CreateDBInstance").size();
        long restoresInB = restoresIn("us-west-2");
        int deletions = requests("DeleteDBInstance").size();
        String id;
        try (GafailProcess drill = GafailProcess.start(LAB.laptopHome("oncall"), laptop, "drill", "--scenario",
                "restore", "--region", "region-b", "--yes", "--output", "json")) {
            Await.until(WITHIN, Duration.ofMillis(10), "never: the drill gave its scratch cluster an instance", () -> {
                if (!drill.isAlive()) {
                    throw new AssertionError("the drill ended first: " + drill.err());
                }
                return requests("CreateDBInstance").size() > instances;
            });
            drill.kill();
            id = Json.MAPPER.readTree(drill.out().lines().findFirst().orElseThrow()).path("execution").asString();
        }
        assertEquals(deletions, requests("DeleteDBInstance").size(), "killed before it deleted anything");
        String scratch = "gafail-restore-" + id;
        Await.until(WITHIN, Duration.ofMillis(200), "the killed drill's scratch cluster is there",
                () -> clusters(regionB).contains(scratch));
        Thread.sleep(5500); // the killed holder's lock lease runs out

        CliRun.Result resumed = CliRun.in(LAB.laptopHome("oncall")).env("GAFAIL_TOPOLOGY", topology.toString())
                .env("HOSTNAME", laptop.get("HOSTNAME")).env("AWS_ACCESS_KEY_ID", laptop.get("AWS_ACCESS_KEY_ID"))
                .env("AWS_SECRET_ACCESS_KEY", laptop.get("AWS_SECRET_ACCESS_KEY")).run("resume", id, "--yes");

        assertEquals(0, resumed.code(), resumed.toString());
        assertEquals(List.of("lab-region-b"), clusters(regionB), "no scratch cluster left");
        assertEquals(restoresInB + 1, restoresIn("us-west-2"), "restored once, not again when resumed");
    }

    @Test
    @Order(7)
    void withoutTheDataApiTheRestoreDrillChecksThatTheRestoreBecameAvailableAndDeletesIt() throws Exception {
        Path topology = LAB.dir().resolve("no-data-api.gafail.yaml");
        Files.writeString(topology, Files.readString(LAB.lab().topologyFile()).lines()
                .filter(line -> !line.trim().startsWith("dataApi:")).collect(Collectors.joining("\n")) + "\n");

        CliRun.Result drill = CliRun.in(LAB.dir()).env("GAFAIL_TOPOLOGY", topology.toString())
                .run("drill", "--scenario", "restore", "--yes", "--output", "json");

        assertEquals(0, drill.code(), drill.toString());
        Map<String, JsonNode> outputs = outputs(drill.out());
        assertTrue(outputs.containsKey("restore") && outputs.containsKey("delete-restore"), outputs.keySet().toString());
        assertFalse(outputs.containsKey("restored-rows"), "no Data API, no query");
        assertEquals(List.of("lab-region-a"), clusters(regionA));
    }
}
