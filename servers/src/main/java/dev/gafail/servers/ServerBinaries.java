package dev.gafail.servers;

import dev.gafail.servers.postgres.PostgresBinaries;
import dev.gafail.servers.valkey.ValkeyServer;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The two servers the lab and sample-api's tests run, PostgreSQL and Valkey/Redis, as binaries that
 * arrived with the Maven build for the platform it ran on; a Valkey/Redis server binary of the user's
 * own only when {@value #VALKEY_ENV} names one, so what runs does not depend on what the machine has.
 */
public final class ServerBinaries {

    /** Names a {@code valkey-server} or {@code redis-server} to use instead of the packaged one. */
    public static final String VALKEY_ENV = "GAFAIL_VALKEY_SERVER";

    private final PostgresBinaries postgres;
    private final Path valkeyServer;

    private ServerBinaries(PostgresBinaries postgres, Path valkeyServer) {
        this.postgres = postgres;
        this.valkeyServer = valkeyServer;
    }

    /** Where binaries are unpacked once and shared: {@code $TMPDIR/gafail-cache} (readable by all). */
    public static Path defaultCache() {
        return Path.of(System.getProperty("java.io.tmpdir")).resolve("gafail-cache");
    }

    /** Both servers for the platform this JVM runs on, unpacked into the default cache where needed. */
    public static ServerBinaries here() {
        return locate(defaultCache(), Platform.current(), System.getenv());
    }

    /** Both servers for {@code platform}, unpacked under {@code cache} where needed. */
    public static ServerBinaries locate(Path cache, Platform platform, Map<String, String> env) {
        missing(platform, env).ifPresent(line -> {
            throw new MissingBinariesException(line);
        });
        // Past missing(), the platform has packaged PostgreSQL binaries (nothing else supplies them).
        Platform.Binaries packaged = platform.packaged().orElseThrow();
        Path valkey = configuredValkey(env).orElseGet(() ->
                ValkeyServer.unpackedIn(cache, resource(packaged.valkeyServer())));
        return new ServerBinaries(PostgresBinaries.unpackedIn(cache, resource(packaged.postgresArchive())), valkey);
    }

    /**
     * What {@code platform} lacks to run the servers, as one line naming the platform and each missing
     * binary; empty when nothing is missing. Reads the class path and {@code env} only.
     */
    public static Optional<String> missing(Platform platform, Map<String, String> env) {
        String configured = env.getOrDefault(VALKEY_ENV, "");
        if (!configured.isBlank() && !Files.isExecutable(Path.of(configured))) {
            return Optional.of(VALKEY_ENV + "=" + configured + " is not an executable file (it names a valkey-server"
                    + " or redis-server to use instead of the packaged one)");
        }
        Optional<Platform.Binaries> packaged = platform.packaged();
        List<String> lacking = new ArrayList<>();
        if (packaged.isEmpty() || resource(packaged.get().postgresArchive()) == null) {
            lacking.add("PostgreSQL server binaries");
        }
        if (configured.isBlank() && (packaged.isEmpty() || resource(packaged.get().valkeyServer()) == null)) {
            lacking.add("Valkey/Redis server (" + VALKEY_ENV + " may name one)");
        }
        if (lacking.isEmpty()) {
            return Optional.empty();
        }
        String what = String.join(" and no ", lacking);
        if (packaged.isEmpty()) {
            return Optional.of("no " + what + " for this platform, " + platform + ": gafail packages them for "
                    + String.join(", ", new TreeSet<>(Platform.PACKAGED.keySet())));
        }
        return Optional.of("this build of gafail has no " + what + " for " + platform + " (it was built on another"
                + " platform): rebuild it here, `mvn -pl cli -am package`");
    }

    /**
     * For scripts (sample-api's benchmark): prints {@code postgres BIN_FOLDER} and {@code valkey BINARY},
     * unpacked once; on a platform without them, one line on stderr and exit 2.
     */
    public static void main(String[] args) {
        try {
            ServerBinaries binaries = here();
            System.out.println("postgres " + binaries.postgres().bin("postgres").getParent());
            System.out.println("valkey " + binaries.valkeyServer());
        } catch (MissingBinariesException | UncheckedIOException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }

    public PostgresBinaries postgres() {
        return postgres;
    }

    /** The Valkey/Redis server binary: the user's ({@value #VALKEY_ENV}) or the packaged one. */
    public Path valkeyServer() {
        return valkeyServer;
    }

    private static Optional<Path> configuredValkey(Map<String, String> env) {
        return Optional.ofNullable(env.get(VALKEY_ENV)).filter(v -> !v.isBlank())
                .map(v -> Path.of(v).toAbsolutePath());
    }

    private static URL resource(String name) {
        return ServerBinaries.class.getClassLoader().getResource(name);
    }
}
