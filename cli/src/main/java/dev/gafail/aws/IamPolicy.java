package dev.gafail.aws;

import dev.gafail.topology.Arns;
import dev.gafail.topology.Notifications;
import dev.gafail.topology.Region;
import dev.gafail.topology.StateBucket;
import dev.gafail.topology.Topology;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A least-privilege IAM policy for a set of IAM actions: each scoped to the topology's resources
 * where the API allows it (CloudWatch's GetMetricData and PutMetricData, FIS's list calls allow none),
 * statements grouped by the resources they share; when the topology keeps its state in S3, what
 * gafail's state calls need in that bucket: its objects under its prefix only, and reads of the
 * bucket's own versioning and Object Lock settings; and what its notifications need: publishing to
 * its SNS topics, reading its SSM parameters (decrypting them through SSM only). Never an action
 * wildcard.
 */
public final class IamPolicy {

    /**
     * What the S3 state calls need on the objects under the prefix: GetObject also for HeadObject and
     * for a DeleteObject conditional on an ETag; PutObject also for conditional writes (If-None-Match,
     * If-Match), which need no action of their own; DeleteObject for releasing the lock.
     */
    public static final List<String> STATE_OBJECT_ACTIONS = List.of("s3:DeleteObject", "s3:GetObject",
            "s3:PutObject");
    /** The folder of the audit trail under the state prefix: its records and the hint to its head. */
    public static final String AUDIT_FOLDER = "audit/";
    /**
     * An audit record's own retention: a PutObject that sets Object Lock's mode and retain-until date
     * needs PutObjectRetention, and {@code audit verify} reads it back. Only in the audit folder, so the
     * lock and journal objects, which are deleted and rewritten, cannot be locked.
     */
    public static final List<String> AUDIT_RETENTION_ACTIONS = List.of("s3:GetObjectRetention",
            "s3:PutObjectRetention");
    /**
     * ListObjectsV2 and ListObjectVersions under the prefix (verify sees overwritten versions and delete
     * markers); ListBucket also lets S3 answer a read of a missing object 404, not 403.
     */
    public static final List<String> STATE_LIST_ACTIONS = List.of("s3:ListBucket", "s3:ListBucketVersions");
    /** What verify reads of the bucket itself: whether it is versioned, and its Object Lock configuration. */
    public static final List<String> STATE_BUCKET_ACTIONS = List.of("s3:GetBucketObjectLockConfiguration",
            "s3:GetBucketVersioning");
    /**
     * Everything the state needs in its bucket. Never s3:BypassGovernanceRetention,
     * s3:PutBucketObjectLockConfiguration or s3:DeleteObjectVersion: with those an operator could
     * shorten a record's retention, change the bucket's, or erase a version for good.
     */
    public static final List<String> STATE_ACTIONS = Stream.of(STATE_OBJECT_ACTIONS, AUDIT_RETENTION_ACTIONS,
            STATE_LIST_ACTIONS, STATE_BUCKET_ACTIONS).flatMap(List::stream).toList();

    /**
     * What a {@code fis.experiment} step calls, so that an operator role can run the experiment
     * templates infra/aws deploys: StartExperiment (which also authorizes fis:TagResource on the new
     * experiment for the tags given at start), GetExperiment while it runs, StopExperiment as its
     * compensation, TagResource to mark an experiment it stopped, ListExperiments to find its own
     * experiment by tag after a crash, ListExperimentTemplates and GetExperimentTemplate to find a
     * template by tag and read its actions' durations. No iam:PassRole: the template holds the role
     * FIS assumes, and only creating or updating a template passes it.
     */
    public static final List<String> FIS_EXPERIMENT_ACTIONS = List.of("fis:GetExperiment",
            "fis:GetExperimentTemplate", "fis:ListExperimentTemplates", "fis:ListExperiments",
            "fis:StartExperiment", "fis:StopExperiment", "fis:TagResource");

    /**
     * What a {@code fis.stop} step calls: ListExperiments to find the experiment by the tags its
     * fis.experiment step gave it, GetExperiment to read it and await its end, StopExperiment.
     */
    public static final List<String> FIS_STOP_ACTIONS = List.of("fis:GetExperiment", "fis:ListExperiments",
            "fis:StopExperiment");

    /** How a notification reaches an SNS topic, and how its secret is read from Parameter Store. */
    static final String SNS_PUBLISH = "sns:Publish";
    /** The names of a restore drill's scratch clusters and their instances ({@code aurora.restore}'s default). */
    private static final String SCRATCH = "gafail-restore-*";
    static final String SSM_GET_PARAMETER = "ssm:GetParameter";
    /** How an {@code aurora.query} step's Data API call reads the credentials of a region's {@code dataApi}. */
    static final String GET_SECRET_VALUE = "secretsmanager:GetSecretValue";

