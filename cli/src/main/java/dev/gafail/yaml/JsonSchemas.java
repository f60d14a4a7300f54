package dev.gafail.yaml;

import com.networknt.schema.ExecutionContext;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.format.Format;
import tools.jackson.databind.JsonNode;

/**
 * JSON Schema as gafail's files use it: draft 2020-12 with formats asserted, and the format
 * {@value #DURATION_FORMAT}, a duration that {@link Durations#parse} accepts. A pattern can say
 * "digits and units" but not "at most 720h", and {@code 9999999999999999999h} overflows.
 */
public final class JsonSchemas {

    public static final String DURATION_FORMAT = "gafail-duration";

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDialect(
            Dialect.builder(Dialects.getDraft202012()).format(new DurationFormat()).build(),
            builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder()
                    .formatAssertionsEnabled(true).build()));

    private JsonSchemas() {
    }

    public static Schema of(JsonNode document) {
        return REGISTRY.getSchema(document);
    }

    private static final class DurationFormat implements Format {

        @Override
        public String getName() {
            return DURATION_FORMAT;
        }

        @Override
        public boolean matches(ExecutionContext context, String value) {
            return Durations.parse(value).isPresent();
        }
    }
}
