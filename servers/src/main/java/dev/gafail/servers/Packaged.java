package dev.gafail.servers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What this build of gafail packages, as the build wrote it (packaged.properties, from the profile of
 * the platform the build ran on): the platform, the class-path names of zonky's PostgreSQL archive and
 * of the Redis server binary, and what that binary needs from the machine (empty when nothing).
 */
record Packaged(String platform, String postgresArchive, String valkeyServer, String valkeyNeeds) {

    private static final String RESOURCE = "dev/gafail/servers/packaged.properties";

    static Packaged byThisBuild() {
        Properties properties = new Properties();
        try (InputStream in = Packaged.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path (gafail-servers)");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return new Packaged(properties.getProperty("platform", "none"), properties.getProperty("postgres", ""),
                properties.getProperty("valkey", ""), properties.getProperty("valkeyNeeds", ""));
    }

    boolean isFor(Platform target) {
        return platform.equals(target.toString());
    }
}
