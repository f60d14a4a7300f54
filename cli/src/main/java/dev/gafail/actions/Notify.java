package dev.gafail.actions;

import dev.gafail.engine.AbstractAction;
import dev.gafail.engine.Change;
import dev.gafail.engine.Outbox;
import dev.gafail.engine.StepContext;
import java.util.List;
import java.util.Optional;

/**
 * {@code notify {message, to, subject}}: tells the topology's notification sinks (all, or those named in
 * {@code to}) something now, waiting at most {@link Outbox#BOUND} for them to take it. It never fails the
 * step: a sink that does not take the message is told in a notice, and the outputs say how many did.
 * Read-only, as it changes nothing the runbook acts on: a rollback has nothing to undo.
 */
public final class Notify extends AbstractAction<Notify.Params, Notify.Outputs> {

    /**
     * @param to      the sinks' names (default: every sink)
     * @param subject the subject an e-mail or SNS message shows (default: gafail's, naming the runbook)
     */
    public record Params(String message, List<String> to, String subject) {

        public Params {
            to = to == null ? List.of() : List.copyOf(to);
        }
    }

    /**
     * @param delivered how many sinks took the message in time
     * @param sinks     how many it went to
     * @param missed    the sinks that did not take it in time
     */
    public record Outputs(int delivered, int sinks, List<String> missed) {
    }

    public Notify() {
        super("notify", Params.class, Outputs.class, true, List.of("sns:Publish", "ssm:GetParameter"), """
                {"type": "object", "additionalProperties": false, "required": ["message"],
                 "properties": {
                   "message": {"type": "string", "minLength": 1, "maxLength": 4000},
                   "to": {"type": "array", "minItems": 1, "uniqueItems": true,
                          "items": {"type": "string", "pattern": "^[a-z][a-z0-9-]{0,62}$"},
                          "description": "the names of the topology's notifications (default: all)"},
                   "subject": {"type": "string", "minLength": 1, "maxLength": 100}}}""");
    }

    @Override
    public Change plan(Params params, StepContext context) {
        List<String> sinks = context.notificationSinks();
        List<String> chosen = sinks.stream().filter(s -> params.to().isEmpty() || params.to().contains(s)).toList();
        String whom = chosen.isEmpty() ? "notify nobody" : "notify " + String.join(", ", chosen);
        return Change.to("-", whom + (sinks.isEmpty() ? ": the topology has no notifications" : "")
                + unknown(params, sinks).map(u -> "; " + u).orElse(""));
    }

    @Override
    public Outputs apply(Params params, StepContext context) throws InterruptedException {
        unknown(params, context.notificationSinks()).ifPresent(u -> context.notice("notify: " + u));
        Outbox.Delivery delivery = context.notify(params.subject(), params.message(), params.to());
        return new Outputs(delivery.delivered(), delivery.sinks().size(), delivery.missed());
    }

    /** "no sink named pager (the topology's: oncall, incident-bot)", when a name in {@code to} is no sink's. */
    private static Optional<String> unknown(Params params, List<String> sinks) {
        List<String> unknown = params.to().stream().filter(name -> !sinks.contains(name)).toList();
        return unknown.isEmpty() ? Optional.empty() : Optional.of("no sink named " + String.join(", ", unknown)
                + " (the topology's: " + (sinks.isEmpty() ? "none" : String.join(", ", sinks)) + ")");
    }
}
