package dev.gafail.engine;

/** The operator declined, or could not be asked; the execution stops, resumable, with exit 4. */
public final class OperatorAbort extends Exception {

    public OperatorAbort(String message) {
        super(message);
    }
}
