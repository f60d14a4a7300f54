package dev.gafail.lab.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.gafail.lab.edge.Edge;
import dev.gafail.lab.fault.Fault;
import dev.gafail.lab.net.Outage;
import dev.gafail.lab.postgres.LostTransaction;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.fis.FisClient;
import software.amazon.awssdk.services.fis.model.ConflictException;
import software.amazon.awssdk.services.fis.model.Experiment;
import software.amazon.awssdk.services.fis.model.ExperimentAction;
import software.amazon.awssdk.services.fis.model.ExperimentStatus;
import software.amazon.awssdk.services.fis.model.ExperimentTemplate;
import software.amazon.awssdk.services.fis.model.ExperimentTemplateSummary;
import software.amazon.awssdk.services.fis.model.ListExperimentTemplatesResponse;
import software.amazon.awssdk.services.fis.model.ListExperimentsResponse;
import software.amazon.awssdk.services.fis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.fis.model.ValidationException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.NotFoundException;

/**
 * The lab's FIS and SNS, through the real SDK clients, against its control plane alone over a picture
 * of the lab that records the faults it is asked to inject and revert (the faults themselves, on a real
 * lab: LabExperimentsTest in cli).
 */
class LabFisTest {

    private static final String DRAIN_A = "EXTlabadrain0001";
    private static final String PEER_LOSS_A = "EXTlabapeerloss1";

    @TempDir
    Path dir;

