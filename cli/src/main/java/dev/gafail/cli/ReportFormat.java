package dev.gafail.cli;

import dev.gafail.engine.Event;
import dev.gafail.engine.EventType;
import dev.gafail.engine.ExecutionStore;
import dev.gafail.engine.Json;
import dev.gafail.engine.StateBackend;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The forms of an execution's report, each the file name it is kept under beside the journal. */
enum ReportFormat {
    HTML("report.html"), MD("report.md"), JSON("report.json");

    private final String file;

    ReportFormat(String file) {
        this.file = file;
    }

    String file() {
        return file;
    }

    /** The report of {@code stored}; the JSON one holds the raw samples its loads kept beside the journal in {@code state}. */
    String render(ExecutionStore.Stored stored, StateBackend state) {
        return switch (this) {
            case HTML -> ReportPage.html(stored);
            case MD -> {
                StringWriter text = new StringWriter();
                ExecutionText.print(stored, new PrintWriter(text), true);
                yield text.toString();
            }
            case JSON -> {
                Map<String, Object> whole = ExecutionText.json(stored);
                whole.put("timeline", ReportTimeline.of(stored.events()));
                whole.put("samples", samples(stored, state));
                yield Json.MAPPER.writeValueAsString(whole) + "\n";
            }
        };
    }

    /** Every request of each load the execution stopped, by the step that stopped it, as its file keeps them. */
    private static Map<String, List<JsonNode>> samples(ExecutionStore.Stored stored, StateBackend state) {
        Map<String, List<JsonNode>> out = new LinkedHashMap<>();
        for (Event e : stored.events()) {
            if (e.type() == EventType.STEP_SUCCEEDED && "load.stop".equals(e.action())
                    && e.get("outputs") instanceof Map<?, ?> outputs && outputs.get("samples") instanceof String file) {
                state.kept(stored.summary().id(), file).ifPresent(bytes -> out.put(e.step(),
                        new String(bytes, StandardCharsets.UTF_8).lines().map(Json.MAPPER::readTree).toList()));
            }
        }
        return out;
    }
}
