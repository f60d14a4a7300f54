package dev.gafail.runbook;

import java.util.Optional;
import java.util.SortedSet;
import tools.jackson.databind.JsonNode;

/** What the runbook language needs to know of the step types: their names and parameter schemas. */
public interface ActionCatalog {

    SortedSet<String> actionNames();

    /** The JSON Schema of the action's {@code with}, or empty for an unknown action. */
    Optional<JsonNode> parameterSchema(String action);

    /** Whether the action never changes anything, so it may serve as a precondition or a check. */
    boolean readOnly(String action);
}
