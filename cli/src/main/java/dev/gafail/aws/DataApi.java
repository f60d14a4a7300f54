package dev.gafail.aws;

import static dev.gafail.aws.AwsErrors.call;
import dev.gafail.engine.StepFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.rdsdata.model.Field;
import software.amazon.awssdk.services.rdsdata.model.RecordsFormatType;
import software.amazon.awssdk.services.rdsdata.model.SqlParameter;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * SQL on an Aurora cluster through the RDS Data API (ExecuteStatement), sent to the cluster's region: no
 * network path to the database, only IAM and the secret the topology names. The Data API runs statements on
 * the cluster's writer instance alone, so a secondary cluster of a global database answers none.
 */
public final class DataApi {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AwsClients aws;

    public DataApi(AwsClients aws) {
        this.aws = aws;
    }

    /**
     * The rows {@code sql} returns on {@code clusterArn}, each a map of column to value (numbers, text, booleans
     * or null, as the Data API's JSON records give them), with {@code parameters} bound to its {@code :name}s.
     */
    public List<Map<String, Object>> query(String awsRegion, String clusterArn, String secretArn, String database,
                                           String sql, Map<String, Object> parameters) throws StepFailure {
        List<SqlParameter> bound = new ArrayList<>();
        parameters.forEach((name, value) -> bound.add(SqlParameter.builder().name(name).value(field(value)).build()));
        String records = call("ExecuteStatement", () -> aws.rdsData(awsRegion).executeStatement(r -> r
                .resourceArn(clusterArn).secretArn(secretArn).database(database).sql(sql).parameters(bound)
                .formatRecordsAs(RecordsFormatType.JSON)).formattedRecords());
        if (records == null || records.isBlank()) {
            return List.of();
        }
        try {
            return JSON.readValue(records, new TypeReference<List<Map<String, Object>>>() { });
        } catch (JacksonException e) {
            throw StepFailure.permanent("ExecuteStatement: its formattedRecords are not JSON rows: " + e.getOriginalMessage());
        }
    }

    private static Field field(Object value) {
        if (value == null) {
            return Field.builder().isNull(true).build();
        }
        if (value instanceof Boolean b) {
            return Field.builder().booleanValue(b).build();
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return Field.builder().longValue(((Number) value).longValue()).build();
        }
        if (value instanceof Double || value instanceof Float) {
            return Field.builder().doubleValue(((Number) value).doubleValue()).build();
        }
        return Field.builder().stringValue(String.valueOf(value)).build();
    }
}
