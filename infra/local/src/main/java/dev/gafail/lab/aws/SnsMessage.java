package dev.gafail.lab.aws;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A message the lab's SNS received, as it keeps it, a JSON line each in the lab folder's {@code
 * sns-messages.jsonl}, in the order received: when, the AWS region of the SNS that took it, the topic,
 * the message id it answered with, the subject ("" without one), the message, and its attributes by
 * name (a binary value as its base64 text).
 */
public record SnsMessage(String time, String region, String topic, String messageId, String subject, String message,
                         Map<String, Attribute> attributes) {

    static final ObjectMapper JSON = JsonMapper.builder().build();

    public record Attribute(String dataType, String value) {
    }

    public SnsMessage {
        attributes = Map.copyOf(attributes);
    }

    /** The messages a lab's SNS kept in {@code file}, in order (none when it has none); a line being written is left out. */
    public static List<SnsMessage> read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<SnsMessage> messages = new ArrayList<>();
        for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
            if (!line.isBlank()) {
                messages.add(JSON.readValue(line, SnsMessage.class));
            }
        }
        return messages;
    }

    String line() {
        return JSON.writeValueAsString(this);
    }
}
