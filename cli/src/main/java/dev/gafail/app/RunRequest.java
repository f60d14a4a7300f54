package dev.gafail.app;

import dev.gafail.runbook.Runbook;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Run {@code runbook} with the parameter values given (as text: {@code --set}), or with {@code dryRun}
 * plan it: what {@code run}, {@code plan}, {@code failover} and the demo ask of a {@link Session}.
 */
public record RunRequest(Runbook runbook, Map<String, String> values, ChangeRequest change, boolean dryRun) {

    public RunRequest {
        // In the order given: errors about them are listed in that order.
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
