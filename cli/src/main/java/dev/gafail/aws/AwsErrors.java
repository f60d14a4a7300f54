package dev.gafail.aws;

import dev.gafail.engine.CredentialsLost;
import dev.gafail.engine.LockLost;
import dev.gafail.engine.StepFailure;
import dev.gafail.engine.Unreachable;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
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
        if (timedOut(e)) {
            return operation + ": timed out (" + e.getMessage() + ")";
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst()
                .orElse("");
        return operation + ": " + message;
    }

    /** The codes AWS answers a request signed with a session token past its end with. */
    private static final Set<String> EXPIRED_TOKEN = Set.of("ExpiredToken", "ExpiredTokenException");

    /**
     * A step failure for {@code e}: retryable when trying again may help (throttling, 5xx, the network,
     * a timeout); {@link CredentialsLost} when the credentials ended and cannot be renewed here.
     */
    public static StepFailure failure(String operation, SdkException e) {
        Optional<LockLost> lockLost = found(e, LockLost.class);
        if (lockLost.isPresent()) {
            // Not a step's failure: the execution may not go on, so it leaves the step as it is.
            throw lockLost.get();
        }
        Optional<UnreachableApiException> unreachable = found(e, UnreachableApiException.class);
        if (unreachable.isPresent()) {
            return new Unreachable(unreachable.get().api(), operation + ": " + unreachable.get().getMessage(),
                    !unreachable.get().lost(), e);
        }
        Optional<CredentialsUnavailableException> lost = found(e, CredentialsUnavailableException.class);
        if (lost.isPresent()) {
            return new CredentialsLost(lost.get().getMessage(), e);
        }
        // An answer with no error code (an emulator's HTML page for a service it lacks) has none to match.
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null
                && service.awsErrorDetails().errorCode() != null
                && EXPIRED_TOKEN.contains(service.awsErrorDetails().errorCode())) {
            return new CredentialsLost(describe(operation, e) + "; renew the AWS credentials", e);
        }
        return new StepFailure(describe(operation, e), transientError(e), e);
    }

    /**
     * The first {@code type} among {@code e}'s causes and what they suppressed: what {@link
     * ReachabilityGuard} said of a call's location, or why the credentials could not be had.
     */
    private static <T extends Throwable> Optional<T> found(Throwable e, Class<T> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return Optional.of(type.cast(cause));
            }
            for (Throwable suppressed : cause.getSuppressed()) {
                if (type.isInstance(suppressed)) {
                    return Optional.of(type.cast(suppressed));
                }
            }
        }
        return Optional.empty();
    }

    /** Runs one SDK call, turning its exception into a step failure that names the operation. */
    public static <T> T call(String operation, Supplier<T> call) throws StepFailure {
        try {
            return call.get();
        } catch (SdkException e) {
            throw failure(operation, e);
        }
    }

    /**
     * Whether the same call may succeed when tried again: throttling, a 5xx, a call or attempt that
     * timed out, a connection refused, reset or timed out. Not an answer that could not be read
     * (an unmarshalling error is an {@link SdkClientException} too), nor any other 4xx.
     */
    public static boolean transientError(SdkException e) {
        if (e instanceof AwsServiceException service) {
            return service.isThrottlingException() || service.statusCode() >= 500;
        }
        return unanswered(e);
    }

    /** Whether the call got no answer at all: no connection, or none within its time limit. */
    public static boolean unanswered(Throwable e) {
        return timedOut(e) || network(e);
    }

    /** Whether the call got no answer within its time limit (the client's call or attempt timeout). */
    public static boolean timedOut(Throwable e) {
        return e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException;
    }

    private static boolean network(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketException || cause instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
