package dev.gafail.lab.load;

import java.io.IOException;
import java.util.Map;

/** How a client sends a request: on a connection of its own ({@link HttpOnce}), or on one it keeps ({@link KeepAliveHttp}). */
interface Transport {

    /** @param body JSON, or null for none */
    HttpOnce.Response send(String method, String path, Map<String, String> headers, String body)
            throws IOException, InterruptedException;
}
