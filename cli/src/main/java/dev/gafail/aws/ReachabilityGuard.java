package dev.gafail.aws;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * One client's view of {@link Reachability}: a call to a location already lost fails before it is
 * sent, as {@link UnreachableApiException}; a call that gets no answer carries one as a suppressed
 * exception (the SDK lets an interceptor change an exception's content, not its class), which
 * {@link AwsErrors#failure} reads, and marks its location lost if it is a suspect.
 */
final class ReachabilityGuard implements ExecutionInterceptor {

    /** Set once any attempt of a call got an HTTP answer: a call that timed out while throttled was answered. */
    private static final ExecutionAttribute<Boolean> ANSWERED = new ExecutionAttribute<>("gafail.answered");

    private final Reachability reachability;
    private final String location;
    private final String api;
    private final boolean suspect;

    ReachabilityGuard(Reachability reachability, String service, String awsRegion) {
        this.reachability = reachability;
        this.location = Reachability.location(service, awsRegion);
        this.api = reachability.describe(service, awsRegion);
        this.suspect = reachability.suspect(location);
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        reachability.lost(location).ifPresent(why -> {
            throw new UnreachableApiException(api, api + " did not answer earlier in this command (" + why
                    + "); not called again", true);
        });
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        attributes.putAttribute(ANSWERED, true);
    }

    @Override
    public Throwable modifyException(Context.FailedExecution context, ExecutionAttributes attributes) {
        Throwable failure = context.exception();
        if (!(failure instanceof SdkException sdk) || failure instanceof UnreachableApiException
                || !AwsErrors.unanswered(failure) || Boolean.TRUE.equals(attributes.getAttribute(ANSWERED))) {
            return failure;
        }
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        String why = AwsErrors.describe(operation == null ? "call" : operation, sdk);
        if (suspect) {
            reachability.markLost(location, why);
        }
        failure.addSuppressed(new UnreachableApiException(api, api + " did not answer: " + why, suspect));
        return failure;
    }
}
