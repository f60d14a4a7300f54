package dev.gafail.lab.clients;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The lab's request log ({@code aws-requests.jsonl}), read for the services called and the protocol each request spoke. */
final class RequestLog {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path file;

    RequestLog(Path file) {
        this.file = file;
    }

    /** Where the log ends now: what {@link #protocols} reads from. */
    int mark() throws IOException {
        return lines().size();
    }

    /** The protocols in which {@code service} was called since {@code mark}. */
    Set<String> protocols(int mark, String service) throws IOException {
        return since(mark, "protocol", service);
    }

    /** The services called since {@code mark}, by the name the lab logs (the SDK's signing name). */
    Set<String> services(int mark) throws IOException {
        return since(mark, "service", "");
    }

    /** Each request's {@code field} since {@code mark}; only of {@code service}'s requests, unless it is empty. */
    private Set<String> since(int mark, String field, String service) throws IOException {
        Set<String> values = new TreeSet<>();
        List<String> lines = lines();
        for (String line : lines.subList(mark, lines.size())) {
            JsonNode request = JSON.readTree(line);
            if (service.isEmpty() || request.path("service").asString().equals(service)) {
                values.add(request.path(field).asString());
            }
        }
        return values;
    }

    private List<String> lines() throws IOException {
        return Files.readAllLines(file).stream().filter(line -> !line.isBlank()).toList();
    }
}
