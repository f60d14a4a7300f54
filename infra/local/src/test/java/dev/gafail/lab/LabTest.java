package dev.gafail.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.gafail.lab.aws.LabResources;
import dev.gafail.lab.net.Outage;
import dev.gafail.servers.os.Await;
import dev.gafail.servers.os.Trees;
import dev.gafail.servers.postgres.PostgresInstance;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One lab for the class, driven through its Java API and checked against real state: which
 * PostgreSQL accepts writes (JDBC, around the lab), which region the edge sends new requests to
 * ({@code X-Region}), how many sample-api processes run (the process table), what the lab's S3
 * serves and keeps (HTTP, around the lab, and its files).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabTest {

    /** How long a test waits for the lab to get where it should, reading every {@link #POLL}. */
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);

    private static Path dir;
    private static Lab lab;
    private static final List<Long> pids = new ArrayList<>();

    @BeforeAll
    static void up() throws Exception {
        dir = Files.createTempDirectory("gafail-lab-test-");
        Path jar = LabConfig.findSampleApiJar(System.getenv(), Path.of("")).orElseThrow(
                () -> new AssertionError("build sample-api first (mvn -pl sample-api package)"));
        lab = Lab.up(LabConfig.defaults(dir, 2, jar));
    }

    @AfterAll
    static void down() throws Exception {
        if (lab != null) {
            pids.addAll(samplePids());
            pids.addAll(lab.pids());
            lab.database().members().values().forEach(m -> m.server().pid().ifPresent(pids::add));
            lab.close();
        }
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " left");
        }
        Trees.delete(dir);
    }

    /** The sample-api processes this JVM started, from the process table. */
    private static List<Long> samplePids() {
        return pidsOf("sample-api.jar");
    }

    /** The processes this JVM started whose command line holds {@code part}. */
    private static List<Long> pidsOf(String part) {
        return ProcessHandle.current().descendants().filter(p -> p.info().commandLine().orElse("")
                .contains(part)).map(ProcessHandle::pid).toList();
    }

    /** A key of the state bucket, at the lab's S3 as it is now. */
    private static URI stateKey(String key) {
        return URI.create(lab.status().s3().url() + "/" + LabResources.STATE_BUCKET + "/" + key);
    }

    /** A PUT that creates {@code key} only if it does not exist (S3's conditional write), unsigned as S3Mock allows. */
    private static int create(String key, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(stateKey(key)).header("If-None-Match", "*")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /** The lab's S3 is up and serves the state bucket, in its third AWS region. */
    private static void assertS3Serves() throws Exception {
        assertEquals("up", lab.status().s3().state());
        HttpResponse<String> location = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(lab.status().s3().url() + "/" + LabResources.STATE_BUCKET + "?location")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, location.statusCode(), location.body());
        assertTrue(location.body().contains(">us-east-2<"), location.body());
    }

    // A new client per request: a new connection, which the edge routes afresh (it never moves one).
    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + lab.edge().port() + path)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> postNote(String title) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + lab.edge().port() + "/api/v1/notes"))
                .header("Authorization", "Bearer " + lab.token(Duration.ofMinutes(5)))
                .header("Idempotency-Key", UUID.randomUUID().toString()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\": \"" + title + "\", \"body\": \"b\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static boolean writes(String region) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:"
                + lab.database().member(region, true).server().port() + "/notes?user=" + PostgresInstance.USER);
             Statement sql = c.createStatement(); ResultSet r = sql.executeQuery("SELECT pg_is_in_recovery()")) {
            r.next();
            return !r.getBoolean(1);
        }
    }

    /** A note read through {@code region}'s own load balancer: the X-Cache header says whether its cache had it. */
    private static HttpResponse<String> readIn(String region, String id) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + lab.edge().regionPort(region) + "/api/v1/notes/" + id))
                .header("Authorization", "Bearer " + lab.token(Duration.ofMinutes(5))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String cache(String region) {
        return lab.status().regions().stream().filter(r -> r.region().equals(region)).findFirst().orElseThrow().cache();
    }

    private static String idOf(HttpResponse<String> created) {
        return created.body().replaceAll("(?s).*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    }

    /** Waits until a new request through the edge lands in {@code region}. */
    private static void awaitEdgeRegion(String region) throws Exception {
        Await.until(WAIT, POLL, "never: the edge sends new requests to " + region,
                () -> region.equals(get("/healthz").headers().firstValue("X-Region").orElse("")));
    }

    @Test
    @Order(1)
    void upStartsRealPartsAndWritesTheTopology() throws Exception {
        assertTrue(writes("region-a"));
        assertFalse(writes("region-b"));
        assertEquals(3, samplePids().size(), "2 active in region-a, 1 warm in region-b");
        assertEquals("region-a", get("/healthz").headers().firstValue("X-Region").orElseThrow());
        String topology = Files.readString(lab.topologyFile());
        assertTrue(topology.contains("endpoint: http://127.0.0.1:" + lab.edge().port()), topology);
        assertTrue(topology.contains("\nstate: {s3: {bucket: gafail, prefix: lab/, region: us-east-2, audit: {retentionDays: 1}}}\n"), topology);
        assertTrue(topology.contains("\n  s3: \"" + lab.status().s3().url() + "\"\n"), topology);
        assertS3Serves();
        assertEquals(201, postNote("first").statusCode());
        for (String region : Lab.REGIONS) {
            assertEquals("up", cache(region), "every region has its cache");
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + lab.edge().regionPort(region) + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(health.body().contains("\"cache\":\"ok\""), region + ": " + health.body());
        }
    }

    @Test
    @Order(2)
    void aSecondLabInTheSameFolderIsRefused() {
        LabException e = assertThrows(LabException.class, () -> Lab.up(lab.config()));
        assertTrue(e.getMessage().contains("already running in " + dir.toAbsolutePath()), e.getMessage());
    }

    @Test
    @Order(3)
    void scalingChangesTheNumberOfProcesses() throws Exception {
        lab.scale("region-b", 2);
        assertEquals(4, samplePids().size());
        lab.scale("region-b", 1);
        assertEquals(3, samplePids().size());
    }

    @Test
    @Order(4)
    void aSwitchoverMovesTheWriterAndKeepsTheWrites() throws Exception {
        HttpResponse<String> before = postNote("before the switch");
        assertEquals(201, before.statusCode());
        String id = idOf(before);
        Await.until(WAIT, POLL, "never: the note reached region-b's replica",
                () -> readIn("region-b", id).statusCode() == 200);
        assertEquals("hit", readIn("region-b", id).headers().firstValue("X-Cache").orElse(""),
                "region-b's cache holds what region-b read");
        Instant cached = Instant.now();
        lab.switchover("region-b");
        assertTrue(writes("region-b"));
        assertFalse(writes("region-a"));
        Await.until(WAIT, POLL, "never: region-b flushed its cache when its database was promoted", () -> "miss"
                .equals(readIn("region-b", id).headers().firstValue("X-Cache").orElse("")));
        assertTrue(Duration.between(cached, Instant.now()).compareTo(Duration.ofSeconds(10)) < 0,
                "flushed, not expired: the sample API keeps a note 10 s");
        lab.dial("region-b", 100);
        lab.dial("region-a", 0);
        awaitEdgeRegion("region-b");
        Await.until(WAIT, POLL, "never: region-b takes writes", () -> postNote("in b").statusCode() == 201);
    }

    @Test
    @Order(5)
    void andBack() throws Exception {
        lab.switchover("region-a");
        lab.dial("region-a", 100);
        lab.dial("region-b", 0);
        assertTrue(writes("region-a"));
        awaitEdgeRegion("region-a");
        Await.until(WAIT, POLL, "never: region-a takes writes again", () -> postNote("back in a").statusCode() == 201);
    }

    @Test
    @Order(6)
    void aDegradedDatabaseFailsHealthAndTheEdgeSpillsOver() throws Exception {
        lab.degrade("region-a", Duration.ofSeconds(2));
        awaitEdgeRegion("region-b");
        lab.heal("region-a");
        awaitEdgeRegion("region-a");
    }

    @Test
    @Order(7)
    void aFailedRegionAndAFailover() throws Exception {
        lab.fail("region-a");
        assertEquals(1, samplePids().size());
        assertEquals("down", cache("region-a"), "a lost region loses its cache");
        assertS3Serves();
        var lost = lab.failover("region-b");
        assertTrue(writes("region-b"));
        awaitEdgeRegion("region-b");
        Await.until(WAIT, POLL, "never: region-b takes writes",
                () -> postNote("after the failover").statusCode() == 201);
        assertTrue(lost.isEmpty() || lost.stream().allMatch(t -> t.xid() > 0), lost.toString());
        lab.heal("region-a");
        assertFalse(writes("region-a"));
        assertEquals(3, samplePids().size());
        assertEquals("up", cache("region-a"));
    }

    // A lost region's ports, checked with raw sockets: whether a connect succeeds and whether a request is answered.

    private static final String STS_CALL = "Action=GetCallerIdentity&Version=2011-06-15";

    private static int apiPort(String region) {
        return URI.create(lab.awsEndpoint(LabResources.AWS_REGIONS.get(region))).getPort();
    }

    private static int acceleratorPort() {
        return URI.create(lab.status().accelerator().url()).getPort();
    }

    private static Socket connect(int port, int timeoutMillis) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), timeoutMillis);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends {@code request} and reads the status code of its answer, waiting at most {@code timeoutMillis}. */
    private static int ask(Socket socket, String request, int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
        String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        return Integer.parseInt(status.split(" ")[1]);
    }

    /** A request as an SDK sends it, SigV4-looking (the lab reads the credential scope, not the signature). */
    private static String signed(String awsRegion, String service, String headers, String body) {
        return "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "Authorization: AWS4-HMAC-SHA256 Credential=test/20260101/"
                + awsRegion + "/" + service + "/aws4_request, SignedHeaders=host, Signature=00\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body;
    }

    private static String sts(String awsRegion) {
        return signed(awsRegion, "sts", "Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\n", STS_CALL);
    }

    private static String describeAccelerator(String awsRegion) {
        return signed(awsRegion, "globalaccelerator", "Content-Type: application/x-amz-json-1.1\r\n"
                + "X-Amz-Target: GlobalAccelerator_V20180706.DescribeAccelerator\r\n",
                "{\"AcceleratorArn\": \"" + LabResources.ACCELERATOR + "\"}");
    }

    private static final String HEALTH = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

    private static int call(int port, String request) throws IOException {
        try (Socket socket = connect(port, 1000)) {
            return ask(socket, request, 5000);
        }
    }

    /** Connections are accepted, and the request is not answered within 700 ms. */
    private static void assertHangs(int port, String request) throws IOException {
        try (Socket socket = connect(port, 1000)) {
            assertThrows(SocketTimeoutException.class, () -> ask(socket, request, 700), "port " + port);
        }
    }

    private static Lab.RegionStatus regionStatus(String region) {
        return lab.status().regions().stream().filter(r -> r.region().equals(region)).findFirst().orElseThrow();
    }

    /** Each region's APIs answer what is signed for it, and GA's control plane (in us-west-2 here) answers. */
    private static void assertEverythingAnswers() throws IOException {
        for (String region : Lab.REGIONS) {
            assertEquals(200, call(apiPort(region), sts(LabResources.AWS_REGIONS.get(region))), region);
            assertTrue(call(lab.edge().regionPort(region), HEALTH) > 0, region + "'s load balancer answers");
            assertEquals("up", regionStatus(region).apis());
        }
        assertEquals(200, call(acceleratorPort(), describeAccelerator("us-west-2")));
        assertEquals("up", lab.status().accelerator().controlPlane());
    }

    @Test
    @Order(8)
    void globalAcceleratorsControlPlaneLostAloneLeavesEveryRegionsApisAnswering() throws Exception {
        assertEquals(new Lab.AcceleratorStatus("us-west-2", "up", "http://127.0.0.1:" + acceleratorPort()),
                lab.status().accelerator());
        assertEquals(403, call(acceleratorPort(), describeAccelerator("us-east-1")), "its port is us-west-2's");
        assertEquals(400, call(acceleratorPort(), sts("us-west-2")), "its port answers Global Accelerator alone");
        assertTrue(Files.readString(lab.topologyFile()).contains("accelerator: {arn: \"" + LabResources.ACCELERATOR
                + "\", controlPlaneRegion: us-west-2}"));
        assertTrue(Files.readString(lab.topologyFile()).contains("globalaccelerator: \"http://127.0.0.1:"
                + acceleratorPort() + "\""));

        lab.failAccelerator(Outage.REFUSE);
        assertThrows(ConnectException.class, () -> connect(acceleratorPort(), 1000));
        assertEquals("refuse", lab.status().accelerator().controlPlane());
        for (String region : Lab.REGIONS) {
            assertEquals(200, call(apiPort(region), sts(LabResources.AWS_REGIONS.get(region))), region);
            assertEquals("up", regionStatus(region).apis());
        }
        lab.healAccelerator();
        assertEverythingAnswers();
    }

    @Test
    @Order(9)
    void aHungRegionAcceptsConnectionsAnswersNothingLogsWhatItWasAskedAndTakesTheAcceleratorItHostsAlong()
            throws Exception {
        int api = apiPort("region-b");
        int balancer = lab.edge().regionPort("region-b");
        lab.fail("region-b");
        assertHangs(api, sts("us-west-2"));
        assertHangs(balancer, HEALTH);
        assertHangs(acceleratorPort(), describeAccelerator("us-west-2"));
        assertEquals("hang", regionStatus("region-b").apis());
        assertEquals("hang", lab.status().accelerator().controlPlane(), "GA's control plane is region-b's");
        assertS3Serves();
        assertEquals(200, call(apiPort("region-a"), sts("us-east-1")), "region-a's APIs are not lost");
        Await.until(WAIT, POLL, "never: the request log names the request region-b never answered",
                () -> Files.readAllLines(lab.requestLog()).stream().anyMatch(line -> line.contains(
                        "\"endpoint\":\"us-west-2\",\"region\":\"us-west-2\",\"service\":\"sts\",\"operation\":"
                                + "\"GetCallerIdentity\",\"protocol\":\"awsQuery\",\"status\":0,\"error\":\"unanswered\"")));

        lab.heal("region-b");
        assertEquals(api, apiPort("region-b"));
        assertEquals(balancer, lab.edge().regionPort("region-b"));
        assertEverythingAnswers();
        assertTrue(writes("region-b"), "region-b, which wrote before, writes again");
    }

    @Test
    @Order(10)
    void aBlackholedRegionLetsConnectsTimeOutAndComesBackAsAReader() throws Exception {
        int api = apiPort("region-a");
        lab.fail("region-a", Outage.BLACKHOLE);
        assertThrows(SocketTimeoutException.class, () -> connect(api, 1000).close(), "not ConnectException");
        assertThrows(SocketTimeoutException.class, () -> connect(lab.edge().regionPort("region-a"), 300).close());
        assertEquals("blackhole", regionStatus("region-a").apis());
        assertEquals("up", lab.status().accelerator().controlPlane(), "GA's control plane is not region-a's");

        lab.heal("region-a");
        assertEverythingAnswers();
        assertFalse(writes("region-a"), "never two writers: region-a comes back as region-b's replica");
        assertEquals("reader", regionStatus("region-a").database());
    }

    @Test
    @Order(11)
    void aRefusingRegionRefusesConnectionsAndAHealedRegionStaysWithoutTheAcceleratorFailedOnItsOwn()
            throws Exception {
        lab.failAccelerator(Outage.HANG);
        lab.fail("region-b", Outage.REFUSE);
        assertThrows(ConnectException.class, () -> connect(apiPort("region-b"), 1000).close());
        assertThrows(ConnectException.class, () -> connect(lab.edge().regionPort("region-b"), 1000).close());
        assertEquals("refuse", regionStatus("region-b").apis());
        assertEquals("hang", lab.status().accelerator().controlPlane(), "failed on its own first, it stays so");

        lab.heal("region-b");
        assertEquals(200, call(apiPort("region-b"), sts("us-west-2")));
        assertHangs(acceleratorPort(), describeAccelerator("us-west-2"));
        lab.healAccelerator();
        assertEverythingAnswers();
    }

    @Test
    @Order(12)
    void aLabStoppedAndStartedAgainInItsFolderKeepsTheTeamsStateInItsS3() throws Exception {
        assertEquals(200, create("lab/lock", "holder A"));
        assertEquals(412, create("lab/lock", "holder B"), "a conditional write of a key that exists");
        List<Long> s3 = pidsOf("s3mock");
        assertEquals(1, s3.size(), "one S3Mock: " + s3);
        LabConfig config = lab.config();
        lab.close();
        assertFalse(ProcessHandle.of(s3.get(0)).map(ProcessHandle::isAlive).orElse(false), "stopped by its pid");
        try (var files = Files.walk(dir.resolve("s3"))) {
            assertTrue(files.anyMatch(f -> f.endsWith("objectMetadata.json")), "its objects are in the lab folder");
        }

        lab = Lab.up(config);
        HttpResponse<String> kept = HttpClient.newHttpClient().send(HttpRequest.newBuilder(stateKey("lab/lock")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("holder A", kept.body());
        assertEquals(412, create("lab/lock", "holder B"), "still taken");
    }
}