    private IamPolicy() {
    }

    /**
     * What the policy's resources are built from: a topology's names, or (for infrastructure code
     * that has not been deployed yet) placeholders that resolve to them, since nothing here parses them.
     *
     * @param state         the bucket of the team's state, or null when it is kept in a local folder
     * @param snsTopics     the ARNs of the SNS topics the topology's notifications publish to
     * @param ssmParameters the names (or ARNs) of the SSM parameters that hold its notifications' secrets
     */
    public record Scope(String partition, String account, String acceleratorArn, String globalDatabase,
                        List<RegionScope> regions, List<String> alarms, StateBucket state, List<String> snsTopics,
                        List<String> ssmParameters) {

        public Scope {
            regions = List.copyOf(regions);
            alarms = List.copyOf(alarms);
            snsTopics = List.copyOf(snsTopics);
            ssmParameters = List.copyOf(ssmParameters);
        }

        /** A scope without notifications. */
        public Scope(String partition, String account, String acceleratorArn, String globalDatabase,
                     List<RegionScope> regions, List<String> alarms, StateBucket state) {
            this(partition, account, acceleratorArn, globalDatabase, regions, alarms, state, List.of(), List.of());
        }

        /**
         * This scope with the topology's notifications: every execution may publish to {@code topicArns}
         * (sns:Publish, on those topics only) and read the secrets in {@code parameterNames} from any of
         * the topology's regions (ssm:GetParameter on those parameters, and kms:Decrypt only through SSM
         * and only for them, for a SecureString), whatever the runbooks' steps.
         */
        public Scope withNotifications(List<String> topicArns, List<String> parameterNames) {
            return new Scope(partition, account, acceleratorArn, globalDatabase, regions, alarms, state, topicArns,
                    parameterNames);
        }

        /** The topology's resources, and its notifications' SNS topics and SSM secrets. */
        public static Scope of(Topology topology) {
            return new Scope(Arns.partition(topology.acceleratorArn()), topology.account(), topology.acceleratorArn(),
                    topology.globalDatabase(), topology.regions().values().stream().map(r -> new RegionScope(
                            r.awsRegion(), r.endpointGroupArn(), r.dbClusterArn(), r.ecs().cluster(),
                            r.ecs().service(), r.dataApiSettings().map(Region.DataApi::secretArn).orElse(null)))
                            .toList(), topology.alarms(), topology.stateBucket().orElse(null))
                    .withNotifications(topology.notifications().stream().flatMap(s -> s.topics().values().stream())
                                    .distinct().toList(),
                            topology.notifications().stream().map(Notifications.Sink::url)
                                    .filter(u -> u != null && u.source() == Notifications.Secret.Source.SSM)
                                    .map(Notifications.Secret::name).distinct().toList());
        }
    }

    /**
     * One region's resources, by the names gafail acts on.
     *
     * @param dataApiSecretArn the secret the RDS Data API signs in to the region's cluster with; null without one
     */
    public record RegionScope(String awsRegion, String endpointGroupArn, String dbClusterArn, String ecsCluster,
                              String ecsService, String dataApiSecretArn) {
    }

    /** The policy document; without a topology, every resource is {@code *}. */
    public static Map<String, Object> document(Collection<String> actions, Topology topology) {
        return document(actions, topology == null ? null : Scope.of(topology));
    }

    /**
     * Of {@code actions}, those that {@code scope} gives something to act on: a topology without the Data API in
     * any region has no secret for {@code aurora.query} to read, so the policy grants no secret at all.
     */
    public static TreeSet<String> needed(Collection<String> actions, Scope scope) {
        TreeSet<String> needed = new TreeSet<>(actions);
        if (scope != null && scope.regions().stream().allMatch(r -> r.dataApiSecretArn() == null)) {
            needed.remove(GET_SECRET_VALUE);
        }
        return needed;
    }

    /** The policy document for {@code scope}; without one, every resource is {@code *}. */
    public static Map<String, Object> document(Collection<String> actions, Scope scope) {
        TreeSet<String> all = needed(actions, scope);
        if (scope != null && !scope.snsTopics().isEmpty()) {
            all.add(SNS_PUBLISH);
        }
        if (scope != null && !scope.ssmParameters().isEmpty()) {
            all.add(SSM_GET_PARAMETER);
        }
        Map<List<String>, TreeSet<String>> byResources = new LinkedHashMap<>();
        for (String action : all) {
            List<String> resources = scope == null ? List.of("*") : resources(action, scope);
            byResources.computeIfAbsent(resources, r -> new TreeSet<>()).add(action);
        }
        List<Map<String, Object>> statements = new ArrayList<>();
        byResources.forEach((resources, grouped) -> {
            statements.add(statement(sid(grouped.first(), statements.size()), List.copyOf(grouped),
                    resources.size() == 1 ? resources.get(0) : resources));
        });
        if (scope != null && scope.state() != null) {
            statements.addAll(stateStatements(scope.partition(), scope.state()));
        }
        if (scope != null && !scope.ssmParameters().isEmpty()) {
            statements.add(parameterKeys(scope));
        }
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("Version", "2012-10-17");
        policy.put("Statement", statements);
        return policy;
    }

