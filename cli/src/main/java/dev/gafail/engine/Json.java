package dev.gafail.engine;

import dev.gafail.yaml.Durations;
import java.time.Duration;
import java.util.LinkedHashMap;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
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

    /** {@code value} (a record, a map) as the JSON object a journal line holds: plain maps, lists and scalars. */
    static LinkedHashMap<String, Object> object(Object value) {
        return MAPPER.convertValue(value, OBJECT);
    }
}
