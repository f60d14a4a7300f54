package dev.gafail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.engine.Json;
import dev.gafail.testing.CliRun;
import dev.gafail.testing.DrillJournal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code gafail report}: a drill's report written again from its journal alone, as JSON with the timeline
 * its chart draws, as markdown, and as one HTML page that carries its chart library and its data.
 */
class ReportTest {

    private static final String ID = DrillJournal.ID;

    @TempDir
    Path home;

    @Test
    void theJsonReportCarriesTheTimelineTheChartDraws() throws Exception {
        DrillJournal.write(home);

        CliRun.Result json = CliRun.in(home).run("report", ID, "--format", "json");

        assertEquals(0, json.code(), json.toString());
        JsonNode timeline = Json.MAPPER.readTree(json.out()).path("timeline");
        List<String> phases = new ArrayList<>();
        timeline.path("phases").forEach(p -> phases.add(p.path("name").asString()));
        assertEquals(List.of("users", "degrade", "recheck", "end-fault", "users-end"), phases,
                "the main steps; a child's are inside its step");
        assertEquals("2026-11-30T10:15:10Z", timeline.at("/faults/0/start").asString());
        assertEquals("2026-11-30T10:15:42Z", timeline.at("/faults/0/end").asString(), "until fis.stop ended it");
        assertEquals("writer → region-b", timeline.at("/writer/0/label").asString());
        List<String> dials = new ArrayList<>();
        timeline.path("dials").forEach(d -> {
            if (d.path("region").asString().equals("region-a")) {
                dials.add(d.path("at").asString().substring(14, 19) + " " + d.path("dial").asInt());
            }
        });
        assertEquals(List.of("15:24 90", "15:27 50", "15:30 0"), dials, "region-a's dial at each stage");
        assertEquals(List.of("degrade: its condition held (detected)", "region-b/lab-5xx OK"),
                List.of(timeline.at("/alarms/0/label").asString(), timeline.at("/alarms/1/label").asString()));
        assertEquals(2, timeline.path("alarms").size(), "a state read again is no new mark");
        assertEquals(2, timeline.path("users").size());
        JsonNode samples = Json.MAPPER.readTree(json.out()).at("/samples/users-end");
        assertEquals(2, samples.size(), "every request the load sent, kept beside the journal: " + samples);
        assertEquals(3001, samples.at("/1/latencyMs").asInt());
        assertEquals(0, samples.at("/1/status").asInt(), "a request no answer came to");
    }

    @Test
    void thePageCarriesItsChartLibraryAndItsDataAndNoTextCanEndAScriptEarly() throws Exception {
        DrillJournal.write(home);
        Path page = home.resolve("report.html");

        CliRun.Result html = CliRun.in(home).run("report", ID.substring(0, 10), "--out", page.toString());

        assertEquals(0, html.code(), html.toString());
        String text = Files.readString(page);
        assertTrue(text.contains("echarts.init") && text.contains("Apache ECharts"), "the chart and its library");
        assertFalse(text.contains("src=\"http") || text.contains("href=\"http"), "nothing fetched from the network");
        assertEquals(3, text.split("</script>", -1).length - 1, "the three scripts end where they should: " + html);
        assertTrue(text.contains("drill &lt;/script&gt;&lt;b&gt;done&lt;/b&gt;"), "the text shown, escaped");
    }

    @Test
    void markdownIsTheTimelineAsShowPrintsItAndAnUnknownFormatIsOneLineExit2() throws Exception {
        DrillJournal.write(home);

        CliRun.Result md = CliRun.in(home).run("report", ID, "--format", "md");
        CliRun.Result pdf = CliRun.in(home).run("report", ID, "--format", "pdf");

        assertEquals(0, md.code(), md.toString());
        assertTrue(md.out().contains("| time | elapsed | what |"), md.out());
        assertEquals(2, pdf.code(), pdf.toString());
        assertEquals("gafail: --format pdf: one of html, md, json", pdf.err().strip());
    }
}
