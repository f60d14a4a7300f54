package dev.gafail.lab.aws.wire;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An AWS Query form body as the input tree the JSON protocols would carry: {@code
 * MetricDataQueries.member.1.MetricStat.Period=60} becomes {@code {"MetricDataQueries": [{"MetricStat":
 * {"Period": "60"}}]}}. Lists are numbered from 1, under a member name ({@code member}, or the
 * service's own, as RDS's {@code Filters.Filter.1}) or directly; values stay text, as Query has no
 * types. A list is told by a number one or two segments on, so a structure member holding a list
 * directly ({@code Parent.Child.1}) and Query maps ({@code X.entry.1.key}) read as lists: no
 * operation the lab answers has either.
 */
final class QueryInput {

    /** More than any operation the lab answers takes (GetMetricData: 500 queries). */
    private static final int MAX_MEMBERS = 1000;

    private QueryInput() {
    }

    /** The tree of a form body; a malformed escape is an {@link IllegalArgumentException}. */
    static ObjectNode read(String form) {
        ObjectNode input = JsonNodeFactory.instance.objectNode();
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                String key = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
                put(input, key.split("\\."), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return input;
    }

    private static void put(ObjectNode root, String[] path, String value) {
        ObjectNode object = root;
        int i = 0;
        while (i < path.length) {
            String name = path[i];
            int index = i + 1 < path.length && number(path[i + 1]) ? i + 1
                    : i + 2 < path.length && number(path[i + 2]) ? i + 2 : -1;
            if (index < 0) {
                if (i == path.length - 1) {
                    object.put(name, value);
                    return;
                }
                object = object.get(name) instanceof ObjectNode child ? child : object.putObject(name);
                i++;
                continue;
            }
            ArrayNode list = object.get(name) instanceof ArrayNode existing ? existing : object.putArray(name);
            int at = Integer.parseInt(path[index]) - 1;
            if (at >= MAX_MEMBERS) {
                throw new IllegalArgumentException(String.join(".", path) + ": lists hold at most " + MAX_MEMBERS
                        + " members here");
            }
            while (list.size() <= at) {
                list.addNull();
            }
            if (index == path.length - 1) {
                list.set(at, value);
                return;
            }
            if (!(list.get(at) instanceof ObjectNode)) {
                list.set(at, root.objectNode());
            }
            object = (ObjectNode) list.get(at);
            i = index + 1;
        }
    }

    private static boolean number(String segment) {
        return !segment.isEmpty() && segment.length() < 6 && segment.chars().allMatch(Character::isDigit)
                && Integer.parseInt(segment) > 0;
    }
}
