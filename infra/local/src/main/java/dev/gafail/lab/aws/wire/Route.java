package dev.gafail.lab.aws.wire;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A REST operation's place on the wire, as its model's {@code http} trait says: the method, the
 * path template ({@code /experiments/{id}}, each label one path segment), the operation it names and
 * the status of its replies.
 */
public record Route(String method, String path, String operation, int status) {

    /** A route whose replies are 200, as most operations' are. */
    public Route(String method, String path, String operation) {
        this(method, path, operation, 200);
    }

    /**
     * The labels of a request to this route ({@code id} to {@code EXP123}), each segment decoded
     * ({@code %2F} is a slash inside a label, as the SDKs send an ARN); empty when it is not this route.
     */
    Optional<Map<String, String>> match(String method, String rawPath) {
        if (!this.method.equals(method)) {
            return Optional.empty();
        }
        String[] template = path.split("/", -1);
        String[] actual = rawPath.split("/", -1);
        if (template.length != actual.length) {
            return Optional.empty();
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < template.length; i++) {
            String value = WireRequest.decode(actual[i]);
            if (template[i].startsWith("{") && template[i].endsWith("}")) {
                if (value.isEmpty()) {
                    return Optional.empty();
                }
                labels.put(template[i].substring(1, template[i].length() - 1), value);
            } else if (!template[i].equals(value)) {
                return Optional.empty();
            }
        }
        return Optional.of(labels);
    }
}
