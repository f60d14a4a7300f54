package dev.gafail.sample;

import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON line per request on stdout: time, level, region, requestId, method, path, status,
 * latencyMs. Never headers or bodies, so tokens and note contents stay out of logs.
 */
final class RequestLog {

    private final PrintStream out;
    private final String region;
    private final Clock clock;

    RequestLog(PrintStream out, String region, Clock clock) {
        this.out = out;
        this.region = region;
        this.clock = clock;
    }

    void request(Call call, long latencyMs) {
        Map<String, Object> line = line(call.status() >= 500 ? "WARN" : "INFO", call);
        line.put("status", call.status());
        line.put("latencyMs", latencyMs);
        print(line);
    }

    void failure(Call call, RuntimeException e) {
        Map<String, Object> line = line("ERROR", call);
        String detail = String.valueOf(e.getMessage());
        line.put("error", e.getClass().getName() + ": " + detail.lines().findFirst().orElse(""));
        print(line);
    }

    void event(String level, String message) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", clock.instant().toString());
        line.put("level", level);
        line.put("region", region);
        line.put("message", message);
        print(line);
    }

    private Map<String, Object> line(String level, Call call) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", clock.instant().toString());
        line.put("level", level);
        line.put("region", region);
        line.put("requestId", call.requestId());
        line.put("method", call.method());
        line.put("path", call.path());
        return line;
    }

    private void print(Map<String, Object> line) {
        String text = Json.MAPPER.writeValueAsString(line);
        synchronized (out) {
            out.println(text);
            out.flush();
        }
    }
}
