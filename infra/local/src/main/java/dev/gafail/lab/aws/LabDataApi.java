package dev.gafail.lab.aws;

import dev.gafail.lab.aws.wire.AwsFault;
import dev.gafail.lab.aws.wire.AwsRequest;
import dev.gafail.lab.aws.wire.AwsService;
import dev.gafail.lab.aws.wire.ServiceShape;
import dev.gafail.servers.postgres.PostgresInstance;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The RDS Data API's ExecuteStatement, run over JDBC on the lab's real databases: a member cluster's (through the
 * proxy its clients use, so a region's outage reaches it too) or a restore's. As at AWS, it runs only on a cluster's
 * writer instance, so a secondary of the global database refuses even reads; a restore answers once it is
 * available, has its instance, and has had EnableHttpEndpoint. Named parameters ({@code :name}) bind as
 * ExecuteStatement's {@code parameters} give them; rows come back as {@code records} or, with {@code
 * formatRecordsAs=JSON}, as {@code formattedRecords}. The lab's databases take their one user whatever secret
 * is named; one must be named, as at AWS.
 */
final class LabDataApi implements AwsService {

    private final LabRegions lab;
    private final LabRestores restores;

    LabDataApi(LabRegions lab, LabRestores restores) {
        this.lab = lab;
        this.restores = restores;
    }

    @Override
    public ServiceShape shape() {
        return ServiceShape.RDS_DATA;
    }

    @Override
    public ObjectNode answer(AwsRequest request) {
        if (!request.operation().equals("ExecuteStatement")) {
            throw request.unknownOperation();
        }
        String arn = request.text("resourceArn");
        if (request.text("secretArn").isEmpty() || arn.isEmpty() || request.text("sql").isEmpty()) {
            throw AwsFault.invalid("BadRequestException", "resourceArn, secretArn and sql are required");
        }
        String database = request.text("database").isEmpty() ? LabResources.DATABASE : request.text("database");
        try (Connection c = PostgresInstance.connect(port(request, arn), database)) {
            return execute(c, request);
        } catch (SQLException e) {
            throw AwsFault.invalid("DatabaseErrorException", "Database error: " + e.getMessage());
        }
    }

    /** The port of the database {@code arn} names in the request's region, where the Data API may run a statement. */
    private int port(AwsRequest request, String arn) {
        String region = LabResources.labRegion(request.region()).orElse("");
        if (LabResources.memberNamed(arn).filter(region::equals).isPresent()) {
            if (!region.equals(lab.writer())) {
                throw AwsFault.invalid("BadRequestException", "lab-" + region + " is a secondary cluster of "
                        + LabResources.GLOBAL_DATABASE + ": it has no writer instance, which the Data API needs even"
                        + " for reads");
            }
            if (!lab.databaseRunning(region)) {
                throw new AwsFault(504, "DatabaseUnavailableException", "The database of lab-" + region
                        + " is unavailable");
            }
            return lab.databasePort(region);
        }
        LabRestores.Reached restore = restores.reached(request.region(), arn).orElseThrow(() -> new AwsFault(404,
                "NotFoundException", "Database cluster " + arn + " not found in " + request.region()));
        if (!restore.httpEndpoint()) {
            throw AwsFault.invalid("HttpEndpointNotEnabledException", "HttpEndpoint is not enabled for resource "
                    + arn);
        }
        if (!restore.status().equals("available") || !restore.hasInstance()) {
            throw AwsFault.invalid("InvalidResourceStateException", "Database cluster " + restore.id()
                    + " is not available (" + restore.status() + (restore.hasInstance() ? "" : ", no instance") + ")");
        }
        return restore.port();
    }

    private static ObjectNode execute(Connection c, AwsRequest request) throws SQLException {
        NamedParameters named = NamedParameters.of(request.text("sql"));
        try (PreparedStatement statement = c.prepareStatement(named.jdbc())) {
            for (int i = 0; i < named.names().size(); i++) {
                bind(statement, i + 1, value(request.path("parameters"), named.names().get(i)));
            }
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            if (!statement.execute()) {
                return out.put("numberOfRecordsUpdated", statement.getUpdateCount());
            }
            try (ResultSet rows = statement.getResultSet()) {
                rows(rows, out, "JSON".equals(request.text("formatRecordsAs")),
                        request.path("includeResultMetadata").asBoolean(false));
            }
            return out.put("numberOfRecordsUpdated", 0);
        }
    }

