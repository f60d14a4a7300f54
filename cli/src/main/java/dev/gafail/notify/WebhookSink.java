package dev.gafail.notify;

import dev.gafail.engine.Json;
import dev.gafail.engine.Notification;
import dev.gafail.engine.NotificationSink;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * A webhook as a notification sink: each message POSTed as JSON, a Slack incoming webhook's
 * {@code {"text": ...}} or gafail's own document ({@link Notification#document()}). Connecting and
 * the answer's status line together stay within the outbox's bound; no redirect is followed, and the
 * connection is closed after each message. Why a message did not
 * go is said in gafail's words, never with the URL, which is a secret.
 */
public final class WebhookSink implements NotificationSink {

    /** How long to wait for a connection, then for the answer: together, {@link dev.gafail.engine.Outbox#BOUND}. */
    static final Duration CONNECT = Duration.ofSeconds(2);
    static final Duration ANSWER = Duration.ofSeconds(3);

    /** What the body is. */
    public enum Format {
        SLACK, JSON;

        byte[] body(Notification n) {
            Object document = this == SLACK ? Map.of("text", slackText(n.text())) : n.document();
            return Json.MAPPER.writeValueAsBytes(document);
        }
    }

    private final Format format;
    private final URI url;
    private final String userAgent;

    /** @param url an http or https URL with a host */
    public WebhookSink(Format format, URI url, String userAgent) {
        this.format = format;
        this.url = url;
        this.userAgent = userAgent;
    }

    @Override
    public void deliver(Notification notification) throws Undelivered {
        byte[] body = format.body(notification);
        HttpURLConnection connection = null;
        boolean connected = false;
        try {
            connection = (HttpURLConnection) url.toURL().openConnection();
            connection.setConnectTimeout((int) CONNECT.toMillis());
            connection.setReadTimeout((int) ANSWER.toMillis());
            connection.setInstanceFollowRedirects(false);
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            // A fixed length also keeps the JDK from sending the POST again when the answer times out.
            connection.setFixedLengthStreamingMode(body.length);
            connection.setRequestProperty("Content-Type", "application/json; charset=utf-8");
            connection.setRequestProperty("User-Agent", userAgent);
            connection.connect();
            connected = true;
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
            int status = connection.getResponseCode();
            if (status < 200 || status > 299) {
                throw new Undelivered("it answered HTTP " + status);
            }
        } catch (SocketTimeoutException e) {
            throw new Undelivered(connected ? "no answer within " + ANSWER.toSeconds() + " s"
                    : "no connection within " + CONNECT.toSeconds() + " s");
        } catch (ConnectException e) {
            throw new Undelivered("connection refused");
        } catch (UnknownHostException e) {
            throw new Undelivered("its host name does not resolve");
        } catch (SSLException e) {
            throw new Undelivered("the TLS handshake failed");
        } catch (IOException | IllegalArgumentException e) {
            throw new Undelivered("could not send it (" + e.getClass().getSimpleName() + ")");
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    /** Slack reads &, < and > as its own markup; these escapes are the ones its docs ask for. */
    static String slackText(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
