package dev.gafail.cli;

import dev.gafail.engine.Event;
import dev.gafail.engine.EventType;
import dev.gafail.engine.Phase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a report's chart draws, read from an execution's journal alone (so any machine that shares the state
 * can draw it again): what users saw interval by interval ({@code load.stop}'s timeline), the main steps as
 * phases, each fault's window, the writer's moves, the dials at each stage of the traffic steps, and the alarm
 * states the checks read.
 */
record ReportTimeline(Instant start, Instant end, List<Map<String, Object>> users, List<Span> phases,
                      List<Span> faults, List<Mark> writer, List<Dial> dials, List<Mark> alarms) {

    /** A stretch of time: a phase (a main step, with how it ended) or a fault. */
    record Span(String name, Instant start, Instant end, String outcome) {
    }

    /** A moment and what happened then: the writer moved to a region, an alarm read in a state. */
    record Mark(Instant at, String label) {
    }

    /** A region's traffic dial from {@code at} on. */
    record Dial(Instant at, String region, int dial) {
    }

    static ReportTimeline of(List<Event> events) {
        Instant start = events.isEmpty() ? Instant.EPOCH : events.get(0).time();
        Instant end = events.isEmpty() ? start : events.get(events.size() - 1).time();
        List<Map<String, Object>> users = List.of();
        Map<String, Instant> begun = new LinkedHashMap<>();
        List<Span> phases = new ArrayList<>();
        List<Span> faults = new ArrayList<>();
        List<Instant> faultStarts = new ArrayList<>();
        List<String> faultNames = new ArrayList<>();
        List<Mark> writer = new ArrayList<>();
        List<Dial> dials = new ArrayList<>();
        List<Mark> alarms = new ArrayList<>();
        Map<String, Object> alarmStates = new LinkedHashMap<>();
        for (Event e : events) {
            boolean main = e.phase() == Phase.STEP && e.step() != null && !e.step().contains("/");
            if (main && e.type() == EventType.STEP_STARTED) {
                begun.put(e.step(), e.time());
            }
            if (main && ends(e.type()) && begun.containsKey(e.step())) {
                phases.add(new Span(e.step(), begun.remove(e.step()), e.time(), e.type().wire().substring(5)));
            }
            if (e.type() != EventType.STEP_SUCCEEDED || !(e.get("outputs") instanceof Map<?, ?> outputs)) {
                continue;
            }
            switch (String.valueOf(e.action())) {
                case "load.stop" -> users = intervals(outputs.get("timeline"));
                case "fis.experiment" -> {
                    Instant began = instant(outputs.get("startedAt"), e.time());
                    if ("condition".equals(outputs.get("endedBy"))) {
                        alarms.add(new Mark(e.time(), e.step() + ": its condition held (detected)"));
                    }
                    if ("running".equals(outputs.get("status"))) {
                        faultStarts.add(began);
                        faultNames.add(e.step());
                    } else {
                        faults.add(new Span(e.step(), began, e.time(), String.valueOf(outputs.get("status"))));
                    }
                }
                case "fis.stop" -> {
                    for (int i = 0; i < faultStarts.size(); i++) {
                        faults.add(new Span(faultNames.get(i), faultStarts.get(i), e.time(), "stopped"));
                    }
                    faultStarts.clear();
                    faultNames.clear();
                }
                case "aurora.switchover", "aurora.failover" -> writer.add(new Mark(instant(outputs.get("decidedAt"),
                        e.time()), "writer → " + outputs.get("to")));
                case "traffic.shift" -> {
                    // each stage as it was reached; where a journal has none, the dials as the step left them
                    if (outputs.get("stages") instanceof List<?> stages && !stages.isEmpty()) {
                        for (Object stage : stages) {
                            if (stage instanceof Map<?, ?> reached) {
                                dials(dials, instant(reached.get("at"), e.time()), reached.get("dials"));
                            }
                        }
                    } else {
                        dials(dials, e.time(), outputs.get("dials"));
                    }
                }
                case "traffic.set" -> dials.add(new Dial(e.time(), String.valueOf(outputs.get("region")),
                        ((Number) outputs.get("dial")).intValue()));
                case "cloudwatch.alarms" -> {
                    if (outputs.get("alarms") instanceof Map<?, ?> read) {
                        read.forEach((alarm, state) -> {
                            // a check reads the same states again and again: a mark is a change
                            if (!state.equals(alarmStates.put(String.valueOf(alarm), state))) {
                                alarms.add(new Mark(e.time(), alarm + " " + state));
                            }
                        });
                    }
                }
                default -> { }
            }
        }
        for (int i = 0; i < faultStarts.size(); i++) {
            faults.add(new Span(faultNames.get(i), faultStarts.get(i), end, "running at the end"));
        }
        return new ReportTimeline(start, end, users, phases, faults, writer, dials, alarms);
    }

    /** Each region's dial of {@code set} (a map of region to dial) from {@code at} on. */
    private static void dials(List<Dial> dials, Instant at, Object set) {
        if (set instanceof Map<?, ?> byRegion) {
            byRegion.forEach((region, dial) -> dials.add(new Dial(at, String.valueOf(region), ((Number) dial).intValue())));
        }
    }

    private static boolean ends(EventType type) {
        return type == EventType.STEP_SUCCEEDED || type == EventType.STEP_FAILED || type == EventType.STEP_SKIPPED
                || type == EventType.STEP_DEFERRED;
    }

    private static Instant instant(Object value, Instant otherwise) {
        return value == null ? otherwise : Instant.parse(String.valueOf(value));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> intervals(Object timeline) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (timeline instanceof List<?> items) {
            items.stream().filter(Map.class::isInstance).forEach(i -> out.add((Map<String, Object>) i));
        }
        return out;
    }
}
