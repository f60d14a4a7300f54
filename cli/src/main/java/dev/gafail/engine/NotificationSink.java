package dev.gafail.engine;

/** Where notifications go: a Slack webhook, a generic webhook, SNS topics. Called on the sink's own sender thread. */
@FunctionalInterface
public interface NotificationSink {

    /**
     * Delivers {@code notification}, within {@link Outbox#BOUND}, or says why it could not.
     *
     * @throws Undelivered in words that never hold the sink's secret (its URL): the reason is shown and journalled
     */
    void deliver(Notification notification) throws Undelivered;

    /** Why a notification did not reach its sink: "connection refused", "HTTP 404". */
    final class Undelivered extends Exception {

        public Undelivered(String why) {
            super(why, null, false, false);
        }
    }
}
