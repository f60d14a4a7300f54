package dev.gafail.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A drill's journal, as gafail writes one, in a state folder: a fault, a switch of the writer, a shift of
 * the dials in stages, alarms read, and the users' timeline, with their raw samples kept beside it; for the
 * reports drawn from it.
 */
public final class DrillJournal {

    public static final String ID = "20261130-101500-ab12";

    private DrillJournal() {
    }

    /** Writes the journal into the state folder {@code home}. */
    public static void write(Path home) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(event("execution-started", "10:15:00", null, null, """
                "data": {"user": "oncall", "host": "laptop", "pid": 1, "runbook": "drill", "command": "gafail drill --yes",
                         "params": {}, "lockScope": "topology:lab", "journalFormat": 3}"""));
        lines.addAll(step("users", "load.start", "10:15:01", "10:15:02", "{\"name\": \"load\"}"));
        lines.addAll(step("degrade", "fis.experiment", "10:15:10", "10:15:12", """
                {"experimentId": "EXP1", "status": "running", "endedBy": "condition", "startedAt": "2026-11-30T10:15:10Z",
                 "seconds": 2}"""));
        lines.addAll(step("failover/switch-writer", "aurora.switchover", "10:15:20", "10:15:22", """
                {"to": "region-b", "from": "region-a", "decidedAt": "2026-11-30T10:15:21Z"}"""));
        lines.addAll(step("failover/shift-traffic", "traffic.shift", "10:15:23", "10:15:30",
                """
                {"to": "region-b", "dials": {"region-a": 0, "region-b": 100}, "seconds": 7, "stages": [
                  {"percent": 10, "at": "2026-11-30T10:15:24Z", "dials": {"region-a": 90, "region-b": 100}},
                  {"percent": 50, "at": "2026-11-30T10:15:27Z", "dials": {"region-a": 50, "region-b": 100}},
                  {"percent": 100, "at": "2026-11-30T10:15:30Z", "dials": {"region-a": 0, "region-b": 100}}]}"""));
        lines.addAll(step("failover/target-alarms-ok", "cloudwatch.alarms", "10:15:31", "10:15:31",
                "{\"alarms\": {\"region-b/lab-5xx\": \"OK\"}}"));
        lines.addAll(step("recheck", "cloudwatch.alarms", "10:15:32", "10:15:32",
                "{\"alarms\": {\"region-b/lab-5xx\": \"OK\"}}"));
        lines.addAll(step("end-fault", "fis.stop", "10:15:40", "10:15:42", "{\"stopped\": [\"EXP1\"]}"));
        lines.addAll(step("users-end", "load.stop", "10:15:50", "10:15:51", """
                {"timeline": [
                  {"at": "2026-11-30T10:15:01Z", "load": {"requests": 25, "failed": 0, "errorRate": 0, "p95": 12.5,
                   "regions": {"region-a": 25}}},
                  {"at": "2026-11-30T10:15:11Z", "load": {"requests": 25, "failed": 5, "errorRate": 20, "p95": 40.1,
                   "regions": {"region-b": 20}}}],
                 "samples": "users-end.samples.jsonl"}"""));
        lines.add(event("execution-finished", "10:15:52", null, "drill </script><b>done</b>",
                "\"data\": {\"status\": \"succeeded\", \"exitCode\": 0}"));
        Path execution = Files.createDirectories(home.resolve("executions").resolve(ID));
        Files.write(execution.resolve("journal.jsonl"), lines);
        Files.writeString(execution.resolve("users-end.samples.jsonl"), """
                {"at":"2026-11-30T10:15:01.020Z","latencyMs":12,"write":false,"status":200,"region":"region-a"}
                {"at":"2026-11-30T10:15:11.500Z","latencyMs":3001,"write":true,"status":0,"region":""}
                """);
    }

    private static List<String> step(String id, String action, String start, String end, String outputs) {
        return List.of(event("step-started", start, id, null, "\"phase\": \"step\", \"action\": \"" + action + "\""),
                event("step-succeeded", end, id, null, "\"phase\": \"step\", \"action\": \"" + action
                        + "\", \"data\": {\"outputs\": " + outputs + "}"));
    }

    private static String event(String type, String time, String step, String message, String rest) {
        return ("{\"type\": \"" + type + "\", \"time\": \"2026-11-30T" + time + "Z\", \"execution\": \"" + ID + "\""
                + (step == null ? "" : ", \"step\": \"" + step + "\"")
                + (message == null ? "" : ", \"message\": \"" + message + "\"") + ", " + rest + "}")
                .replace("\n", " ");
    }

}