    /** The ARNs {@code action} may act on in {@code scope}. */
    public static List<String> resources(String action, Scope scope) {
        String account = scope.account();
        String partition = scope.partition();
        List<String> out = new ArrayList<>();
        String globalCluster = "arn:" + partition + ":rds::" + account + ":global-cluster:" + scope.globalDatabase();
        for (RegionScope r : scope.regions()) {
            switch (action) {
                case "globalaccelerator:DescribeEndpointGroup", "globalaccelerator:UpdateEndpointGroup" ->
                        out.add(r.endpointGroupArn());
                case "rds:SwitchoverGlobalCluster", "rds:FailoverGlobalCluster" -> out.add(r.dbClusterArn());
                // A restore drill's scratch clusters and instances are named gafail-restore-EXECUTION.
                case "rds:RestoreDBClusterToPointInTime" -> {
                    out.add(r.dbClusterArn());
                    out.add(rds(scope, r, "cluster:" + SCRATCH));
                    out.add(rds(scope, r, "subgrp:*"));
                }
                case "rds:CreateDBInstance", "rds:AddTagsToResource" -> {
                    out.add(rds(scope, r, "cluster:" + SCRATCH));
                    out.add(rds(scope, r, "db:" + SCRATCH));
                }
                case "rds:DeleteDBInstance" -> out.add(rds(scope, r, "db:" + SCRATCH));
                // RDS creates a restore's storage with the source's KMS key, on the caller's behalf.
                case "kms:CreateGrant", "kms:DescribeKey" -> out.add("arn:" + scope.partition() + ":kms:"
                        + r.awsRegion() + ":" + scope.account() + ":key/*");
                case "rds:DeleteDBCluster", "rds:EnableHttpEndpoint" -> out.add(rds(scope, r, "cluster:" + SCRATCH));
                case "rds-data:ExecuteStatement" -> {
                    out.add(r.dbClusterArn());
                    out.add(rds(scope, r, "cluster:" + SCRATCH));
                }
                case "ecs:DescribeServices", "ecs:UpdateService" -> out.add("arn:" + partition + ":ecs:" + r.awsRegion()
                        + ":" + account + ":service/" + r.ecsCluster() + "/" + r.ecsService());
                case "cloudwatch:DescribeAlarms" -> {
                    String prefix = "arn:" + partition + ":cloudwatch:" + r.awsRegion() + ":" + account + ":alarm:";
                    if (scope.alarms().isEmpty()) {
                        out.add(prefix + "*");
                    }
                    scope.alarms().forEach(a -> out.add(prefix + a));
                }
                // A template may be named by id or found by tag, so every template in the region: IAM
                // has no narrower handle on a template the runbook chooses at run time.
                case "fis:StartExperiment" -> {
                    out.add(fis(scope, r, "experiment-template/*"));
                    out.add(fis(scope, r, "experiment/*"));
                }
                case "fis:GetExperimentTemplate" -> out.add(fis(scope, r, "experiment-template/*"));
                case "fis:GetExperiment", "fis:StopExperiment", "fis:TagResource" ->
                        out.add(fis(scope, r, "experiment/*"));
                // Without notifications in the topology, what a notify step may reach in its account.
                case SNS_PUBLISH -> {
                    if (scope.snsTopics().isEmpty()) {
                        out.add("arn:" + partition + ":sns:" + r.awsRegion() + ":" + account + ":*");
                    }
                }
                case SSM_GET_PARAMETER -> {
                    if (scope.ssmParameters().isEmpty()) {
                        out.add(parameterArn(scope, r.awsRegion(), "*"));
                    }
                }
                // The regions' Data API secrets (a topology without any needs none: see needed)
                case GET_SECRET_VALUE -> {
                    if (r.dataApiSecretArn() != null) {
                        out.add(r.dataApiSecretArn());
                    }
                }
                default -> { }
            }
        }
        switch (action) {
            case "globalaccelerator:DescribeAccelerator" -> out.add(scope.acceleratorArn());
            case "rds:DescribeGlobalClusters" -> out.add(globalCluster);
            case "rds:SwitchoverGlobalCluster", "rds:FailoverGlobalCluster" -> out.add(0, globalCluster);
            case SNS_PUBLISH -> out.addAll(scope.snsTopics());
            case SSM_GET_PARAMETER -> out.addAll(parameterArns(scope));
            default -> { }
        }
        return out.isEmpty() ? List.of("*") : out;
    }

