package dev.gafail.aws;

import static dev.gafail.aws.AwsErrors.call;
import dev.gafail.engine.StepFailure;
import dev.gafail.engine.Unmet;
import dev.gafail.yaml.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import software.amazon.awssdk.services.fis.FisClient;
import software.amazon.awssdk.services.fis.model.Experiment;
import software.amazon.awssdk.services.fis.model.ExperimentStatus;
import software.amazon.awssdk.services.fis.model.ExperimentTemplate;
import software.amazon.awssdk.services.fis.model.ExperimentTemplateAction;
import software.amazon.awssdk.services.fis.model.ExperimentTemplateSummary;
import software.amazon.awssdk.services.fis.model.ExperimentTemplateTarget;
import software.amazon.awssdk.services.fis.model.FisException;
import software.amazon.awssdk.services.fis.model.ListExperimentsRequest;
import software.amazon.awssdk.services.fis.model.ResourceNotFoundException;

/**
 * AWS Fault Injection Service in one AWS region: its experiment templates, and the experiments gafail
 * starts from them, found again by the tags it gives them.
 */
public final class Experiments {

    /** The parameters of FIS actions that say how long a fault lasts before FIS reverts it. */
    private static final List<String> DURATIONS = List.of("duration", "startInstancesAfterDuration", "maxDuration");

    /**
     * Actions whose fault lasts until someone undoes it unless a parameter says when FIS does: their
     * template is refused without it. Others without a duration are one-off events the service recovers
     * from on its own (ECS replaces a stopped task, a rebooted instance comes back).
     */
    private static final Map<String, String> ENDLESS_WITHOUT = Map.of("aws:ec2:stop-instances",
            "startInstancesAfterDuration");

    private final AwsClients aws;

    public Experiments(AwsClients aws) {
        this.aws = aws;
    }

    /** One action of a template: its FIS action id, how long its fault lasts (zero: at once), what it starts after. */
    public record Action(String name, String actionId, Duration duration, List<String> startAfter, List<String> targets) {

        public Action {
            startAfter = List.copyOf(startAfter);
            targets = List.copyOf(targets);
        }
    }

    /**
     * An experiment template as the plan shows it.
     *
     * @param targets each target's name to what it selects ("aws:ecs:task: cluster=c, service=s (ALL)")
     */
    public record Template(String id, String awsRegion, String description, Map<String, String> tags,
                           List<Action> actions, Map<String, String> targets, List<String> stopConditions) {

        public Template {
            tags = Collections.unmodifiableMap(new TreeMap<>(tags));
            actions = List.copyOf(actions);
            targets = Collections.unmodifiableMap(new LinkedHashMap<>(targets));
            stopConditions = List.copyOf(stopConditions);
        }

        /** How long the experiment's faults last at most: its longest chain of actions ({@code startAfter}). */
        public Duration longest() {
            Map<String, Duration> ends = new HashMap<>();
            Duration longest = Duration.ZERO;
            for (Action action : actions) {
                Duration end = end(action, ends, Set.of());
                longest = end.compareTo(longest) > 0 ? end : longest;
            }
            return longest;
        }

        private Duration end(Action action, Map<String, Duration> ends, Set<String> seen) {
            Duration known = ends.get(action.name());
            if (known != null) {
                return known;
            }
            Duration start = Duration.ZERO;
            for (String before : action.startAfter()) {
                Optional<Action> previous = actions.stream().filter(a -> a.name().equals(before)).findFirst();
                if (previous.isPresent() && !seen.contains(before)) {
                    Set<String> path = new HashSet<>(seen);
                    path.add(action.name());
                    Duration end = end(previous.get(), ends, path);
                    start = end.compareTo(start) > 0 ? end : start;
                }
            }
            Duration end = start.plus(action.duration());
            ends.put(action.name(), end);
            return end;
        }

        /** What the plan says: the actions with their targets and durations, and the stop conditions. */
        public String summary() {
            List<String> parts = new ArrayList<>();
            for (Action action : actions) {
                List<String> on = action.targets().stream().map(t -> targets.getOrDefault(t, t)).toList();
                parts.add(action.actionId() + (on.isEmpty() ? "" : " on " + String.join(" and ", on))
                        + (action.duration().isZero() ? "" : " for " + Durations.format(action.duration())));
            }
            return String.join("; ", parts) + (stopConditions.isEmpty() ? "" : "; stops on "
                    + String.join(", ", stopConditions));
        }
    }

