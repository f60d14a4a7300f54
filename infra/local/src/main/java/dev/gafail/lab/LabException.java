package dev.gafail.lab;

/** The lab cannot do what was asked; the message says why and, where it can, what to do. */
public final class LabException extends Exception {

    public LabException(String message) {
        super(message);
    }

    public LabException(String message, Throwable cause) {
        super(message, cause);
    }
}