    private static String rds(Scope scope, RegionScope region, String resource) {
        return "arn:" + scope.partition() + ":rds:" + region.awsRegion() + ":" + scope.account() + ":" + resource;
    }

    private static String fis(Scope scope, RegionScope region, String resource) {
        return "arn:" + scope.partition() + ":fis:" + region.awsRegion() + ":" + scope.account() + ":" + resource;
    }

    /** A parameter's ARN: its name after {@code parameter/}, without the name's own leading '/'. */
    private static String parameterArn(Scope scope, String awsRegion, String name) {
        return "arn:" + scope.partition() + ":ssm:" + awsRegion + ":" + scope.account() + ":parameter/"
                + (name.startsWith("/") ? name.substring(1) : name);
    }

    /** The notifications' parameters: one given by ARN where it is, one given by name in each region. */
    private static List<String> parameterArns(Scope scope) {
        List<String> out = new ArrayList<>();
        for (String parameter : scope.ssmParameters()) {
            if (parameter.startsWith("arn:")) {
                out.add(parameter);
            } else {
                scope.regions().forEach(r -> out.add(parameterArn(scope, r.awsRegion(), parameter)));
            }
        }
        return out;
    }

    /**
     * kms:Decrypt of a SecureString parameter, which SSM calls with the caller's permissions: any key of
     * the account in the topology's regions (the parameter's key is its owner's choice, aws/ssm or
     * their own), but only through SSM and only with the encryption context SSM sets, the ARN of one of
     * the topology's parameters.
     */
    private static Map<String, Object> parameterKeys(Scope scope) {
        List<String> keys = new ArrayList<>();
        List<String> services = new ArrayList<>();
        for (RegionScope r : scope.regions()) {
            keys.add("arn:" + scope.partition() + ":kms:" + r.awsRegion() + ":" + scope.account() + ":key/*");
            services.add("ssm." + r.awsRegion() + ".amazonaws.com");
        }
        Map<String, Object> statement = statement("GafailNotificationSecrets", List.of("kms:Decrypt"), keys);
        Map<String, Object> equals = new LinkedHashMap<>();
        equals.put("kms:ViaService", services);
        equals.put("kms:EncryptionContext:PARAMETER_ARN", parameterArns(scope));
        statement.put("Condition", Map.of("StringEquals", equals));
        return statement;
    }

    /**
     * The objects under the state prefix, the audit records' retention, listing the bucket (and its
     * versions) limited to that prefix, and reading the bucket's versioning and Object Lock
     * configuration. Without a prefix the bucket is gafail's alone, and a listing with no prefix
     * (s3:prefix absent, which StringLike would refuse) stays allowed.
     */
    private static List<Map<String, Object>> stateStatements(String partition, StateBucket state) {
        String bucket = "arn:" + partition + ":s3:::" + state.bucket();
        String prefix = literal(state.prefix());
        Map<String, Object> list = statement("GafailStateList", STATE_LIST_ACTIONS, bucket);
        if (!state.prefix().isEmpty()) {
            list.put("Condition", Map.of("StringLike", Map.of("s3:prefix", prefix + "*")));
        }
        return List.of(statement("GafailStateObjects", STATE_OBJECT_ACTIONS, bucket + "/" + prefix + "*"),
                statement("GafailStateAuditRetention", AUDIT_RETENTION_ACTIONS,
                        bucket + "/" + prefix + AUDIT_FOLDER + "*"),
                list,
                statement("GafailStateBucket", STATE_BUCKET_ACTIONS, bucket));
    }

    private static Map<String, Object> statement(String sid, List<String> actions, Object resource) {
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Sid", sid);
        statement.put("Effect", "Allow");
        statement.put("Action", actions);
        statement.put("Resource", resource);
        return statement;
    }

    /** {@code text} matched as written: IAM's wildcards and '$' as the policy variables that stand for them. */
    private static String literal(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            out.append(c == '*' || c == '?' || c == '$' ? "${" + c + "}" : String.valueOf(c));
        }
        return out.toString();
    }

    /** IAM takes only letters and digits in an identity policy's Sid: {@code rds-data} becomes {@code RdsData}. */
    private static String sid(String action, int index) {
        StringBuilder sid = new StringBuilder("Gafail");
        for (String part : action.substring(0, action.indexOf(':')).split("-")) {
            sid.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return sid.append(index + 1).toString();
    }
}
