package dev.gafail.engine;

import dev.gafail.yaml.Durations;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A plan's approval, journalled: first the operator's at the prompt (or {@code --yes}); then, when the
 * policy wants more people, others' through the shared state ({@code gafail approve}), waited for until
 * enough are in, the operator stops it, or the wait's bound passes. An approval counts only from another
 * identity than the requester's, as AWS vouches for it (not as the approval claims), only for this very
 * plan, and only while fresh: each poll counts anew, so one that expires before enough others came stops
 * counting.
 */
final class ApprovalGate {

    /** How often a waiting execution reads the approvals given: a person's pace, a few requests a minute. */
    static final Duration POLL = Duration.ofSeconds(2);
    /** How long a wait holds the topology's lock when the execution has no timeout of its own. */
    static final Duration LONGEST_WAIT = Duration.ofHours(1);

    private final Clock clock;

    ApprovalGate(Clock clock) {
        this.clock = clock;
    }

    /**
     * Empty once as many people as the policy wants approved {@code plan}; the refusal otherwise.
     *
     * @throws InterruptedException when the execution is stopped while it waits (it stays resumable)
     */
    Optional<OperatorAbort> approve(Execution x, PlanApproval plan) throws InterruptedException {
        String requester = x.approvals().requester().orElse(null);
        if (plan.required() > 1 && requester == null) {
            // Others are told apart from the requester by AWS identity: without one, nobody could be.
            return declined(x, new OperatorAbort("approvals.required " + plan.required() + " needs the AWS identity"
                    + " of who runs the execution, and it is not known"));
        }
        try {
            x.operator().approve(plan.summary(), plan.question());
        } catch (OperatorAbort abort) {
            return declined(x, abort);
        }
        grant(x, plan, x.operator().name(), requester, 1, null);
        if (plan.required() == 1) {
            return Optional.empty();
        }
        emit(x, EventType.APPROVAL_REQUESTED, "waiting for " + (plan.required() - 1) + " more approval(s) of plan "
                + plan.shortPlan() + ", each from another identity: gafail approve " + x.id(), plan.data());
        Instant end = x.deadline() != null ? x.deadline() : clock.instant().plus(LONGEST_WAIT);
        Map<String, Approval> counted = new LinkedHashMap<>();
        Map<Approval, ApprovalVerifier.Verified> verified = new HashMap<>();
        Set<Approval> noted = new HashSet<>();
        boolean unread = false;
        while (true) {
            try {
                count(x, plan, requester, counted, verified, noted);
                unread = false;
            } catch (UncheckedIOException e) {
                if (!unread) {
                    emit(x, EventType.NOTICE, "cannot read the approvals given (" + e.getMessage()
                            + "); still waiting", Map.of());
                }
                unread = true;
            }
            if (counted.size() + 1 >= plan.required()) {
                return Optional.empty();
            }
            if (clock.instant().isAfter(end)) {
                x.stop().request(x.deadline() != null ? "its timeout passed while it waited for approvals"
                        : "not enough approvals came within " + Durations.human(LONGEST_WAIT) + " of waiting");
            }
            x.stop().sleep(POLL);
        }
    }

    /**
     * Counts the approvals the state holds now: one per other identity, as AWS vouches for it (each proof
     * asked once), of this plan, fresh; journals each new one, and a notice for each that does not count
     * (once) or stopped counting.
     */
    private void count(Execution x, PlanApproval plan, String requester, Map<String, Approval> counted,
                       Map<Approval, ApprovalVerifier.Verified> verified, Set<Approval> noted) {
        Instant now = clock.instant();
        Map<String, Approval> valid = new LinkedHashMap<>();
        for (Approval given : x.approvals().given()) {
            Optional<String> refused = stale(plan, given, now);
            String identity = null;
            if (refused.isEmpty()) {
                ApprovalVerifier.Verified who = verified.computeIfAbsent(given,
                        g -> x.approvals().verify(g, plan.plan()));
                identity = who.identity();
                refused = identity == null ? Optional.of("the approval kept as " + given.identity()
                        + "'s does not count: " + who.problem())
                        : identity.equals(requester) ? Optional.of("the approval of " + identity + " does not count:"
                        + " they run this execution, and its approval needs someone else") : Optional.empty();
            }
            if (refused.isEmpty()) {
                valid.merge(identity, given, (a, b) -> a.at().isAfter(b.at()) ? a : b);
            } else if (noted.add(given)) {
                emit(x, EventType.NOTICE, refused.get(), Map.of("approval", given.identity()));
            }
        }
        for (String identity : Set.copyOf(counted.keySet())) {
            if (!valid.containsKey(identity)) {
                emit(x, EventType.NOTICE, "the approval of " + identity + " expired before enough others came;"
                        + " it needs a new one", Map.of("approval", identity));
                counted.remove(identity);
            }
        }
        valid.forEach((identity, given) -> {
            if (counted.putIfAbsent(identity, given) == null) {
                grant(x, plan, given.by(), identity, counted.size() + 1, given);
            }
        });
    }

    /** Why {@code given} does not count for {@code plan} at {@code now}, whoever gave it; empty when it may. */
    private static Optional<String> stale(PlanApproval plan, Approval given, Instant now) {
        if (!given.plan().equals(plan.plan())) {
            return Optional.of("the approval of " + given.identity() + " is for plan "
                    + given.plan().substring(0, Math.min(12, given.plan().length())) + ", not for this plan ("
                    + plan.shortPlan() + "): the plan changed since; it needs a new approval");
        }
        Instant expired = given.at().plus(plan.expires());
        if (!now.isBefore(expired)) {
            return Optional.of("the approval of " + given.identity() + " expired at " + expired + " (approvals hold "
                    + Durations.human(plan.expires()) + "); it needs a new one");
        }
        return Optional.empty();
    }

    private Optional<OperatorAbort> declined(Execution x, OperatorAbort abort) {
        emit(x, EventType.APPROVAL_DECLINED, abort.getMessage(), Map.of("by", x.operator().name()));
        return Optional.of(abort);
    }

    private void grant(Execution x, PlanApproval plan, String by, String identity, int count, Approval given) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("by", by);
        if (identity != null) {
            data.put("approver", identity);
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
