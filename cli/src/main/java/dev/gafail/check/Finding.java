package dev.gafail.check;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Locale;

/**
 * One row of {@code gafail check}: an item of the checklist (for one region, or for the topology), how it
 * stands, the evidence it stands on, and that evidence's date (a drill's start; the moment of a live read).
 *
 * @param region null for an item of the whole topology
 * @param date   null when there is no evidence to date (no drill on record)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Finding(String item, String region, Status status, String evidence, Instant date) {

    public enum Status {
        @JsonProperty("pass") PASS, @JsonProperty("warn") WARN, @JsonProperty("fail") FAIL;

        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How an item stands, before it is named: its status, evidence and date. */
    public record Outcome(Status status, String evidence, Instant date) {

        static Outcome pass(String evidence, Instant date) {
            return new Outcome(Status.PASS, evidence, date);
        }

        static Outcome warn(String evidence, Instant date) {
            return new Outcome(Status.WARN, evidence, date);
        }

        static Outcome fail(String evidence, Instant date) {
            return new Outcome(Status.FAIL, evidence, date);
        }
    }
}
