package dev.gafail.runbook;

import dev.gafail.yaml.Durations;
import dev.gafail.yaml.PositionedTree;
import dev.gafail.yaml.SourcePosition;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/**
 * Who must approve an execution's plan before it changes anything ({@code approvals:} in a runbook or
 * a topology): {@code required} people, the one who runs it included (2 is the two-person rule), each
 * approval holding for {@link #expiry()} after it is given.
 *
 * @param expires as set; null: not set, so the other setting's, or {@link #DEFAULT_EXPIRY}
 * @param where   the {@code approvals} setting that asks for this, for the message that refuses it; null: the default
 */
public record ApprovalPolicy(int required, Duration expires, SourcePosition where) {

    /** Long enough to find a colleague at 3 a.m.; short enough that an approval is of the plan as it still is. */
    public static final Duration DEFAULT_EXPIRY = Duration.ofMinutes(30);
    /** The operator who runs it approves alone: at the prompt, or with --yes. */
    public static final ApprovalPolicy ONE = new ApprovalPolicy(1, null, null);

    /** The {@code approvals} mapping at {@code pointer} of a file that passed its schema; {@link #ONE} without one. */
    public static ApprovalPolicy at(PositionedTree tree, String pointer) {
        JsonNode node = tree.root().at(pointer);
        if (node.isMissingNode()) {
            return ONE;
        }
        return new ApprovalPolicy(node.path("required").asInt(1), node.has("expires")
                ? Durations.parse(node.path("expires").asString()).orElseThrow() : null, tree.keyAt(pointer));
    }

    /** How long an approval holds once given. */
    public Duration expiry() {
        return expires == null ? DEFAULT_EXPIRY : expires;
    }

    /** Whether others than the one who runs it must approve: then only a shared state lets them. */
    public boolean needsOthers() {
        return required > 1;
    }

    /** The stricter of the two: the more approvers (and where that is asked), the shorter expiry set. */
    public ApprovalPolicy stricter(ApprovalPolicy other) {
        ApprovalPolicy more = other.required > required ? other : this;
        Duration shorter = expires == null ? other.expires
                : other.expires == null || expires.compareTo(other.expires) <= 0 ? expires : other.expires;
        return new ApprovalPolicy(more.required, shorter, more.where != null ? more.where : other.where);
    }
}
