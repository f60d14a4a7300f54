package dev.gafail.lab.aws;

import dev.gafail.lab.aws.wire.AwsFault;
import dev.gafail.lab.aws.wire.AwsRequest;
import dev.gafail.lab.aws.wire.AwsService;
import dev.gafail.lab.aws.wire.ServiceShape;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * AWS Fault Injection Service, each AWS region its own: the lab's experiment templates
 * ({@link ExperimentTemplate}), and experiments that inject their faults into the lab and revert
 * them when they end, as FIS reverts its actions: completed when their actions' duration is over,
 * stopped by StopExperiment (or {@code lab heal} of a region they hit), failed when a fault could not
 * be injected. States as FIS has them: pending, initiating, running, then completed, or stopping and
 * stopped, or failed. StartExperiment is idempotent by client token, per region: the same token
 * returns the same experiment, whatever its state now. Faults are injected and reverted one at a time,
 * in the order asked, on a thread of the service's own; reads answer meanwhile.
 */
final class LabFis implements AwsService, AutoCloseable {

    private static final Set<String> ENDED = Set.of("completed", "stopped", "failed");
    private static final String ID_CHARACTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final int MAX_TAGS = 50;

    /** An experiment; its mutable fields guarded by the service. */
    private static final class Experiment {
        final String id;
        final ExperimentTemplate template;
        final Map<String, String> tags;
        final Instant created = now();
        String status = "pending";
        String reason = "Experiment is pending.";
        String actionStatus = "pending";
        String actionReason = "Action is pending.";
        Instant startTime;
        Instant endTime;
        Instant actionStart;
        Instant actionEnd;
        ScheduledFuture<?> ending;

        Experiment(String id, ExperimentTemplate template, Map<String, String> tags) {
            this.id = id;
            this.template = template;
            this.tags = tags;
        }

        String arn() {
            return "arn:aws:fis:" + template.awsRegion() + ":" + LabResources.ACCOUNT + ":experiment/" + id;
        }

        boolean ended() {
            return ENDED.contains(status);
        }
    }

    private final LabRegions lab;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, ExperimentTemplate> templates = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> templateTags = new HashMap<>();
    private final Map<String, Experiment> experiments = new LinkedHashMap<>();
    /** Each region's client tokens, {@code awsRegion token}, to the experiment each started. */
    private final Map<String, String> tokens = new HashMap<>();
    private final ExecutorService changes = Executors.newSingleThreadExecutor(daemon("lab-fis"));
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(daemon("lab-fis-clock"));

    /** @param duration how long each template's action lasts (FIS's {@code duration} parameter) */
    LabFis(LabRegions lab, Duration duration) {
        this.lab = lab;
        Instant created = now();
        for (String region : lab.regions()) {
            String other = lab.regions().stream().filter(r -> !r.equals(region)).findFirst().orElseThrow();
            for (ExperimentTemplate template : ExperimentTemplate.of(region, other, duration, created)) {
                templates.put(template.id(), template);
                templateTags.put(template.id(), template.tags());
            }
        }
    }

