package dev.gafail.aws;

import software.amazon.awssdk.core.exception.SdkClientException;

/** An SDK call that got no answer from its location, or was not made because the location had none before. */
final class UnreachableApiException extends SdkClientException {

    private final String api;

    UnreachableApiException(String api, String message, Throwable cause) {
        super(SdkClientException.builder().message(message).cause(cause));
        this.api = api;
    }

    /** What did not answer: "us-east-1's AWS APIs (region-a)". */
    String api() {
        return api;
    }
}
