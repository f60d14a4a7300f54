package dev.gafail.aws;

import software.amazon.awssdk.core.exception.SdkClientException;

/** An SDK call that got no answer from its location, or was not made because the location had none before. */
final class UnreachableApiException extends SdkClientException {

    private final String api;
    private final boolean lost;

    /** @param lost whether the location is now lost for the rest of the command (else a later call may answer) */
    UnreachableApiException(String api, String message, boolean lost) {
        super(SdkClientException.builder().message(message));
        this.api = api;
        this.lost = lost;
    }

    boolean lost() {
        return lost;
    }

    /** What did not answer: "us-east-1's AWS APIs (region-a)". */
    String api() {
        return api;
    }
}
