package dev.gafail.cli;

import dev.gafail.engine.Event;
import dev.gafail.engine.EventType;
import dev.gafail.engine.ExecutionStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Keeps a drill's or a failover's report beside its journal, in every {@link ReportFormat}, each time one of
 * them ends (a resumed one is written again): the evidence of what was done, when, by whom, what users saw,
 * against which targets. The commands that begin such an execution are named in its start event.
 */
final class Reports {

    private static final List<String> REPORTED = List.of("gafail drill", "gafail failover");

    private Reports() {
    }

    /** Writes the report of {@code id} if it is a drill's or a failover's, and says where its page is, on stderr. */
    static void keep(Gafail gafail, String id) {
        ExecutionStore store = gafail.session().store();
        try {
            ExecutionStore.Stored stored = store.load(id, gafail.context().clock());
            if (!reported(stored.events())) {
                return;
            }
            String page = null;
            for (ReportFormat format : ReportFormat.values()) {
                String where = store.backend().keep(id, format.file(),
                        format.render(stored, store.backend()).getBytes(StandardCharsets.UTF_8));
                page = page == null ? where : page;
            }
            gafail.context().err().println("report: " + page + " (again: gafail report " + id + ")");
        } catch (RuntimeException e) {
            // the execution has ended as it says; a report that could not be kept is written again on demand
            gafail.context().err().println("gafail: could not keep the report of " + id + " (" + e.getMessage()
                    + "); write it with: gafail report " + id);
        }
        gafail.context().err().flush();
    }

    private static boolean reported(List<Event> events) {
        Optional<String> command = events.stream().filter(e -> e.type() == EventType.EXECUTION_STARTED).findFirst()
                .map(e -> e.text("command"));
        return command.filter(c -> REPORTED.stream().anyMatch(c::startsWith)).isPresent();
    }
}
