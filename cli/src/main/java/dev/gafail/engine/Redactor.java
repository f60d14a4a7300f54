package dev.gafail.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Replaces secret values wherever they appear in an event, before any listener sees it. */
public final class Redactor {

    public static final String MASK = "***";

    private final List<String> secrets;

    public Redactor(Collection<String> secrets) {
        // Longest first, so a secret that contains another is masked whole.
        this.secrets = secrets.stream().filter(s -> s != null && !s.isEmpty())
                .sorted((a, b) -> b.length() - a.length()).toList();
    }

    public Event redact(Event event) {
        if (secrets.isEmpty()) {
            return event;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) value(event.data());
        return new Event(event.type(), event.time(), event.execution(), event.phase(), event.step(),
                event.action(), event.attempt(), text(event.message()), data);
    }

    public String text(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, MASK);
        }
        return out;
    }

    private Object value(Object value) {
        if (value instanceof String s) {
            return text(s);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), value(v)));
            return out;
        }
        if (value instanceof Collection<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(value(v)));
            return out;
        }
        return value;
    }
}
