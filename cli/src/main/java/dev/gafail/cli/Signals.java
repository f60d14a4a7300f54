package dev.gafail.cli;

import dev.gafail.engine.StopSignal;
import java.io.PrintWriter;
import sun.misc.Signal;

/**
 * Ctrl-C, SIGTERM and a dropped terminal (SIGHUP) ask a running execution to stop at its next
 * safe point; a second signal quits at once (the journal still says where things stand). With no
 * execution running, a signal quits at once as usual.
 */
final class Signals {

    private Signals() {
    }

    static void install(StopSignal stop, PrintWriter err) {
        for (String name : new String[] {"INT", "TERM", "HUP"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    if (!stop.armed() || stop.requested()) {
                        Runtime.getRuntime().halt(128 + signal.getNumber());
                    }
                    stop.request("SIG" + signal.getName());
                    err.println();
                    err.println("gafail: SIG" + signal.getName() + " received; stopping at the next safe point"
                            + " (send it again to quit at once)");
                    err.flush();
                });
            } catch (IllegalArgumentException e) {
                // The platform lacks this signal (HUP on Windows); the others still work.
            }
        }
    }
}
