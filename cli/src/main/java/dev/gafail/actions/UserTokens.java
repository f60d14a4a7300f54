package dev.gafail.actions;

import java.util.Optional;

/**
 * Where a synthetic user's bearer token comes from: the environment variable a step names, else what
 * the target itself gives (a lab signs its own). Tokens are secrets: never output, journalled or logged.
 */
@FunctionalInterface
public interface UserTokens {

    /** None anywhere. */
    UserTokens NONE = variable -> Optional.empty();

    Optional<String> token(String variable);
}
