package dev.gafail.servers;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The operating system and processor a build or a run is on, named as the lab's docs and messages
 * name them ({@code linux-amd64}, {@code macos-arm64}), with the packaged server binaries each has.
 */
public record Platform(String os, String arch) {

    /** The class-path names of the packaged binaries of one platform. */
    record Binaries(String postgresArchive, String valkeyServer) {
    }

    /** Zonky's PostgreSQL archives and embedded-redis's server binaries, by platform (servers/pom.xml's profiles). */
    static final Map<String, Binaries> PACKAGED = Map.of(
            "linux-amd64", new Binaries("postgres-linux-x86_64.txz", "redis-server-6.2.6-v5-linux-amd64"),
            "linux-arm64", new Binaries("postgres-linux-arm_64.txz", "redis-server-6.2.7-linux-arm64"),
            "macos-amd64", new Binaries("postgres-darwin-x86_64.txz", "redis-server-6.2.6-v5-darwin-amd64"),
            "macos-arm64", new Binaries("postgres-darwin-arm_64.txz", "redis-server-6.2.6-v5-darwin-arm64"));

    /** The platform this JVM runs on. */
    public static Platform current() {
        return of(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    /** From the JVM's {@code os.name} and {@code os.arch}. */
    public static Platform of(String osName, String osArch) {
        String name = osName.toLowerCase(Locale.ROOT);
        String os = name.startsWith("mac") || name.startsWith("darwin") ? "macos"
                : name.startsWith("windows") ? "windows" : name.replaceAll("[^a-z0-9]", "");
        String arch = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64", "x64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> osArch.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "");
        };
        return new Platform(os, arch);
    }

    /** The binaries gafail packages for this platform, if it packages any. */
    Optional<Binaries> packaged() {
        return Optional.ofNullable(PACKAGED.get(toString()));
    }

    @Override
    public String toString() {
        return os + "-" + arch;
    }
}
