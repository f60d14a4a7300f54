package dev.gafail.topology;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The topology's {@code notifications}: where gafail tells people what an execution does. */
public final class Notifications {

    private Notifications() {
    }

    /** How a sink is reached. */
    public enum Kind {
        /** A Slack incoming webhook: {@code {"text": ...}}. */
        SLACK,
        /** Any HTTP endpoint: gafail's JSON document. */
        WEBHOOK,
        /** An Amazon SNS topic per region, published to through a region that answers. */
        SNS;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One entry of {@code notifications}.
     *
     * @param name    how messages about the sink name it (its kind when the file gives none: {@code slack},
     *                {@code slack-2} for a second)
     * @param url     the webhook's URL, a secret (null for SNS)
     * @param topics  SNS: a topic ARN by the topology's region name, in the file's order (empty otherwise)
     * @param events  which notifications it takes, by the names of the docs ({@code started}, {@code finished},
     *                ...); empty: all
     * @param dryRuns whether dry runs and plans notify it too
     */
    public record Sink(String name, Kind kind, Secret url, Map<String, String> topics, List<String> events,
                       boolean dryRuns) {

        public Sink {
            topics = Collections.unmodifiableMap(new LinkedHashMap<>(topics));
            events = List.copyOf(events);
        }

        /** "oncall (slack)": how a message names the sink, never by its URL. */
        public String describe() {
            return name.equals(kind.wire()) ? name : name + " (" + kind.wire() + ")";
        }
    }

    /** Where a secret is read from, never the secret itself: {@code {env: NAME}}, {@code {file: PATH}}, {@code {ssm: NAME}}. */
    public record Secret(Source source, String name) {

        public enum Source { ENV, FILE, SSM }

        /** "environment variable GAFAIL_SLACK_WEBHOOK", for messages. */
        public String describe() {
            return switch (source) {
                case ENV -> "environment variable " + name;
                case FILE -> "file " + name;
                case SSM -> "SSM parameter " + name;
            };
        }
    }
}
