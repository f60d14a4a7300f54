package dev.gafail.topology;

/** The parts of an ARN: {@code arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE}. */
public final class Arns {

    private Arns() {
    }

    public static String partition(String arn) {
        return part(arn, 1);
    }

    public static String region(String arn) {
        return part(arn, 3);
    }

    public static String account(String arn) {
        return part(arn, 4);
    }

    /** The resource's own name: what follows the last ':' or '/'. */
    public static String resource(String arn) {
        return arn.substring(Math.max(arn.lastIndexOf(':'), arn.lastIndexOf('/')) + 1);
    }

    private static String part(String arn, int index) {
        String[] parts = arn.split(":", 6);
        return parts.length > index ? parts[index] : "";
    }
}
