package dev.gafail.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import dev.gafail.engine.Json;
import dev.gafail.yaml.JsonSchemas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** The JSON Schema that {@code gafail schema status} prints, checking documents that {@code status --output json} printed. */
public final class StatusSchema {

    private static Schema schema;

    private StatusSchema() {
    }

    /** Fails unless {@code status} is valid, naming every error. */
    public static void assertValid(JsonNode status) {
        List<String> errors = schema().validate(status).stream().map(Error::toString).toList();
        assertEquals(List.of(), errors, status.toString());
    }

    private static synchronized Schema schema() {
        if (schema == null) {
            try {
                Path home = Files.createTempDirectory("gafail-schema");
                CliRun.Result printed = CliRun.in(home).run("schema", "status");
                assertEquals(0, printed.code(), printed.toString());
                schema = JsonSchemas.of(Json.MAPPER.readTree(printed.out()));
                Files.delete(home);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return schema;
    }
}
