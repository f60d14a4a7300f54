package dev.gafail.cli;

import dev.gafail.engine.ExecutionStore;
import dev.gafail.engine.ExecutionSummary;
import dev.gafail.engine.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An execution's report as one self-contained HTML page, readable with no network: its timeline drawn by
 * Apache ECharts (inlined from its webjar) from the journal's data, and the execution as {@code gafail show}
 * prints it (timeline, objectives, verdict).
 */
final class ReportPage {

    private static final String WEBJAR = "META-INF/resources/webjars/echarts/";
    private static final Pattern SLOT = Pattern.compile("\\{\\{(\\w+)}}");

    private ReportPage() {
    }

    static String html(ExecutionStore.Stored stored) {
        ExecutionSummary summary = stored.summary();
        String title = "gafail " + summary.runbook() + " " + summary.id() + " · " + summary.status().wire();
        StringWriter text = new StringWriter();
        ExecutionText.print(stored, new PrintWriter(text), false);
        Map<String, Object> data = new LinkedHashMap<>(Json.MAPPER.convertValue(ReportTimeline.of(stored.events()),
                Map.class));
        data.put("title", title);
        String version = echartsVersion();
        Map<String, String> slots = Map.of(
                "title", escape(title),
                "text", escape(text.toString()),
                // inside a script element, "</" would end it early
                "data", Json.MAPPER.writeValueAsString(data).replace("</", "<\\/"),
                "echarts", resource(WEBJAR + version + "/dist/echarts.min.js"),
                "echartsVersion", version,
                "chart", resource("dev/gafail/cli/report.js"));
        Matcher slot = SLOT.matcher(resource("dev/gafail/cli/report.html"));
        StringBuilder page = new StringBuilder();
        while (slot.find()) {
            slot.appendReplacement(page, Matcher.quoteReplacement(slots.get(slot.group(1))));
        }
        slot.appendTail(page);
        return page.toString();
    }

    /** The version of the ECharts webjar on the class path, as its Maven properties say. */
    private static String echartsVersion() {
        Properties pom = new Properties();
        try (InputStream in = open("META-INF/maven/org.webjars.npm/echarts/pom.properties")) {
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pom.getProperty("version");
    }

    private static String resource(String name) {
        try (InputStream in = open(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(String name) throws IOException {
        InputStream in = ReportPage.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is missing from gafail's class path: rebuild gafail");
        }
        return in;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
