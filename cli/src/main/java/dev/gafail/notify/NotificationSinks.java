package dev.gafail.notify;

import dev.gafail.aws.AwsClients;
import dev.gafail.aws.SnsTopics;
import dev.gafail.aws.SsmParameters;
import dev.gafail.engine.GafailException;
import dev.gafail.engine.Notification;
import dev.gafail.engine.NotificationSink;
import dev.gafail.engine.StepFailure;
import dev.gafail.engine.Subscription;
import dev.gafail.topology.Notifications;
import dev.gafail.topology.Region;
import dev.gafail.yaml.InvalidFileException;
import dev.gafail.yaml.UserFiles;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The topology's {@code notifications} as the sinks of one execution. Each webhook's URL is read where
 * the topology says (the environment, a file, SSM Parameter Store through the surviving region first)
 * and handed back to be masked everywhere before any event is published. A secret that cannot be read
 * does not stop the execution (a missing Slack webhook must not block a failover at 3 a.m.): its sink
 * stays, failing, so that its first message says why in a notice, shown and journalled.
 */
public final class NotificationSinks {

    /** A webhook URL file is one line; more is not a URL. */
    private static final int SECRET_FILE_BYTES = 8 * 1024;

    /**
     * The sinks, and the secret values read for them, for the execution's redactor.
     */
    public record Built(List<Subscription> subscriptions, List<String> secrets) {
    }

    private final List<Region> order;
    private final Map<String, String> env;
    private final Supplier<AwsClients> aws;
    private final String userAgent;
    private final boolean dryRun;
    private final List<String> secrets = new ArrayList<>();

    /**
     * @param order the topology's regions in the order to try them: where the execution moves to first, a
     *              region said to be lost last
     * @param aws   the clients for SNS and SSM, asked for only when a sink needs them
     */
    private NotificationSinks(List<Region> order, Map<String, String> env, Supplier<AwsClients> aws,
                              String userAgent, boolean dryRun) {
        this.order = order;
        this.env = env;
        this.aws = aws;
        this.userAgent = userAgent;
        this.dryRun = dryRun;
    }

    /**
     * @param dryRun for a dry run, which tells only the sinks that take dry runs: the others' secrets are
     *               not read (a CI job need not have them), and the sinks are there only by name
     */
    public static Built of(List<Notifications.Sink> specs, List<Region> order, Map<String, String> env,
                           Supplier<AwsClients> aws, String userAgent, boolean dryRun) {
        NotificationSinks sinks = new NotificationSinks(order, env, aws, userAgent, dryRun);
        List<Subscription> subscriptions = specs.stream().map(sinks::subscription).toList();
        return new Built(subscriptions, List.copyOf(sinks.secrets));
    }

    private Subscription subscription(Notifications.Sink spec) {
        Set<Notification.Kind> kinds = EnumSet.noneOf(Notification.Kind.class);
        spec.events().forEach(name -> kinds.addAll(Notification.Kind.named(name)));
        return new Subscription(spec.name(), spec.describe(), sink(spec),
                kinds.isEmpty() ? EnumSet.allOf(Notification.Kind.class) : kinds, spec.dryRuns());
    }

    private NotificationSink sink(Notifications.Sink spec) {
        if (dryRun && !spec.dryRuns()) {
            return unavailable("not read for a dry run");
        }
        try {
            if (spec.kind() == Notifications.Kind.SNS) {
                List<SnsTopics.Topic> topics = order.stream().filter(r -> spec.topics().containsKey(r.name()))
                        .map(r -> new SnsTopics.Topic(r.name(), r.awsRegion(), spec.topics().get(r.name()))).toList();
                return new SnsTopics(aws(), topics);
            }
            Notifications.Secret secret = spec.url();
            String value = read(secret);
            secrets.add(value);
            URI url = url(value).orElseThrow(() -> new StepFailure("the value of " + secret.describe()
                    + " is not an http or https URL with a host", false));
            return new WebhookSink(spec.kind() == Notifications.Kind.SLACK ? WebhookSink.Format.SLACK
                    : WebhookSink.Format.JSON, url, userAgent);
        } catch (StepFailure e) {
            return unavailable(e.getMessage());
        }
    }

    /** A sink that cannot send, for {@code why}: its first message says so in a notice. */
    private static NotificationSink unavailable(String why) {
        return notification -> {
            throw new NotificationSink.Undelivered(why);
        };
    }

    /** The secret's value, without the line end a file or a shell leaves; or why it cannot be had. */
    private String read(Notifications.Secret secret) throws StepFailure {
        String value = switch (secret.source()) {
            case ENV -> env.get(secret.name());
            case FILE -> file(Path.of(secret.name()));
            case SSM -> SsmParameters.read(aws(), order.stream().map(Region::awsRegion).toList(), secret.name());
        };
        if (value == null || value.isBlank()) {
            throw StepFailure.permanent(secret.describe() + (secret.source() == Notifications.Secret.Source.ENV
                    && value == null ? " is not set" : " is empty"));
        }
        return value.strip();
    }

    /** The AWS clients, or why there are none (credentials that cannot be had): that sink fails, nothing else. */
    private AwsClients aws() throws StepFailure {
        try {
            return aws.get();
        } catch (GafailException e) {
            throw StepFailure.permanent(e.getMessage());
        }
    }

    private static String file(Path file) throws StepFailure {
        try {
            return new String(UserFiles.read(file, SECRET_FILE_BYTES), StandardCharsets.UTF_8);
        } catch (InvalidFileException e) {
            throw StepFailure.permanent(e.getMessage());
        }
    }

    private static Optional<URI> url(String text) {
        try {
            URI uri = new URI(text);
            boolean web = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            return web && uri.getHost() != null ? Optional.of(uri) : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
