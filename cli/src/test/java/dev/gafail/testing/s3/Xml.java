package dev.gafail.testing.s3;

import java.nio.charset.StandardCharsets;

/** Just enough XML for S3's replies: nested elements with escaped text. */
final class Xml {

    private final StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");

    Xml open(String name) {
        out.append('<').append(name).append('>');
        return this;
    }

    Xml open(String name, String namespace) {
        out.append('<').append(name).append(" xmlns=\"").append(namespace).append("\">");
        return this;
    }

    Xml close(String name) {
        out.append("</").append(name).append('>');
        return this;
    }

    Xml element(String name, Object text) {
        return open(name).text(String.valueOf(text)).close(name);
    }

    byte[] bytes() {
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private Xml text(String text) {
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return this;
    }
}
