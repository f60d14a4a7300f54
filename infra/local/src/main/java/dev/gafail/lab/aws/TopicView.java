package dev.gafail.lab.aws;

/** One of the lab's SNS topics as {@code lab status} shows it: its AWS region, its ARN, how many messages it received. */
public record TopicView(String region, String topic, long messages) {
}
