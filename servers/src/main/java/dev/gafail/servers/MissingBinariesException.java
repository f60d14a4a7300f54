package dev.gafail.servers;

/**
 * This platform, build or machine cannot run a server binary; the message is one line naming the
 * platform or the binary and what is missing.
 */
public final class MissingBinariesException extends IllegalStateException {

    MissingBinariesException(String message) {
        super(message);
    }
}
