package dev.gafail.aws;

import dev.gafail.engine.StepFailure;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** AWS errors as an operator needs them: the service's code and message, and the request id to quote to AWS support. */
public final class AwsErrors {

    private AwsErrors() {
    }

    /** {@code "UpdateEndpointGroup: ThrottlingException: Rate exceeded (HTTP 400, request id 1a2b)"}. */
    public static String describe(String operation, SdkException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            String code = service.awsErrorDetails().errorCode();
            String message = service.awsErrorDetails().errorMessage();
            return operation + ": " + (code == null ? "error" : code) + (message == null ? "" : ": " + message)
                    + " (HTTP " + service.statusCode() + ", request id "
                    + (service.requestId() == null ? "none" : service.requestId()) + ")";
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst()
                .orElse("");
        return operation + ": " + message;
    }

    /** A step failure for {@code e}: retryable when trying again may help (throttling, 5xx, the network). */
    public static StepFailure failure(String operation, SdkException e) {
        return new StepFailure(describe(operation, e), transientError(e), e);
    }

    /** Runs one SDK call, turning its exception into a step failure that names the operation. */
    public static <T> T call(String operation, Supplier<T> call) throws StepFailure {
        try {
            return call.get();
        } catch (SdkException e) {
            throw failure(operation, e);
        }
    }

    public static boolean transientError(SdkException e) {
        if (e instanceof AwsServiceException service) {
            return service.isThrottlingException() || service.statusCode() >= 500 || e.retryable();
        }
        return e instanceof SdkClientException || e.retryable();
    }
}
