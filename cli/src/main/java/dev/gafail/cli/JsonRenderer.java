package dev.gafail.cli;

import dev.gafail.engine.Event;
import dev.gafail.engine.EventListener;
import dev.gafail.engine.EventType;
import dev.gafail.engine.Json;
import java.io.PrintWriter;

/** {@code --output json}: one JSON object per event, one per line, as the journal has them. */
final class JsonRenderer implements EventListener {

    private final PrintWriter out;

    JsonRenderer(PrintWriter out) {
        this.out = out;
    }

    @Override
    public synchronized void on(Event event) {
        if (event.type() == EventType.PROGRESS) {
            return;
        }
        out.println(Json.MAPPER.writeValueAsString(event));
        out.flush();
    }
}
