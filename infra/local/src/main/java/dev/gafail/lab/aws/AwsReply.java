package dev.gafail.lab.aws;

import java.util.UUID;

/** What the control plane answers, in the wire shape of the caller's protocol. */
record AwsReply(int status, String contentType, String body, String requestId) {

    /** AWS JSON 1.1: the response object as it is. */
    static AwsReply json(String body) {
        return new AwsReply(200, "application/x-amz-json-1.1", body, id());
    }

    /** AWS Query: {@code <OpResponse><OpResult>...</OpResult><ResponseMetadata/></OpResponse>}. */
    static AwsReply query(String operation, String namespace, String result) {
        String id = id();
        return new AwsReply(200, "text/xml", "<" + operation + "Response xmlns=\"" + namespace + "\"><" + operation
                + "Result>" + result + "</" + operation + "Result><ResponseMetadata><RequestId>" + id
                + "</RequestId></ResponseMetadata></" + operation + "Response>", id);
    }

    /** An error in the protocol's shape: {@code __type} for JSON, {@code ErrorResponse} for Query. */
    static AwsReply error(boolean json, int status, String code, String message) {
        String id = id();
        if (json) {
            return new AwsReply(status, "application/x-amz-json-1.1", "{\"__type\": \"" + escape(code)
                    + "\", \"message\": \"" + escape(message) + "\"}", id);
        }
        return new AwsReply(status, "text/xml", "<ErrorResponse><Error><Type>" + (status < 500 ? "Sender" : "Receiver")
                + "</Type><Code>" + xml(code) + "</Code><Message>" + xml(message) + "</Message></Error><RequestId>" + id
                + "</RequestId></ErrorResponse>", id);
    }

    static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }
}