    /** Now, to the millisecond, as the wire carries it, so that lab status and FIS say the same times. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public ServiceShape shape() {
        return ServiceShape.FIS;
    }

    @Override
    public ObjectNode answer(AwsRequest request) {
        return switch (request.operation()) {
            case "StartExperiment" -> start(request);
            case "GetExperiment" -> wrapped("experiment", json(experiment(request, request.text("id"))));
            case "StopExperiment" -> stop(request);
            case "ListExperiments" -> listExperiments(request);
            case "ListExperimentTemplates" -> page(request, "experimentTemplates", templates.values().stream()
                    .filter(t -> t.awsRegion().equals(request.region())).toList(),
                    t -> t.summary(tags(t)));
            case "GetExperimentTemplate" -> {
                ExperimentTemplate template = template(request, request.text("id"));
                yield wrapped("experimentTemplate", template.json(tags(template)));
            }
            case "TagResource" -> tag(request);
            default -> throw request.unknownOperation();
        };
    }

    private static ObjectNode wrapped(String name, ObjectNode value) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set(name, value);
        return out;
    }

    private ExperimentTemplate template(AwsRequest request, String id) {
        ExperimentTemplate template = templates.get(id);
        if (template == null || !template.awsRegion().equals(request.region())) {
            throw new AwsFault(404, "ResourceNotFoundException", "Experiment template not found: " + id + " (in "
                    + request.region() + ")");
        }
        return template;
    }

    private synchronized Map<String, String> tags(ExperimentTemplate template) {
        return new LinkedHashMap<>(templateTags.get(template.id()));
    }

    private synchronized Experiment experiment(AwsRequest request, String id) {
        Experiment experiment = experiments.get(id);
        if (experiment == null || !experiment.template.awsRegion().equals(request.region())) {
            throw new AwsFault(404, "ResourceNotFoundException", "Experiment not found: " + id + " (in "
                    + request.region() + ")");
        }
        return experiment;
    }

    private ObjectNode start(AwsRequest request) {
        String token = request.text("clientToken");
        if (token.isEmpty() || token.length() > 1024) {
            throw validation("clientToken: 1 to 1024 characters");
        }
        ExperimentTemplate template = template(request, request.text("experimentTemplateId"));
        Map<String, String> tags = tags(request.path("tags"), Map.of());
        synchronized (this) {
            String known = tokens.get(request.region() + " " + token);
            if (known != null) {
                Experiment earlier = experiments.get(known);
                if (!earlier.template.id().equals(template.id())) {
                    throw new AwsFault(409, "ConflictException", "The client token " + token + " started "
                            + earlier.id + " from " + earlier.template.id() + ", not from " + template.id());
                }
                return wrapped("experiment", json(earlier));
            }
            Experiment experiment = new Experiment(newId(), template, tags);
            experiments.put(experiment.id, experiment);
            tokens.put(request.region() + " " + token, experiment.id);
            changes.submit(() -> run(experiment));
            return wrapped("experiment", json(experiment));
        }
    }

    private String newId() {
        StringBuilder id = new StringBuilder("EXP");
        for (int i = 0; i < 14; i++) {
            id.append(ID_CHARACTERS.charAt(random.nextInt(ID_CHARACTERS.length())));
        }
        return id.toString();
    }

    /** Injects the experiment's faults, unless it was stopped before; then runs it for its duration. */
    private void run(Experiment experiment) {
        synchronized (this) {
            if (!experiment.status.equals("pending")) {
                return;
            }
            experiment.status = "initiating";
            experiment.reason = "Experiment is initiating.";
            experiment.startTime = now();
        }
        try {
            lab.inject(experiment.id, experiment.template.faults());
        } catch (Exception e) {
            fail(experiment, "injecting its faults failed: " + e.getMessage());
            return;
        }
        synchronized (this) {
            if (!experiment.status.equals("initiating")) {
                return; // stopped meanwhile: the stop, queued behind, reverts what was injected
            }
            experiment.status = "running";
            experiment.reason = "Experiment is running.";
            experiment.actionStatus = "running";
            experiment.actionReason = "Action is running.";
            experiment.actionStart = now();
            experiment.ending = clock.schedule(() -> changes.submit(() -> end(experiment, "completed",
                    "Experiment completed.")), experiment.template.duration().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Reverts the experiment's faults and ends it as {@code status}, unless it ended already; a
     * completion that a stop overtook leaves it to the stop.
     */
    private void end(Experiment experiment, String status, String reason) {
        synchronized (this) {
            if (experiment.ended() || status.equals("completed") && experiment.status.equals("stopping")) {
                return;
            }
        }
        try {
            lab.revert(experiment.id);
        } catch (Exception e) {
            fail(experiment, "reverting its faults failed: " + e.getMessage());
            return;
        }
        synchronized (this) {
            Instant now = now();
            experiment.status = status;
            experiment.reason = reason;
            experiment.endTime = now;
            experiment.actionStatus = experiment.actionStart == null ? "cancelled" : status;
            experiment.actionReason = experiment.actionStart == null ? "Action was cancelled."
                    : status.equals("completed") ? "Action completed." : "Action was stopped.";
            experiment.actionEnd = experiment.actionStart == null ? null : now;
        }
    }

    /** Ends the experiment as failed, having reverted what it could. */
    private void fail(Experiment experiment, String why) {
        String reason = why;
        try {
            lab.revert(experiment.id);
        } catch (Exception e) {
            reason = why + "; reverting its faults failed too: " + e.getMessage();
        }
        synchronized (this) {
            experiment.status = "failed";
            experiment.reason = reason;
            experiment.actionStatus = "failed";
            experiment.actionReason = reason;
            experiment.endTime = now();
            experiment.actionEnd = experiment.actionStart == null ? null : experiment.endTime;
            if (experiment.ending != null) {
                experiment.ending.cancel(false);
            }
        }
    }

    /**
     * StopExperiment: stopping now, stopped once its faults are reverted. An experiment that ended
     * cannot be stopped: FIS declares no ConflictException for StopExperiment, so a ValidationException.
     */
    private ObjectNode stop(AwsRequest request) {
        Experiment experiment = experiment(request, request.text("id"));
        synchronized (this) {
            if (experiment.ended()) {
                throw validation("Experiment " + experiment.id + " has already ended: " + experiment.status);
            }
            stopping(experiment, "Experiment stopped by user.");
            return wrapped("experiment", json(experiment));
        }
    }

    /** Marks the experiment stopping (once) and queues the revert that ends it; what to wait on for that. */
    private synchronized Future<?> stopping(Experiment experiment, String reason) {
        if (!experiment.status.equals("stopping")) {
            experiment.status = "stopping";
            experiment.reason = "Experiment is stopping.";
            if (experiment.ending != null) {
                experiment.ending.cancel(false);
            }
        }
        return changes.submit(() -> end(experiment, "stopped", reason));
    }

    /** Stops every experiment whose faults hit {@code region}, and returns once each has stopped ({@code lab heal}). */
    void stopHitting(String region, String reason) throws InterruptedException {
        List<Future<?>> stops = new ArrayList<>();
        synchronized (this) {
            for (Experiment experiment : experiments.values()) {
                if (!experiment.ended() && experiment.template.hits(region)) {
                    stops.add(stopping(experiment, reason));
                }
            }
        }
        for (Future<?> stop : stops) {
            try {
                stop.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("stopping an experiment failed: " + e.getCause(), e.getCause());
            }
        }
    }

    /** The experiments that have not ended, oldest first. */
    synchronized List<ExperimentView> running() {
        List<ExperimentView> views = new ArrayList<>();
        for (Experiment e : experiments.values()) {
            if (!e.ended()) {
                Optional<Instant> since = Optional.ofNullable(e.actionStart);
                views.add(new ExperimentView(e.id, e.template.id(), e.template.scenario(), e.template.region(),
                        e.template.awsRegion(), e.status, since.map(Instant::toString).orElse(""),
                        since.map(s -> s.plus(e.template.duration()).toString()).orElse("")));
            }
        }
        return views;
    }

    /** ListExperiments, newest first, of one template if asked. */
    private ObjectNode listExperiments(AwsRequest request) {
        String template = request.text("experimentTemplateId");
        List<Experiment> listed;
        synchronized (this) {
            listed = experiments.values().stream()
                    .filter(e -> e.template.awsRegion().equals(request.region()))
                    .filter(e -> template.isEmpty() || e.template.id().equals(template))
                    .sorted(Comparator.comparing((Experiment e) -> e.created).reversed()).toList();
        }
        return page(request, "experiments", listed, this::summary);
    }

    /**
     * One page of {@code all}: {@code maxResults} (1 to 100; all of them without it) from where {@code
     * nextToken} says, and the token of the next page if there is one.
     */
    private static <T> ObjectNode page(AwsRequest request, String name, List<T> all, Function<T, ObjectNode> shown) {
        int max = request.input().has("maxResults") ? request.path("maxResults").asInt(0) : 100;
        if (max < 1 || max > 100) {
            throw validation("maxResults: 1 to 100, not " + request.text("maxResults"));
        }
        int from = 0;
        if (request.input().has("nextToken")) {
            try {
                from = Integer.parseInt(request.text("nextToken"));
            } catch (NumberFormatException e) {
                from = -1;
            }
            if (from < 0 || from > all.size()) {
                throw validation("nextToken: not a token this list gave");
            }
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode items = out.putArray(name);
        int to = Math.min(all.size(), from + max);
        all.subList(from, to).forEach(item -> items.add(shown.apply(item)));
        if (to < all.size()) {
            out.put("nextToken", Integer.toString(to));
        }
        return out;
    }

    /** TagResource, on an experiment or a template of the region's FIS. */
    private ObjectNode tag(AwsRequest request) {
        String arn = request.text("resourceArn");
        synchronized (this) {
            for (Experiment e : experiments.values()) {
                if (e.arn().equals(arn)) {
                    e.tags.putAll(tags(request.path("tags"), e.tags));
                    return JsonNodeFactory.instance.objectNode();
                }
            }
            for (ExperimentTemplate t : templates.values()) {
                if (t.arn().equals(arn)) {
                    templateTags.get(t.id()).putAll(tags(request.path("tags"), templateTags.get(t.id())));
                    return JsonNodeFactory.instance.objectNode();
                }
            }
        }
        throw new AwsFault(404, "ResourceNotFoundException", "No experiment or experiment template " + arn);
    }

    /** Tags as FIS takes them: at most 50 with those {@code existing}, keys of 1 to 128 characters not under aws:, values up to 256. */
    private static Map<String, String> tags(JsonNode given, Map<String, String> existing) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> tag : given.properties()) {
            String key = tag.getKey();
            String value = tag.getValue().asString("");
            if (key.isEmpty() || key.length() > 128 || key.startsWith("aws:") || value.length() > 256) {
                throw validation("tag " + key + ": keys of 1 to 128 characters, not beginning with aws:, values of"
                        + " up to 256");
            }
            tags.put(key, value);
        }
        Map<String, String> all = new LinkedHashMap<>(existing);
        all.putAll(tags);
        if (all.size() > MAX_TAGS) {
            throw validation("at most " + MAX_TAGS + " tags");
        }
        return tags;
    }

    private static AwsFault validation(String message) {
        return AwsFault.invalid("ValidationException", message);
    }

    private ObjectNode summary(Experiment e) {
        synchronized (this) {
            ObjectNode summary = JsonNodeFactory.instance.objectNode().put("id", e.id).put("arn", e.arn())
                    .put("experimentTemplateId", e.template.id());
            summary.putObject("state").put("status", e.status).put("reason", e.reason);
            summary.putPOJO("creationTime", e.created);
            e.tags.forEach(summary.putObject("tags")::put);
            summary.putObject("experimentOptions").put("accountTargeting", "single-account")
                    .put("emptyTargetResolutionMode", "fail").put("actionsMode", "run-all");
            return summary;
        }
    }

    /** What GetExperiment, StartExperiment and StopExperiment show of it. */
    private ObjectNode json(Experiment e) {
        synchronized (this) {
            ObjectNode experiment = summary(e).put("roleArn", ExperimentTemplate.ROLE);
            experiment.set("targets", e.template.targets().deepCopy());
            ObjectNode action = e.template.actionJson();
            action.putObject("state").put("status", e.actionStatus).put("reason", e.actionReason);
            if (e.actionStart != null) {
                action.putPOJO("startTime", e.actionStart);
            }
            if (e.actionEnd != null) {
                action.putPOJO("endTime", e.actionEnd);
            }
            experiment.putObject("actions").set(e.template.action().name(), action);
            experiment.putArray("stopConditions").addObject().put("source", "none");
            if (e.startTime != null) {
                experiment.putPOJO("startTime", e.startTime);
            }
            if (e.endTime != null) {
                experiment.putPOJO("endTime", e.endTime);
            }
            return experiment;
        }
    }

    /**
     * Cancels every experiment's timed end, and the injections and reverts still queued, so that none
     * comes after the lab's close; one waiting for a stop ({@link #stopHitting}) sees it cancelled.
     */
    @Override
    public void close() {
        cancel(clock);
        cancel(changes);
    }

    private static void cancel(ExecutorService executor) {
        for (Runnable pending : executor.shutdownNow()) {
            if (pending instanceof Future<?> future) {
                future.cancel(false);
            }
        }
    }
}
