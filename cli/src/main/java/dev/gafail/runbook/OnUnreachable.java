package dev.gafail.runbook;

import java.util.Locale;

/** What the engine does when a step's region or control plane does not answer (a region lost). */
public enum OnUnreachable {
    /** The step fails, and its {@code onFailure} decides. */
    FAIL,
    /** The step is journalled as deferred, the execution goes on, and {@code gafail reconcile} completes it later. */
    DEFER;

    public static OnUnreachable fromYaml(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
