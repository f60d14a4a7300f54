package dev.gafail.servers;

/** This platform or build lacks a server binary; the message is one line naming the platform and what is missing. */
public final class MissingBinariesException extends IllegalStateException {

    MissingBinariesException(String message) {
        super(message);
    }
}
