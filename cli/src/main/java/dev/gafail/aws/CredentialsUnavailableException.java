package dev.gafail.aws;

import software.amazon.awssdk.core.exception.SdkClientException;

/** The credentials could not be had (or renewed): the message is one line that says what to do, and holds no secret. */
final class CredentialsUnavailableException extends SdkClientException {

    CredentialsUnavailableException(String message, Throwable cause) {
        super(SdkClientException.builder().message(message).cause(cause));
    }
}
