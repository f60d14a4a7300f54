package dev.gafail.lab.aws;

import dev.gafail.lab.aws.wire.AwsFault;
import dev.gafail.lab.aws.wire.AwsRequest;
import dev.gafail.lab.aws.wire.AwsService;
import dev.gafail.lab.aws.wire.ServiceShape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * IAM, for the lab's one role ({@link LabResources#OPERATOR_ROLE}): GetRole, and SimulatePrincipalPolicy
 * evaluated against the policy document in the lab's folder ({@link LabResources#OPERATOR_POLICY}), read at
 * each call, so that a test may take an action out of it. The evaluation is IAM's for the policies gafail
 * writes: an explicit Deny wins, then an Allow whose actions and resources match (with {@code *} and {@code ?}
 * wildcards, actions in any case), else an implicit deny. A statement with a Condition allows nothing here,
 * as IAM's simulator without context values; a role without the file has no policy, and may do nothing.
 */
final class LabIam implements AwsService {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path policy;

    LabIam(Path policy) {
        this.policy = policy;
    }

    @Override
    public ServiceShape shape() {
        return ServiceShape.IAM;
    }

    @Override
    public ObjectNode answer(AwsRequest request) {
        return switch (request.operation()) {
            case "GetRole" -> getRole(request);
            case "SimulatePrincipalPolicy" -> simulate(request);
            default -> throw request.unknownOperation();
        };
    }

    private static ObjectNode getRole(AwsRequest request) {
        if (!request.text("RoleName").equals(LabResources.OPERATOR_ROLE)) {
            throw noSuchEntity("The role with name " + request.text("RoleName") + " cannot be found.");
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.putObject("Role").put("Path", "/").put("RoleName", LabResources.OPERATOR_ROLE)
                .put("RoleId", LabResources.OPERATOR_ROLE_ID).put("Arn", LabResources.operatorRoleArn())
                .put("CreateDate", "2026-01-01T00:00:00Z");
        return out;
    }

    private ObjectNode simulate(AwsRequest request) {
        if (!request.text("PolicySourceArn").equals(LabResources.operatorRoleArn())) {
            throw noSuchEntity("PolicySourceArn " + request.text("PolicySourceArn") + " is not a principal of the lab");
        }
        List<String> resources = new ArrayList<>();
        request.path("ResourceArns").forEach(r -> resources.add(r.asString()));
        if (resources.isEmpty()) {
            resources.add("*");
        }
        JsonNode statements = statements();
        ObjectNode out = JsonNodeFactory.instance.objectNode().put("IsTruncated", false);
        ArrayNode results = out.putArray("EvaluationResults");
        for (JsonNode action : request.path("ActionNames")) {
            for (String resource : resources) {
                results.addObject().put("EvalActionName", action.asString()).put("EvalResourceName", resource)
                        .put("EvalDecision", decision(statements, action.asString(), resource));
            }
        }
        return out;
    }

    /** The policy's statements; none when the role has no policy. */
    private JsonNode statements() {
        try {
            JsonNode document = JSON.readTree(Files.readString(policy));
            JsonNode statements = document.path("Statement");
            return statements.isArray() ? statements : JSON.createArrayNode().add(statements);
        } catch (NoSuchFileException e) {
            return JSON.createArrayNode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JacksonException e) {
            throw AwsFault.invalid("MalformedPolicyDocument", policy + ": " + e.getOriginalMessage());
        }
    }

    private static String decision(JsonNode statements, String action, String resource) {
        boolean allowed = false;
        for (JsonNode statement : statements) {
            if (statement.has("Condition") || !matches(statement.path("Action"), action, true)
                    || !matches(statement.path("Resource"), resource, false)) {
                continue;
            }
            if (statement.path("Effect").asString("").equals("Deny")) {
                return "explicitDeny";
            }
            allowed |= statement.path("Effect").asString("").equals("Allow");
        }
        return allowed ? "allowed" : "implicitDeny";
    }

    /** Whether one of the patterns (a string or a list of them) matches {@code value}. */
    private static boolean matches(JsonNode patterns, String value, boolean anyCase) {
        List<JsonNode> list = new ArrayList<>();
        if (patterns.isArray()) {
            patterns.forEach(list::add);
        } else if (!patterns.isMissingNode()) {
            list.add(patterns);
        }
        for (JsonNode pattern : list) {
            String regex = Pattern.quote(pattern.asString()).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q");
            Pattern compiled = anyCase ? Pattern.compile(regex, Pattern.CASE_INSENSITIVE) : Pattern.compile(regex);
            if (compiled.matcher(anyCase ? value.toLowerCase(Locale.ROOT) : value).matches()) {
                return true;
            }
        }
        return false;
    }

    private static AwsFault noSuchEntity(String message) {
        return new AwsFault(404, "NoSuchEntity", message);
    }
}
