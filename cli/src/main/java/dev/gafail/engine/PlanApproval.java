package dev.gafail.engine;

import dev.gafail.yaml.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a person approves: the changes an execution's plan would make, on which topology, in which AWS
 * account, with which runbook and parameters, and the hash of all of it ({@code plan}), which an
 * approval names, so that an approval of one plan never lets another run. The requester's prompt
 * and {@code gafail approve} show the same summary; the journal keeps it ({@code approval-requested}).
 *
 * @param topology  the topology's name, or null without one
 * @param account   the AWS account, or null when the execution calls no AWS API
 * @param requester the AWS identity of the one who runs it, or null when unknown
 * @param required  how many people approve, the requester included
 */
public record PlanApproval(String execution, String runbook, String topology, String account,
                           Map<String, Object> params, List<PlannedChange> changes, String plan, int required,
                           Duration expires, String requester) {

    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();
    private static final int SHOWN = 12;

    /** One step's change as planned: from what it found to what it would bring about. */
    public record PlannedChange(String step, String action, String current, String desired) {
    }

    public PlanApproval {
        params = params == null ? Map.of() : new LinkedHashMap<>(params);
        changes = List.copyOf(changes);
    }

    /**
     * The plan of {@code changes}, its hash over the runbook's text and everything the plan shows but what
     * each step found ({@code current}: counts of running tasks, a lag in milliseconds), which moves on its
     * own from one plan to the next; what each step would bring about ({@code desired}) names the state it
     * starts from where that matters (a service's desired count, the writer).
     */
    public static PlanApproval of(String execution, String runbook, String runbookSource, String topology,
                                  String account, Map<String, Object> params, List<PlannedChange> changes,
                                  int required, Duration expires, String requester) {
        Map<String, Object> hashed = new LinkedHashMap<>();
        hashed.put("execution", execution);
        hashed.put("runbook", runbook);
        hashed.put("runbookSource", runbookSource);
        hashed.put("topology", topology);
        hashed.put("account", account);
        hashed.put("params", params);
        hashed.put("changes", changes.stream().map(c -> List.of(c.step(), c.action(), c.desired())).toList());
        return new PlanApproval(execution, runbook, topology, account, params, changes, ExecutionService.sha256(CANONICAL.writeValueAsString(hashed)), required,
                expires, requester);
    }

    /** The plan's hash as people compare it: its first hex digits. */
    public String shortPlan() {
        return plan.substring(0, SHOWN);
    }

    /** Whether {@code given} names this plan: its whole hash, or (typed by a person) a prefix of it. */
    public boolean isPlan(String given) {
        return given.length() >= SHOWN && plan.startsWith(given.toLowerCase(java.util.Locale.ROOT));
    }

    /** The lines a person reads before answering, the requester at the prompt as an approver. */
    public List<String> summary() {
        List<String> lines = new ArrayList<>();
        lines.add("  topology   " + (topology == null ? "(none)" : topology) + (account == null ? ""
                : ", AWS account " + account));
        lines.add("  runbook    " + runbook + (params.isEmpty() ? "" : ", " + String.join(" ", params.entrySet()
                .stream().map(e -> e.getKey() + "=" + e.getValue()).toList())));
        if (requester != null) {
            lines.add("  requester  " + requester);
        }
        lines.add("  changes    " + changes.size());
        changes.forEach(c -> lines.add("    " + c.step() + " (" + c.action() + "): " + c.current() + " -> "
                + c.desired()));
        lines.add("  plan       " + shortPlan() + (required > 1 ? ", approved by " + required
                + " people, the requester included, each approval good for " + Durations.human(expires) : ""));
        return lines;
    }

    /** The question of the prompt, naming what it acts on. */
    public String question() {
        return "Apply " + changes.size() + " change(s) of runbook '" + runbook + "'"
                + (topology == null ? "" : " to topology '" + topology + "'")
                + (account == null ? "" : " in AWS account " + account) + "?";
    }

    /** As the journal keeps it, in the {@code approval-requested} event. */
    public Map<String, Object> data() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("plan", plan);
        data.put("runbook", runbook);
        if (topology != null) {
            data.put("topology", topology);
        }
        if (account != null) {
            data.put("account", account);
        }
        data.put("params", params);
        data.put("changes", changes.stream().map(c -> {
            Map<String, Object> change = new LinkedHashMap<>();
            change.put("step", c.step());
            change.put("action", c.action());
            change.put("current", c.current());
            change.put("desired", c.desired());
            return change;
        }).toList());
        data.put("required", required);
        data.put("expiresSeconds", expires.toSeconds());
        if (requester != null) {
            data.put("requester", requester);
        }
        return data;
    }

    /**
     * The request as the journal kept it ({@link #data()}).
     *
     * @throws GafailException USAGE when the event lacks what a request holds (a journal written by hand)
     */
    @SuppressWarnings("unchecked")
    public static PlanApproval from(Event requested) {
        if (!(requested.get("plan") instanceof String plan) || plan.length() < SHOWN
                || !(requested.get("required") instanceof Number required)
                || !(requested.get("expiresSeconds") instanceof Number expires)
                || !(requested.get("changes") instanceof List<?> list)) {
            throw new GafailException(ExitCode.USAGE, "execution " + requested.execution() + "'s request for approval"
                    + " in its journal lacks its plan, its count or its expiry; nothing was approved");
        }
        List<PlannedChange> changes = new ArrayList<>();
        for (Object c : list) {
            Map<String, Object> m = c instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
            changes.add(new PlannedChange(String.valueOf(m.get("step")), String.valueOf(m.get("action")),
                    String.valueOf(m.get("current")), String.valueOf(m.get("desired"))));
        }
        return new PlanApproval(requested.execution(), String.valueOf(requested.text("runbook")),
                requested.text("topology"), requested.text("account"), requested.get("params") instanceof Map<?, ?> p
                ? (Map<String, Object>) p : Map.of(), changes, plan, required.intValue(),
                Duration.ofSeconds(expires.longValue()), requested.text("requester"));
    }
}
