package dev.gafail.engine;

import dev.gafail.yaml.Durations;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.PropertyBindingException;
import tools.jackson.databind.exc.ValueInstantiationException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/** The one JSON mapping of gafail: journals, events, audit records and step parameters; durations in runbook syntax. */
public final class Json {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new SimpleModule("gafail-durations")
                    .addSerializer(Duration.class, new ValueSerializer<Duration>() {
                        @Override
                        public void serialize(Duration value, JsonGenerator gen, SerializationContext ctxt) {
                            gen.writeString(Durations.format(value));
                        }
                    })
                    .addDeserializer(Duration.class, new ValueDeserializer<Duration>() {
                        @Override
                        public Duration deserialize(JsonParser p, DeserializationContext ctxt) {
                            String text = p.getString();
                            return Durations.parse(text).orElseThrow(() -> ctxt.weirdStringException(
                                    text, Duration.class, "not a duration (" + Durations.EXAMPLES + ")"));
                        }
                    }))
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {
    };

    private Json() {
    }

    /**
     * Why {@code e}, from binding a step's {@code with} to its parameter record, happened, in gafail's words
     * ({@code stages[2]: expected an integer}). Jackson's own message quotes the value, shortened with
     * {@code ...} when long, so a secret in it would escape the masker: it never reaches a sink.
     */
    public static String mismatch(RuntimeException e) {
        String where = e instanceof JacksonException j ? path(j) : "";
        String why;
        if (e instanceof ValueInstantiationException && e.getCause() != null) {
            why = e.getCause().getMessage();
        } else if (e instanceof PropertyBindingException p) {
            why = "unknown parameter '" + p.getPropertyName() + "'";
            where = where.endsWith(p.getPropertyName()) ? "" : where;
        } else if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            why = "expected " + kind(m.getTargetType());
        } else {
            why = "not of the expected form";
        }
        return where.isEmpty() ? why : where + ": " + why;
    }

    private static String path(JacksonException e) {
        StringBuilder out = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                out.append(out.isEmpty() ? "" : ".").append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static String kind(Class<?> type) {
        if (type == Duration.class) {
            return "a duration (" + Durations.EXAMPLES + ")";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a text";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(String::valueOf)
                    .collect(Collectors.joining(", "));
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "an object";
    }

    /** {@code value} (a record, a map) as the JSON object a journal line holds: plain maps, lists and scalars. */
    static LinkedHashMap<String, Object> object(Object value) {
        return MAPPER.convertValue(value, OBJECT);
    }
}