    /** An experiment: its state as FIS reports it ({@code running}, {@code completed}, {@code stopped}...). */
    public record Run(String id, String arn, String templateId, String status, String reason, Map<String, String> tags,
                      Instant startTime, Instant endTime) {

        public Run {
            tags = tags == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(tags));
        }

        /** Whether its faults are over: FIS reverted them, or never made them. */
        public boolean ended() {
            return ENDED.contains(status);
        }

        public String describe() {
            return "experiment " + id + " " + status + (reason == null || reason.isBlank() ? "" : " (" + reason + ")");
        }
    }

    private static final Set<String> ENDED = Set.of(ExperimentStatus.COMPLETED.toString(),
            ExperimentStatus.STOPPED.toString(), ExperimentStatus.FAILED.toString(), ExperimentStatus.CANCELLED.toString());

    private FisClient fis(String awsRegion) {
        return aws.fis(awsRegion);
    }

    /** The template {@code id}; {@link Unmet} when the region's FIS has none of that id. */
    public Template template(String awsRegion, String id) throws StepFailure {
        try {
            ExperimentTemplate found = call("GetExperimentTemplate", () -> fis(awsRegion)
                    .getExperimentTemplate(r -> r.id(id))).experimentTemplate();
            return template(awsRegion, found);
        } catch (StepFailure e) {
            if (e.getCause() instanceof ResourceNotFoundException) {
                throw new Unmet("FIS in " + awsRegion + " has no experiment template " + id);
            }
            throw e;
        }
    }

    /** The one template whose tags include every one of {@code tags}; {@link Unmet} when none or several do. */
    public Template template(String awsRegion, Map<String, String> tags) throws StepFailure {
        // The paginator reads page after page as the stream goes: the call wraps the whole listing.
        List<String> matching = call("ListExperimentTemplates", () -> fis(awsRegion)
                .listExperimentTemplatesPaginator(r -> r.maxResults(100)).experimentTemplates().stream()
                .filter(summary -> summary.tags().entrySet().containsAll(tags.entrySet()))
                .map(ExperimentTemplateSummary::id).toList());
        if (matching.size() != 1) {
            throw new Unmet("FIS in " + awsRegion + " has " + (matching.isEmpty() ? "no experiment template"
                    : matching.size() + " experiment templates (" + String.join(", ", matching) + ")")
                    + " tagged " + new TreeMap<>(tags) + "; exactly one must be");
        }
        return template(awsRegion, matching.get(0));
    }

    private static Template template(String awsRegion, ExperimentTemplate t) throws StepFailure {
        List<Action> actions = new ArrayList<>();
        for (Map.Entry<String, ExperimentTemplateAction> entry : new TreeMap<>(t.actions()).entrySet()) {
            ExperimentTemplateAction a = entry.getValue();
            String needed = ENDLESS_WITHOUT.get(a.actionId());
            if (needed != null && !a.parameters().containsKey(needed)) {
                throw new Unmet("experiment template " + t.id() + ", action " + entry.getKey() + " (" + a.actionId()
                        + ") has no " + needed + ": its fault would last until someone undoes it");
            }
            actions.add(new Action(entry.getKey(), a.actionId(), duration(t.id(), entry.getKey(), a.parameters()),
                    a.startAfter(), List.copyOf(a.targets().values())));
        }
        Map<String, String> targets = new LinkedHashMap<>();
        new TreeMap<>(t.targets()).forEach((name, target) -> targets.put(name, describe(target)));
        List<String> stops = t.stopConditions().stream()
                .filter(c -> !"none".equals(c.source()))
                .map(c -> c.source() + (c.value() == null ? "" : " " + c.value())).toList();
        return new Template(t.id(), awsRegion, t.description() == null ? "" : t.description(), t.tags(), actions,
                targets, stops);
    }

    private static Duration duration(String template, String action, Map<String, String> parameters)
            throws StepFailure {
        Duration longest = Duration.ZERO;
        for (String name : DURATIONS) {
            String value = parameters.get(name);
            if (value == null) {
                continue;
            }
            try {
                Duration d = Duration.parse(value);
                longest = d.compareTo(longest) > 0 ? d : longest;
            } catch (DateTimeParseException e) {
                throw new Unmet("experiment template " + template + ", action " + action + ": " + name + " '" + value
                        + "' is not an ISO 8601 duration such as PT5M");
            }
        }
        return longest;
    }

    private static String describe(ExperimentTemplateTarget target) {
        List<String> selects = new ArrayList<>();
        if (!target.resourceArns().isEmpty()) {
            selects.add(String.join(", ", target.resourceArns()));
        }
        new TreeMap<>(target.resourceTags()).forEach((k, v) -> selects.add("tag " + k + "=" + v));
        new TreeMap<>(target.parameters()).forEach((k, v) -> selects.add(k + "=" + v));
        return target.resourceType() + (selects.isEmpty() ? "" : ": " + String.join(", ", selects))
                + (target.selectionMode() == null ? "" : " (" + target.selectionMode() + ")");
    }

    /**
     * Starts an experiment from {@code templateId}, or returns the one this {@code clientToken} started
     * before: FIS starts at most one experiment per token, so a retry or a resume never starts a second.
     */
    public Run start(String awsRegion, String templateId, String clientToken, Map<String, String> tags)
            throws StepFailure {
        return run(call("StartExperiment", () -> fis(awsRegion).startExperiment(r -> r.experimentTemplateId(templateId)
                .clientToken(clientToken).tags(tags))).experiment());
    }

    public Run get(String awsRegion, String id) throws StepFailure {
        return run(call("GetExperiment", () -> fis(awsRegion).getExperiment(r -> r.id(id))).experiment());
    }

    /** Stops the experiment (FIS reverts its faults); one that has ended already is left as it is. */
    public Run stop(String awsRegion, String id) throws StepFailure {
        try {
            return run(call("StopExperiment", () -> fis(awsRegion).stopExperiment(r -> r.id(id))).experiment());
        } catch (StepFailure e) {
            // FIS refuses to stop what has ended (the model names no error for it: a 4xx of some kind).
            if (e.getCause() instanceof FisException refused && refused.statusCode() / 100 == 4) {
                Run now = get(awsRegion, id);
                if (now.ended()) {
                    return now;
                }
            }
            throw e;
        }
    }

    /** The experiments of {@code templateId} whose tags include every one of {@code tags}, oldest first. */
    public List<Run> find(String awsRegion, String templateId, Map<String, String> tags) throws StepFailure {
        return listed(awsRegion, r -> r.experimentTemplateId(templateId), tags);
    }

    /** The experiments of any template whose tags include every one of {@code tags}, oldest first. */
    public List<Run> find(String awsRegion, Map<String, String> tags) throws StepFailure {
        return listed(awsRegion, r -> { }, tags);
    }

    private List<Run> listed(String awsRegion, Consumer<ListExperimentsRequest.Builder> which, Map<String, String> tags)
            throws StepFailure {
        List<Run> found = new ArrayList<>(call("ListExperiments", () -> fis(awsRegion)
                .listExperimentsPaginator(r -> which.accept(r.maxResults(100))).experiments().stream()
                .filter(s -> s.tags().entrySet().containsAll(tags.entrySet()))
                .map(s -> new Run(s.id(), s.arn(), s.experimentTemplateId(), s.state().statusAsString(),
                        s.state().reason(), s.tags(), s.creationTime(), null)).toList()));
        found.sort((a, b) -> a.startTime() == null || b.startTime() == null ? 0 : a.startTime().compareTo(b.startTime()));
        return found;
    }

    /** Adds {@code tags} to the experiment. */
    public void tag(String awsRegion, String arn, Map<String, String> tags) throws StepFailure {
        call("TagResource", () -> fis(awsRegion).tagResource(r -> r.resourceArn(arn).tags(tags)));
    }

    private static Run run(Experiment e) {
        return new Run(e.id(), e.arn(), e.experimentTemplateId(), e.state().statusAsString(), e.state().reason(),
                e.tags(), e.startTime(), e.endTime());
    }
}
