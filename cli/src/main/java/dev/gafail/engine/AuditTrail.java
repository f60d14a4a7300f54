package dev.gafail.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The audit log's listener on an execution's events: who started, approved, interrupted or
 * finished what, from where, and why (the operator's {@code --reason}).
 */
public final class AuditTrail implements EventListener {

    private final AuditLog log;
    private final Actor actor;
    private final String command;
    private final String reason;
    private final String identity;

    /** @param identity the AWS identity (caller ARN) the command acts as; null when it does not know it */
    public AuditTrail(AuditLog log, Actor actor, String command, String reason, String identity) {
        this.log = log;
        this.actor = actor;
        this.command = command;
        this.reason = reason;
        this.identity = identity;
    }

    @Override
    public void on(Event event) {
        switch (event.type()) {
            case EXECUTION_STARTED, EXECUTION_RESUMED, APPROVAL_REQUESTED, APPROVAL_GRANTED, APPROVAL_DECLINED,
                 EXECUTION_INTERRUPTED, EXECUTION_FINISHED -> record(event);
            default -> { }
        }
    }

    private void record(Event event) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("event", event.type().wire());
        fields.put("execution", event.execution());
        fields.put("time", event.time().toString());
        for (String key : new String[] {"runbook", "runbookFile", "runbookSha256", "params", "topology", "identity", "status",
                "exitCode", "by", "approver", "plan", "approvals", "required", "requester", "givenAt"}) {
            if (event.get(key) != null) {
                fields.put(key, event.get(key));
            }
        }
        if (event.message() != null) {
            fields.put("message", event.message());
        }
        append(fields);
    }

    /** A record that is not an execution event (a forced unlock, a stale lock taken over). */
    public void append(Map<String, Object> fields) {
        Map<String, Object> record = new LinkedHashMap<>(fields);
        record.putIfAbsent("time", java.time.Instant.now().toString());
        record.put("user", actor.user());
        record.put("host", actor.host());
        record.put("pid", actor.pid());
        record.put("cwd", actor.cwd());
        if (identity != null) {
            // the shape the start's record has (account and ARN), so every record reads alike
            record.putIfAbsent("identity", Map.of("arn", identity));
        }
        record.put("command", command);
        if (reason != null) {
            record.put("reason", reason);
        }
        log.append(record);
    }
}
