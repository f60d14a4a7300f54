package dev.gafail.servers;

import java.util.List;
import java.util.Locale;

/** The operating system and processor a build or a run is on, named as the docs name them ({@code linux-amd64}). */
public record Platform(String os, String arch) {

    /** The platforms gafail packages server binaries for: servers/pom.xml has a profile for each. */
    public static final List<String> SUPPORTED = List.of("linux-amd64", "linux-arm64", "macos-amd64", "macos-arm64");

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

    public boolean supported() {
        return SUPPORTED.contains(toString());
    }

    @Override
    public String toString() {
        return os + "-" + arch;
    }
}
