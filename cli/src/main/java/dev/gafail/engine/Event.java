package dev.gafail.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;

/**
 * One thing that happened in an execution: a journal line, a JSON output line, a console line.
 * Step fields are null for execution-level events.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Event(EventType type, Instant time, String execution, Phase phase, String step, String action,
                   Integer attempt, String message, Map<String, Object> data) {

    public Event {
        // Through JSON and back, so a live event carries exactly what its journal line will.
        data = data == null || data.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(Json.object(data));
    }

    public static Event ofExecution(EventType type, String execution, Instant time, String message,
                                    Map<String, Object> data) {
        return new Event(type, time, execution, null, null, null, null, message, data);
    }

    public Object get(String key) {
        return data.get(key);
    }

    public String text(String key) {
        Object value = data.get(key);
        return value == null ? null : value.toString();
    }
}