    private final Regions regions = new Regions();
    private ControlPlane controlPlane;
    private final List<AutoCloseable> clients = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        if (controlPlane != null) {
            controlPlane.close();
        }
        regions.edge.close();
    }

    /** The control plane, its experiments' actions lasting {@code duration}. */
    private void start(Duration duration) throws IOException {
        controlPlane = new ControlPlane(regions, dir, List.of("us-east-1", "us-west-2"), "us-west-2", duration);
    }

    private <T extends AutoCloseable> T client(T client) {
        clients.add(client);
        return client;
    }

    private FisClient fis(String awsRegion) {
        return client(FisClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + controlPlane.port(awsRegion)))
                .region(Region.of(awsRegion)).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
                .overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(1)).apiCallTimeout(Duration.ofSeconds(5)))
                .build());
    }

    private SnsClient sns(String awsRegion) {
        return client(SnsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + controlPlane.port(awsRegion)))
                .region(Region.of(awsRegion)).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
                .overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(1)).apiCallTimeout(Duration.ofSeconds(5)))
                .build());
    }

    /** Reads the experiment until {@code done} holds of it, for at most 10 s. */
    private static Experiment await(FisClient fis, String id, Predicate<Experiment> done) throws InterruptedException {
        Instant end = Instant.now().plusSeconds(10);
        Experiment now = fis.getExperiment(b -> b.id(id)).experiment();
        while (!done.test(now)) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("never: " + now);
            }
            Thread.sleep(50);
            now = fis.getExperiment(b -> b.id(id)).experiment();
        }
        return now;
    }

    private static Predicate<Experiment> in(ExperimentStatus status) {
        return e -> e.state().status() == status;
    }

    private static ExperimentAction action(Experiment experiment) {
        assertEquals(1, experiment.actions().size(), experiment.toString());
        return experiment.actions().values().iterator().next();
    }

    @Test
    void eachRegionsFisListsItsFourTemplatesAndShowsEachAsFisDoes() throws Exception {
        start(Duration.ofMinutes(5));
        FisClient east = fis("us-east-1");
        ListExperimentTemplatesResponse first = east.listExperimentTemplates(b -> b.maxResults(3));
        ListExperimentTemplatesResponse rest = east.listExperimentTemplates(b -> b.maxResults(3)
                .nextToken(first.nextToken()));
        List<String> ids = new ArrayList<>(first.experimentTemplates().stream().map(ExperimentTemplateSummary::id).toList());
        ids.addAll(rest.experimentTemplates().stream().map(ExperimentTemplateSummary::id).toList());
        assertEquals(List.of(DRAIN_A, "EXTlabadeptime01", "EXTlabareplica01", PEER_LOSS_A), ids);
        assertEquals(null, rest.nextToken(), "the last page");
        assertEquals(LabResources.SCENARIOS.stream().map(s -> LabResources.experimentTemplateId("region-b", s)).toList(),
                fis("us-west-2").listExperimentTemplates(b -> { }).experimentTemplates().stream()
                        .map(ExperimentTemplateSummary::id).toList());

        ExperimentTemplate drain = east.getExperimentTemplate(b -> b.id(DRAIN_A)).experimentTemplate();
        assertEquals(Map.of("Name", "lab drain (region-a)", "gafail:scenario", "drain", "gafail:region", "region-a"),
                drain.tags());
        assertEquals("arn:aws:fis:us-east-1:000000000000:experiment-template/" + DRAIN_A, drain.arn());
        assertEquals("arn:aws:iam::000000000000:role/gafail-lab-fis", drain.roleArn());
        assertEquals("none", drain.stopConditions().get(0).source());
        var stopTasks = drain.actions().get("StopTasks");
        assertEquals("aws:ecs:stop-task", stopTasks.actionId());
        assertEquals(Map.of("duration", "PT5M"), stopTasks.parameters());
        assertEquals(Map.of("Tasks", "Tasks"), stopTasks.targets());
        assertEquals("aws:ecs:task", drain.targets().get("Tasks").resourceType());
        assertEquals(Map.of("cluster", "lab", "service", "api"), drain.targets().get("Tasks").parameters());

        ExperimentTemplate peerLoss = east.getExperimentTemplate(b -> b.id(PEER_LOSS_A)).experimentTemplate();
        assertEquals("region-b", peerLoss.tags().get("gafail:region"), "region-a's FIS loses region-b");
        assertEquals(Map.of("duration", "PT5M", "region", "us-west-2", "mode", "hang"),
                peerLoss.actions().get("LoseRegion").parameters());
        for (String scenario : LabResources.SCENARIOS) {
            ExperimentTemplate template = east.getExperimentTemplate(b -> b.id(LabResources.experimentTemplateId(
                    "region-a", scenario))).experimentTemplate();
            assertEquals(scenario, template.tags().get("gafail:scenario"));
            template.actions().values().forEach(a -> assertEquals("PT5M", a.parameters().get("duration"), scenario));
        }

        ResourceNotFoundException elsewhere = assertThrows(ResourceNotFoundException.class,
                () -> east.getExperimentTemplate(b -> b.id("EXTlabbdrain0001")));
        assertEquals(404, elsewhere.statusCode(), "region-b's template is not in us-east-1's FIS");
        assertThrows(ValidationException.class, () -> east.listExperimentTemplates(b -> b.maxResults(101)));
    }

    @Test
    void anExperimentInjectsItsFaultsRunsItsDurationRevertsThemAndCompletes() throws Exception {
        start(Duration.ofSeconds(1));
        FisClient east = fis("us-east-1");
        Experiment started = east.startExperiment(b -> b.experimentTemplateId(DRAIN_A).clientToken("drill-1")
                .tags(Map.of("gafail:execution", "ex-1"))).experiment();
        assertTrue(List.of(ExperimentStatus.PENDING, ExperimentStatus.INITIATING).contains(started.state().status()),
                started.toString());
        assertEquals(Map.of("gafail:execution", "ex-1"), started.tags());
        assertTrue(started.id().matches("EXP[A-Za-z0-9]{14}"), started.id());

        Experiment running = await(east, started.id(), in(ExperimentStatus.RUNNING));
        assertEquals(List.of("inject " + started.id() + " " + List.of(new Fault.Drain("region-a"))), regions.calls());
        assertEquals(ExperimentStatus.RUNNING.toString(), action(running).state().statusAsString());
        ExperimentView view = controlPlane.experiments().get(0);
        assertEquals(new ExperimentView(started.id(), DRAIN_A, "drain", "region-a", "us-east-1", "running",
                action(running).startTime().toString(), action(running).startTime().plusSeconds(1).toString()), view);

        Experiment completed = await(east, started.id(), in(ExperimentStatus.COMPLETED));
        assertEquals("Experiment completed.", completed.state().reason());
        assertEquals(List.of("inject " + started.id() + " " + List.of(new Fault.Drain("region-a")),
                "revert " + started.id()), regions.calls(), "its faults reverted once, as it ended");
        ExperimentAction done = action(completed);
        assertEquals("completed", done.state().statusAsString());
        assertTrue(!done.endTime().isBefore(done.startTime().plusSeconds(1)), done.toString());
        assertTrue(completed.endTime() != null && completed.startTime() != null);
        assertEquals(List.of(), controlPlane.experiments(), "lab status shows it no more");

        ValidationException ended = assertThrows(ValidationException.class,
                () -> east.stopExperiment(b -> b.id(started.id())));
        assertEquals(400, ended.statusCode());
        assertTrue(ended.getMessage().contains("has already ended: completed"), ended.getMessage());
    }

    @Test
    void aClientTokenStartsOneExperimentWhateverItsStateNowAndOnlyFromOneTemplate() throws Exception {
        start(Duration.ofMinutes(5));
        FisClient east = fis("us-east-1");
        String id = east.startExperiment(b -> b.experimentTemplateId(DRAIN_A).clientToken("token-1")).experiment().id();
        await(east, id, in(ExperimentStatus.RUNNING));
        east.stopExperiment(b -> b.id(id));
        await(east, id, in(ExperimentStatus.STOPPED));
        Experiment again = east.startExperiment(b -> b.experimentTemplateId(DRAIN_A).clientToken("token-1")).experiment();
        assertEquals(id, again.id(), "the same experiment, stopped as it is");
        assertEquals(ExperimentStatus.STOPPED, again.state().status());
        assertEquals(1, regions.calls().stream().filter(c -> c.startsWith("inject")).count(), "injected once");

        ConflictException other = assertThrows(ConflictException.class, () -> east.startExperiment(b -> b
                .experimentTemplateId(PEER_LOSS_A).clientToken("token-1")));
        assertEquals(409, other.statusCode());
        String west = fis("us-west-2").startExperiment(b -> b.experimentTemplateId("EXTlabbdrain0001")
                .clientToken("token-1")).experiment().id();
        assertNotEquals(id, west, "a token is a region's own");
        ResourceNotFoundException unknown = assertThrows(ResourceNotFoundException.class,
                () -> east.startExperiment(b -> b.experimentTemplateId("EXTnone").clientToken("token-2")));
        assertEquals(404, unknown.statusCode());
        assertThrows(ValidationException.class, () -> east.startExperiment(b -> b.experimentTemplateId(DRAIN_A)
                .clientToken("token-3").tags(Map.of("aws:reserved", "x"))));
        assertThrows(ResourceNotFoundException.class, () -> east.getExperiment(b -> b.id(west)),
                "us-west-2's experiment is not in us-east-1's FIS");
        assertThrows(ResourceNotFoundException.class, () -> east.stopExperiment(b -> b.id("EXPnone")));
    }

    @Test
    void experimentsAreListedNewestFirstByTemplateAndPageAndTakeTags() throws Exception {
        start(Duration.ofMinutes(5));
        FisClient east = fis("us-east-1");
        List<String> started = new ArrayList<>();
        for (String template : List.of(DRAIN_A, PEER_LOSS_A, DRAIN_A)) {
            started.add(east.startExperiment(b -> b.experimentTemplateId(template)).experiment().id());
            Thread.sleep(5); // creation times apart, for the order
        }
        ListExperimentsResponse drains = east.listExperiments(b -> b.experimentTemplateId(DRAIN_A));
        assertEquals(List.of(started.get(2), started.get(0)), drains.experiments().stream().map(e -> e.id()).toList());
        ListExperimentsResponse page = east.listExperiments(b -> b.maxResults(2));
        assertEquals(List.of(started.get(2), started.get(1)), page.experiments().stream().map(e -> e.id()).toList());
        assertEquals(List.of(started.get(0)), east.listExperiments(b -> b.nextToken(page.nextToken())).experiments()
                .stream().map(e -> e.id()).toList());
        assertThrows(ValidationException.class, () -> east.listExperiments(b -> b.nextToken("elsewhere")));

        Experiment first = east.getExperiment(b -> b.id(started.get(0))).experiment();
        east.tagResource(b -> b.resourceArn(first.arn()).tags(Map.of("gafail:execution", "ex-9")));
        assertEquals(Map.of("gafail:execution", "ex-9"), east.getExperiment(b -> b.id(first.id())).experiment().tags());
        String templateArn = east.getExperimentTemplate(b -> b.id(DRAIN_A)).experimentTemplate().arn();
        east.tagResource(b -> b.resourceArn(templateArn).tags(Map.of("team", "sre")));
        assertEquals("sre", east.getExperimentTemplate(b -> b.id(DRAIN_A)).experimentTemplate().tags().get("team"));
        assertThrows(ResourceNotFoundException.class, () -> east.tagResource(b -> b.resourceArn(
                "arn:aws:fis:us-east-1:000000000000:experiment/EXPnone").tags(Map.of("a", "b"))));
    }

    @Test
    void aStopRevertsTheFaultsAndAHealStopsTheExperimentsThatHitItsRegion() throws Exception {
        start(Duration.ofMinutes(5));
        FisClient east = fis("us-east-1");
        String drain = east.startExperiment(b -> b.experimentTemplateId(DRAIN_A)).experiment().id();
        String peerLoss = east.startExperiment(b -> b.experimentTemplateId(PEER_LOSS_A)).experiment().id();
        await(east, drain, in(ExperimentStatus.RUNNING));
        await(east, peerLoss, in(ExperimentStatus.RUNNING));
        assertEquals(List.of("inject " + drain + " " + List.of(new Fault.Drain("region-a")),
                "inject " + peerLoss + " " + List.of(new Fault.RegionLoss("region-b", Outage.HANG))), regions.calls());

        controlPlane.stopExperiments("region-b", "Experiment stopped: gafail lab heal region-b.");
        Experiment healed = east.getExperiment(b -> b.id(peerLoss)).experiment();
        assertEquals(ExperimentStatus.STOPPED, healed.state().status(), "stopped when stopExperiments returns");
        assertEquals("Experiment stopped: gafail lab heal region-b.", healed.state().reason());
        assertEquals(ExperimentStatus.RUNNING, east.getExperiment(b -> b.id(drain)).experiment().state().status(),
                "region-a's drain goes on");

        Experiment stopping = east.stopExperiment(b -> b.id(drain)).experiment();
        assertTrue(List.of(ExperimentStatus.STOPPING, ExperimentStatus.STOPPED).contains(stopping.state().status()));
        Experiment stopped = await(east, drain, in(ExperimentStatus.STOPPED));
        assertEquals("stopped", action(stopped).state().statusAsString());
        assertEquals(List.of("revert " + peerLoss, "revert " + drain), regions.calls().subList(2, 4));
    }

    @Test
    void anExperimentWhoseFaultsCannotBeInjectedFailsAndRevertsWhatItCould() throws Exception {
        start(Duration.ofMinutes(5));
        regions.refuse = true;
        FisClient east = fis("us-east-1");
        String id = east.startExperiment(b -> b.experimentTemplateId(DRAIN_A)).experiment().id();
        Experiment failed = await(east, id, in(ExperimentStatus.FAILED));
        assertEquals("injecting its faults failed: no processes to stop", failed.state().reason());
        assertEquals("failed", action(failed).state().statusAsString());
        assertEquals(List.of("revert " + id), regions.calls());
    }

    @Test
    void snsKeepsEveryMessageInOrderAndCountsThemByTopic() throws Exception {
        start(Duration.ofMinutes(5));
        SnsClient east = sns("us-east-1");
        String topic = "arn:aws:sns:us-east-1:000000000000:gafail-lab";
        assertEquals(topic, LabResources.topicArn("region-a"));
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            int n = i;
            ids.add(east.publish(b -> b.topicArn(topic).subject("failover " + n).message("message " + n + " é\n<&>")
                    .messageAttributes(Map.of("execution", MessageAttributeValue.builder().dataType("String")
                            .stringValue("ex-" + n).build()))).messageId());
        }
        List<SnsMessage> kept = SnsMessage.read(dir.resolve(ControlPlane.SNS_MESSAGES));
        assertEquals(ids, kept.stream().map(SnsMessage::messageId).toList(), "in the order received");
        SnsMessage second = kept.get(1);
        assertEquals("failover 2", second.subject());
        assertEquals("message 2 é\n<&>", second.message());
        assertEquals(topic, second.topic());
        assertEquals("us-east-1", second.region());
        assertEquals(Map.of("execution", new SnsMessage.Attribute("String", "ex-2")), second.attributes());
        assertEquals(List.of(new TopicView("us-east-1", topic, 3),
                new TopicView("us-west-2", "arn:aws:sns:us-west-2:000000000000:gafail-lab", 0)), controlPlane.topics());

        NotFoundException elsewhere = assertThrows(NotFoundException.class, () -> east.publish(b -> b
                .topicArn("arn:aws:sns:us-west-2:000000000000:gafail-lab").message("m")));
        assertEquals(404, elsewhere.statusCode(), "us-west-2's topic is not in us-east-1's SNS");
        assertEquals("NotFound", elsewhere.awsErrorDetails().errorCode());
        assertThrows(NotFoundException.class, () -> east.publish(b -> b.topicArn(topic + "-other").message("m")));
        assertThrows(InvalidParameterException.class, () -> east.publish(b -> b.topicArn(topic).message("m")
                .subject("x".repeat(101))));
        assertEquals(3, SnsMessage.read(dir.resolve(ControlPlane.SNS_MESSAGES)).size(), "what was refused is not kept");
    }

    @Test
    void aLostRegionsFisAndSnsAnswerNothingWhileTheOtherRegionsDo() throws Exception {
        start(Duration.ofMinutes(5));
        controlPlane.fail("us-west-2", Outage.REFUSE);
        assertThrows(SdkClientException.class, () -> fis("us-west-2").listExperimentTemplates(b -> { }));
        assertThrows(SdkClientException.class, () -> sns("us-west-2").publish(b -> b
                .topicArn(LabResources.topicArn("region-b")).message("m")));
        String id = fis("us-east-1").startExperiment(b -> b.experimentTemplateId(PEER_LOSS_A)).experiment().id();
        await(fis("us-east-1"), id, in(ExperimentStatus.RUNNING));
        sns("us-east-1").publish(b -> b.topicArn(LabResources.topicArn("region-a")).message("still here"));
        controlPlane.heal("us-west-2");
        assertEquals(4, fis("us-west-2").listExperimentTemplates(b -> { }).experimentTemplates().size());

        List<String> logged = Files.readAllLines(dir.resolve(ControlPlane.REQUEST_LOG));
        assertTrue(logged.stream().anyMatch(line -> line.contains("\"endpoint\":\"us-east-1\",\"region\":\"us-east-1\","
                + "\"service\":\"fis\",\"operation\":\"StartExperiment\",\"protocol\":\"restJson1\",\"status\":200")),
                String.join("\n", logged));
        assertTrue(logged.stream().anyMatch(line -> line.contains("\"service\":\"sns\",\"operation\":\"Publish\","
                + "\"protocol\":\"awsQuery\",\"status\":200")), String.join("\n", logged));
    }

    /** The lab as its APIs see it, recording the faults it is asked to inject and revert; it can refuse them. */
    private static final class Regions implements LabRegions {

        final Edge edge;
        private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        volatile boolean refuse;

        Regions() {
            Map<String, Integer> dials = new LinkedHashMap<>();
            dials.put("region-a", 100);
            dials.put("region-b", 0);
            try {
                edge = new Edge(dials, Duration.ofSeconds(1), 1);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        List<String> calls() {
            synchronized (calls) {
                return List.copyOf(calls);
            }
        }

        @Override
        public List<String> regions() {
            return List.of("region-a", "region-b");
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
        }

        @Override
        public void dial(String region, int dial) {
        }

        @Override
        public String writer() {
            return "region-a";
        }

        @Override
        public boolean databaseRunning(String region) {
            return true;
        }

        @Override
        public int databasePort(String region) {
            throw new UnsupportedOperationException();
        }

        @Override
        public OptionalLong replicationLagMillis(String region) {
            return OptionalLong.empty();
        }

        @Override
        public void switchover(String to) {
        }

        @Override
        public List<LostTransaction> failover(String to) {
            return List.of();
        }

        @Override
        public void inject(String owner, List<Fault> faults) throws IOException {
            if (refuse) {
                throw new IOException("no processes to stop");
            }
            calls.add("inject " + owner + " " + faults);
        }

        @Override
        public void revert(String owner) {
            calls.add("revert " + owner);
        }

        @Override
        public int restore(String region, Instant to, String name) {
            throw new UnsupportedOperationException("FIS restores nothing");
        }

        @Override
        public void dropRestore(String name) {
            calls.add("drop restore " + name);
        }

        @Override
        public Optional<Instant> earliestRestorable(String region) {
            return Optional.empty();
        }
    }
}
