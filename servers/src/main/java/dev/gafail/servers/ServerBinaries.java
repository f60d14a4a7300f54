package dev.gafail.servers;

import dev.gafail.servers.os.ChildProcess;
import dev.gafail.servers.postgres.PostgresBinaries;
import dev.gafail.servers.valkey.ValkeyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The two servers the lab and sample-api's tests run, PostgreSQL and Valkey/Redis, as binaries that
 * arrived with the Maven build for the platform it ran on; a Valkey/Redis server binary of the user's
 * own only when {@value #VALKEY_ENV} names one, so what runs does not depend on what the machine has.
 */
public final class ServerBinaries {

    /** Names a {@code valkey-server} or {@code redis-server} to use instead of the packaged one. */
    public static final String VALKEY_ENV = "GAFAIL_VALKEY_SERVER";

    private static final Duration PROBE_LIMIT = Duration.ofSeconds(10);

    private final PostgresBinaries postgres;
    private final Path valkeyServer;

    private ServerBinaries(PostgresBinaries postgres, Path valkeyServer) {
        this.postgres = postgres;
        this.valkeyServer = valkeyServer;
    }

    /**
     * Where binaries are unpacked once and shared: {@code gafail-cache-USER} in the Java temp folder
     * (readable by all, as a database run as nobody must read it; one per user, as binaries run from it).
     */
    public static Path defaultCache() {
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of(System.getProperty("java.io.tmpdir")).resolve("gafail-cache-" + user);
    }

    /** Both servers for the platform this JVM runs on, unpacked into the default cache where needed. */
    public static ServerBinaries here() {
        return locate(defaultCache(), Platform.current(), System.getenv());
    }

    /**
     * Both servers for {@code platform}, unpacked under {@code cache} where needed, each seen to run
     * here ({@code --version}): a binary that cannot (a shared library the machine lacks) is said
     * before anything starts, not as a server that died at start.
     */
    public static ServerBinaries locate(Path cache, Platform platform, Map<String, String> env) {
        missing(platform, env).ifPresent(line -> {
            throw new MissingBinariesException(line);
        });
        Packaged packaged = Packaged.byThisBuild();
        PostgresBinaries postgres = PostgresBinaries.unpackedIn(cache, resource(packaged.postgresArchive()));
        probe(postgres.bin("postgres"), "the packaged PostgreSQL server", "");
        Optional<Path> own = configuredValkey(env);
        if (own.isPresent()) {
            probe(own.get(), VALKEY_ENV, "");
            return new ServerBinaries(postgres, own.get());
        }
        Path valkey = ValkeyServer.unpackedIn(cache, resource(packaged.valkeyServer()), packaged.valkeyServer());
        probe(valkey, "the packaged Redis server", (packaged.valkeyNeeds().isBlank() ? ""
                : "; it needs " + packaged.valkeyNeeds()) + "; " + VALKEY_ENV + " may name a valkey-server or"
                + " redis-server that runs here");
        return new ServerBinaries(postgres, valkey);
    }

    /**
     * What {@code platform} lacks to run the servers, as one line naming the platform and each missing
     * binary; empty when nothing is missing. Reads the class path and {@code env} only.
     */
    public static Optional<String> missing(Platform platform, Map<String, String> env) {
        String configured = env.getOrDefault(VALKEY_ENV, "");
        if (!configured.isBlank() && !(Files.isRegularFile(Path.of(configured))
                && Files.isExecutable(Path.of(configured)))) {
            return Optional.of(VALKEY_ENV + "=" + configured + " is not an executable file (it names a valkey-server"
                    + " or redis-server to use instead of the packaged one)");
        }
        if (!platform.supported()) {
            List<String> lacking = new ArrayList<>(List.of("PostgreSQL server binaries"));
            if (configured.isBlank()) {
                lacking.add("Valkey/Redis server (" + VALKEY_ENV + " may name one)");
            }
            return Optional.of("no " + String.join(" and no ", lacking) + " for this platform, " + platform
                    + ": gafail packages them for " + String.join(", ", Platform.SUPPORTED));
        }
        Packaged packaged = Packaged.byThisBuild();
        if (!packaged.isFor(platform)) {
            return Optional.of("this build of gafail packages the servers for " + packaged.platform() + ", and this"
                    + " machine is " + platform + ": rebuild it here (`mvn -pl cli -am package`)");
        }
        if (resource(packaged.postgresArchive()) == null
                || configured.isBlank() && resource(packaged.valkeyServer()) == null) {
            return Optional.of("this build of gafail lacks its server binaries for " + platform + " ("
                    + packaged.postgresArchive() + ", " + packaged.valkeyServer() + "): rebuild it"
                    + " (`mvn -pl cli -am package`)");
        }
        return Optional.empty();
    }

    /**
     * For scripts (sample-api's benchmark): prints {@code postgres BIN_FOLDER} and {@code valkey BINARY},
     * unpacked once; where they cannot run, one line on stderr and exit 2.
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

    /** Runs {@code binary --version}; if it does not answer, says so in one line with its first line of output. */
    private static void probe(Path binary, String what, String advice) {
        try {
            ChildProcess.Finished finished = ChildProcess.run(List.of(binary.toString(), "--version"), PROBE_LIMIT);
            if (!finished.succeeded()) {
                throw new MissingBinariesException(what + " (" + binary + ") does not run on this machine: "
                        + finished.firstLine() + advice);
            }
        } catch (IOException e) {
            throw new MissingBinariesException(what + " (" + binary + ") does not run on this machine: "
                    + e.getMessage() + advice);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MissingBinariesException(what + " (" + binary + "): interrupted while checking it runs");
        }
    }
}
