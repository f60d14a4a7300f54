package dev.gafail.engine;

import java.util.Set;

/**
 * A sink and what it takes.
 *
 * @param name     the topology's name for it, which a notify step's {@code to} uses
 * @param describe how messages about it name it ("oncall (slack)"), never by its URL
 * @param kinds    the notifications it takes (a notify step's message goes to it whatever these are)
 * @param dryRuns  whether dry runs and plans notify it
 */
public record Subscription(String name, String describe, NotificationSink sink, Set<Notification.Kind> kinds,
                           boolean dryRuns) {

    public Subscription {
        kinds = Set.copyOf(kinds);
    }
}
