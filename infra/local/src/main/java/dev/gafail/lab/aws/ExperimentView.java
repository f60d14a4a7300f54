package dev.gafail.lab.aws;

/**
 * A FIS experiment of the lab that has not ended, as {@code lab status} shows it: its id, its template
 * and scenario, the lab region its faults hit, the AWS region whose FIS runs it, its state, since when
 * it runs and until when its actions last (ISO 8601; empty before it runs).
 */
public record ExperimentView(String id, String template, String scenario, String region, String fis, String state,
                             String since, String until) {
}
