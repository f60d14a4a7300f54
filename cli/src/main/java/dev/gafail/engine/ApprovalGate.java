package dev.gafail.engine;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A plan's approval, journalled: first the operator's at the prompt (or {@code --yes}); then, when the
 * policy wants more people, others' through the shared state ({@code gafail approve}), waited for until
 * they come, the operator stops it, or the execution's timeout passes. An approval counts once per
 * identity, only for this very plan, only from someone else than the requester, and only while fresh.
 */
final class ApprovalGate {

    /** How often a waiting execution reads the approvals given: a person's pace, a few requests a minute. */
    static final Duration POLL = Duration.ofSeconds(2);

    private final Clock clock;

    ApprovalGate(Clock clock) {
        this.clock = clock;
    }

    /**
     * Empty once as many people as the policy wants approved {@code plan}; the operator's refusal otherwise.
     *
     * @throws InterruptedException when the operator stops the execution while it waits (it stays resumable)
     */
    Optional<OperatorAbort> approve(Execution x, PlanApproval plan) throws InterruptedException {
        String requester = x.approvals().requester().orElse(null);
        try {
            x.operator().approve(plan.summary(), plan.question());
        } catch (OperatorAbort abort) {
            emit(x, EventType.APPROVAL_DECLINED, abort.getMessage(), Map.of("by", x.operator().name()));
            return Optional.of(abort);
        }
        Set<String> counted = new HashSet<>();
        counted.add(requester == null ? x.operator().name() : requester);
        grant(x, plan, x.operator().name(), requester, counted.size(), null);
        if (counted.size() >= plan.required()) {
            return Optional.empty();
        }
        emit(x, EventType.APPROVAL_REQUESTED, "waiting for " + (plan.required() - counted.size())
                + " more approval(s) of plan " + plan.shortPlan() + ", each from another identity: gafail approve "
                + x.id(), plan.data());
        Set<Approval> seen = new HashSet<>();
        boolean unread = false;
        while (true) {
            try {
                for (Approval given : x.approvals().given()) {
                    if (counted.contains(given.identity()) || !seen.add(given)) {
                        continue;
                    }
                    Optional<String> refused = refusal(plan, requester, given);
                    if (refused.isPresent()) {
                        emit(x, EventType.NOTICE, refused.get(), Map.of("approval", given.identity()));
                    } else {
                        counted.add(given.identity());
                        grant(x, plan, given.by(), given.identity(), counted.size(), given);
                    }
                }
                unread = false;
            } catch (UncheckedIOException e) {
                if (!unread) {
                    emit(x, EventType.NOTICE, "cannot read the approvals given (" + e.getMessage()
                            + "); still waiting", Map.of());
                }
                unread = true;
            }
            if (counted.size() >= plan.required()) {
                return Optional.empty();
            }
            if (x.deadline() != null && clock.instant().isAfter(x.deadline())) {
                x.stop().request("the execution's timeout passed while it waited for approvals");
            }
            x.stop().sleep(POLL);
        }
    }

    /** Why {@code given} does not count for {@code plan}; empty when it does. */
    private Optional<String> refusal(PlanApproval plan, String requester, Approval given) {
        if (given.identity().equals(requester)) {
            return Optional.of("the approval of " + given.identity() + " does not count: they run this execution,"
                    + " and its approval needs someone else");
        }
        if (!given.plan().equals(plan.plan())) {
            return Optional.of("the approval of " + given.identity() + " is for plan "
                    + given.plan().substring(0, Math.min(12, given.plan().length())) + ", not for this plan ("
                    + plan.shortPlan() + "): the plan changed since; it needs a new approval");
        }
        Instant expired = given.at().plus(plan.expires());
        if (!clock.instant().isBefore(expired)) {
            return Optional.of("the approval of " + given.identity() + " expired at " + expired
                    + " (approvals hold " + dev.gafail.yaml.Durations.human(plan.expires()) + "); it needs a new one");
        }
        return Optional.empty();
    }

    private void grant(Execution x, PlanApproval plan, String by, String identity, int count, Approval given) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("by", by);
        if (identity != null) {
            data.put("identity", identity);
        }
        data.put("plan", plan.plan());
        data.put("approvals", count);
        data.put("required", plan.required());
        if (given != null) {
            data.put("givenAt", given.at().toString());
            if (given.reason() != null) {
                data.put("approvalReason", given.reason());
            }
        }
        emit(x, EventType.APPROVAL_GRANTED, "approved by " + by + (plan.required() > 1 ? " (" + count + " of "
                + plan.required() + ")" : ""), data);
    }

    private void emit(Execution x, EventType type, String message, Map<String, Object> data) {
        x.events().on(Event.ofExecution(type, x.id(), clock.instant(), message, data));
    }
}