    /** The value ExecuteStatement's {@code parameters} give {@code name}: a Field ({@code stringValue}, ...). */
    private static JsonNode value(JsonNode parameters, String name) {
        for (JsonNode p : parameters) {
            if (p.path("name").asString("").equals(name)) {
                return p.path("value");
            }
        }
        throw AwsFault.invalid("BadRequestException", "No value for the parameter :" + name);
    }

    private static void bind(PreparedStatement statement, int index, JsonNode field) throws SQLException {
        if (field.has("stringValue")) {
            statement.setString(index, field.path("stringValue").asString());
        } else if (field.has("longValue")) {
            statement.setLong(index, field.path("longValue").asLong());
        } else if (field.has("doubleValue")) {
            statement.setDouble(index, field.path("doubleValue").asDouble());
        } else if (field.has("booleanValue")) {
            statement.setBoolean(index, field.path("booleanValue").asBoolean());
        } else if (field.path("isNull").asBoolean(false)) {
            statement.setNull(index, Types.NULL);
        } else {
            throw AwsFault.invalid("BadRequestException", "Unsupported parameter value " + field
                    + ": the lab takes stringValue, longValue, doubleValue, booleanValue and isNull");
        }
    }

    private static void rows(ResultSet rows, ObjectNode out, boolean json, boolean metadata) throws SQLException {
        ResultSetMetaData columns = rows.getMetaData();
        ArrayNode formatted = JsonNodeFactory.instance.arrayNode();
        ArrayNode records = JsonNodeFactory.instance.arrayNode();
        while (rows.next()) {
            ObjectNode record = formatted.addObject();
            ArrayNode fields = records.addArray();
            for (int i = 1; i <= columns.getColumnCount(); i++) {
                Object value = rows.getObject(i);
                String name = columns.getColumnLabel(i);
                ObjectNode field = fields.addObject();
                if (value == null) {
                    record.putNull(name);
                    field.put("isNull", true);
                } else if (value instanceof Number number && !(value instanceof BigDecimal) && !(value instanceof Double)
                        && !(value instanceof Float)) {
                    record.put(name, number.longValue());
                    field.put("longValue", number.longValue());
                } else if (value instanceof Double || value instanceof Float) {
                    record.put(name, ((Number) value).doubleValue());
                    field.put("doubleValue", ((Number) value).doubleValue());
                } else if (value instanceof Boolean b) {
                    record.put(name, b);
                    field.put("booleanValue", b);
                } else {
                    // numeric (BigDecimal), text, uuid, timestamps: as the Data API gives them, text
                    record.put(name, value.toString());
                    field.put("stringValue", value.toString());
                }
            }
        }
        if (json) {
            out.put("formattedRecords", formatted.toString());
        } else {
            out.set("records", records);
        }
        if (metadata) {
            ArrayNode described = out.putArray("columnMetadata");
            for (int i = 1; i <= columns.getColumnCount(); i++) {
                described.addObject().put("name", columns.getColumnLabel(i)).put("label", columns.getColumnLabel(i))
                        .put("typeName", columns.getColumnTypeName(i)).put("type", columns.getColumnType(i));
            }
        }
    }

    /** A statement's {@code :name} parameters as JDBC's {@code ?}, in order; quoted text and {@code ::} casts kept. */
    record NamedParameters(String jdbc, List<String> names) {

        static NamedParameters of(String sql) {
            StringBuilder jdbc = new StringBuilder();
            List<String> names = new ArrayList<>();
            boolean quoted = false;
            for (int i = 0; i < sql.length(); i++) {
                char ch = sql.charAt(i);
                if (ch == '\'') {
                    quoted = !quoted;
                } else if (!quoted && ch == ':' && i + 1 < sql.length() && sql.charAt(i + 1) == ':') {
                    jdbc.append("::");
                    i++;
                    continue;
                } else if (!quoted && ch == ':' && i + 1 < sql.length()
                        && (Character.isLetter(sql.charAt(i + 1)) || sql.charAt(i + 1) == '_')) {
                    int end = i + 1;
                    while (end < sql.length() && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
                        end++;
                    }
                    names.add(sql.substring(i + 1, end));
                    jdbc.append('?');
                    i = end - 1;
                    continue;
                }
                jdbc.append(ch);
            }
            return new NamedParameters(jdbc.toString(), names);
        }
    }
}
