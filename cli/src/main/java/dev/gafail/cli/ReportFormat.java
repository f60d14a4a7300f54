package dev.gafail.cli;

import dev.gafail.engine.ExecutionStore;
import dev.gafail.engine.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

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

    String render(ExecutionStore.Stored stored) {
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
                yield Json.MAPPER.writeValueAsString(whole) + "\n";
            }
        };
    }
}
