package dev.gafail.aws;

import dev.gafail.engine.ExitCode;
import dev.gafail.engine.GafailException;
import dev.gafail.yaml.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.utils.IoUtils;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The credentials every client of a command signs with. A failure to get or renew them becomes one
 * line that says where they come from and what renews them ({@code run: aws sso login --profile
 * NAME}), never the SDK's chain of provider messages, and never a key or token.
 */
public final class OperatorCredentials implements AwsCredentialsProvider, SdkAutoCloseable {

    private final CredentialSources.Found found;

    OperatorCredentials(CredentialSources.Found found) {
        this.found = found;
    }

    /** What the credentials are, in words: "profile oncall (IAM Identity Center, role Operator in 1111...)". */
    public String source() {
        return found.source();
    }

    @Override
    public AwsCredentials resolveCredentials() {
        try {
            return found.provider().resolveCredentials();
        } catch (RuntimeException e) {
            throw new CredentialsUnavailableException(describe(e), e);
        }
    }

    /**
     * Has the credentials once, before anything is called.
     *
     * @throws GafailException exit 3, one line saying what renews them
     */
    public void require() {
        try {
            resolveCredentials();
        } catch (CredentialsUnavailableException e) {
            throw unavailable(e.getMessage());
        }
    }

    /**
     * Until when these credentials can be had without the operator: empty when they renew themselves
     * (a role assumed from long-lived keys, a refreshable SSO session, a process) or their end is not
     * told.
     *
     * @throws GafailException exit 3 when they cannot be had now
     */
    public Optional<Instant> until() {
        require();
        try {
            return found.until().get();
        } catch (RuntimeException e) {
            throw unavailable(describe(e));
        }
    }

    /**
     * A warning when these credentials end before {@code needed} from {@code now} has passed, and
     * cannot renew themselves: an execution would stop there (resumable), so renew them first.
     */
    public Optional<String> expiryWarning(Instant now, Duration needed) {
        return until().filter(end -> end.isBefore(now.plus(needed))).map(end -> "the AWS credentials ("
                + source() + ") end at " + end + ", in " + Durations.human(Duration.between(now, end)) + ", before this run may"
                + " end (" + Durations.human(needed) + "); the run would stop there, resumably. To avoid it, first: "
                + found.renew());
    }

    private static GafailException unavailable(String message) {
        return new GafailException(ExitCode.PRECONDITIONS_NOT_MET, message + "; nothing was changed");
    }

    private String describe(RuntimeException e) {
        String why = e instanceof AwsServiceException service && service.awsErrorDetails() != null
                && service.awsErrorDetails().errorCode() != null
                ? service.awsErrorDetails().errorCode() + ": " + service.awsErrorDetails().errorMessage()
                : firstLine(e);
        String renew = found.renew() == null ? "" : "; run: " + found.renew();
        return "the AWS credentials (" + source() + ") could not be had: " + why + renew;
    }

    private static String firstLine(Throwable e) {
        Throwable deepest = e;
        // The SDK's providers wrap the cause; the first line of the innermost SDK message says what failed.
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof SdkException || c.getCause() == null) {
                deepest = c;
            }
        }
        String message = deepest.getMessage() == null ? deepest.getClass().getSimpleName() : deepest.getMessage();
        return message.lines().findFirst().orElse("").strip();
    }

    @Override
    public void close() {
        IoUtils.closeIfCloseable(found.provider(), null);
    }
}
