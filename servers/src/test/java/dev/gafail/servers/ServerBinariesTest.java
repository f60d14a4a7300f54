package dev.gafail.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.servers.postgres.PostgresBinaries;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which servers a platform has, what it lacks (said in one line), and the binaries unpacked once. */
class ServerBinariesTest {

    private static final Platform S390X = Platform.of("Linux", "s390x");

    @TempDir
    Path tmp;

    private Path script(String name, String body) throws Exception {
        Path file = Files.writeString(tmp.resolve(name), "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private List<Path> cacheEntries() throws Exception {
        try (Stream<Path> entries = Files.list(tmp.resolve("cache"))) {
            return entries.toList();
        }
    }

    @Test
    void platformsAreNamedAsTheDocsNameThem() {
        assertEquals("linux-amd64", Platform.of("Linux", "amd64").toString());
        assertEquals("linux-arm64", Platform.of("Linux", "aarch64").toString());
        assertEquals("macos-arm64", Platform.of("Mac OS X", "aarch64").toString());
        assertEquals("macos-amd64", Platform.of("Mac OS X", "x86_64").toString());
        assertEquals("windows-amd64", Platform.of("Windows 11", "amd64").toString());
        assertEquals("freebsd-amd64", Platform.of("FreeBSD", "amd64").toString());
    }

    @Test
    void everySupportedPlatformHasAProfileThatWritesItsName() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher profile = Pattern.compile("<id>([^<]+)</id>\\s*<activation>.*?<packaged\\.platform>([^<]+)<",
                Pattern.DOTALL).matcher(pom);
        List<String> profiles = new ArrayList<>();
        while (profile.find()) {
            assertEquals(profile.group(1), profile.group(2), "the profile " + profile.group(1) + " writes its own name");
            profiles.add(profile.group(1));
        }
        assertEquals(Platform.SUPPORTED, profiles);
    }

    @Test
    void thisBuildsPlatformHasBothServersAndTheyRunHere() throws Exception {
        assertEquals(Optional.empty(), ServerBinaries.missing(Platform.current(), Map.of()));
        ServerBinaries binaries = ServerBinaries.locate(tmp.resolve("cache"), Platform.current(), Map.of());
        assertTrue(Files.isExecutable(binaries.postgres().bin("postgres")));
        assertTrue(binaries.valkeyServer().getFileName().toString().startsWith("redis-server-"),
                "the packaged server keeps its own name: " + binaries.valkeyServer());
    }

    @Test
    void aPlatformWithoutPackagedBinariesIsNamedWithWhatItLacksAndNothingIsUnpacked() {
        assertEquals(Optional.of("no PostgreSQL server binaries and no Valkey/Redis server (GAFAIL_VALKEY_SERVER may"
                + " name one) for this platform, linux-s390x: gafail packages them for linux-amd64, linux-arm64,"
                + " macos-amd64, macos-arm64"), ServerBinaries.missing(S390X, Map.of()));
        MissingBinariesException e = assertThrows(MissingBinariesException.class,
                () -> ServerBinaries.locate(tmp.resolve("cache"), S390X, Map.of()));
        assertEquals(ServerBinaries.missing(S390X, Map.of()).orElseThrow(), e.getMessage());
        assertTrue(Files.notExists(tmp.resolve("cache")), "nothing unpacked");
    }

    @Test
    void aValkeyServerOfTheUsersOwnLeavesOnlyPostgresMissing() throws Exception {
        Path own = script("valkey-server", "echo Valkey server v=8.0.1");
        assertEquals(Optional.of("no PostgreSQL server binaries for this platform, linux-s390x: gafail packages them for"
                + " linux-amd64, linux-arm64, macos-amd64, macos-arm64"),
                ServerBinaries.missing(S390X, Map.of(ServerBinaries.VALKEY_ENV, own.toString())));
    }

    @Test
    void aBuildForAnotherPlatformIsToldToRebuild() {
        Platform other = Platform.SUPPORTED.stream().filter(p -> !p.equals(Platform.current().toString()))
                .map(p -> new Platform(p.split("-")[0], p.split("-")[1])).findFirst().orElseThrow();
        assertEquals(Optional.of("this build of gafail packages the servers for " + Platform.current() + ", and this"
                + " machine is " + other + ": rebuild it here (`mvn -pl cli -am package`)"),
                ServerBinaries.missing(other, Map.of()));
    }

    @Test
    void aValkeyServerSettingThatNamesNoExecutableFileIsRefused() throws Exception {
        for (String setting : List.of(tmp.resolve("nowhere/valkey-server").toString(), tmp.toString())) {
            assertEquals(Optional.of("GAFAIL_VALKEY_SERVER=" + setting + " is not an executable file (it names a"
                    + " valkey-server or redis-server to use instead of the packaged one)"),
                    ServerBinaries.missing(Platform.current(), Map.of(ServerBinaries.VALKEY_ENV, setting)), setting);
        }
    }

    @Test
    void aServerThatCannotRunHereIsSaidInOneLineBeforeAnythingStarts() throws Exception {
        Path own = script("valkey-server", "echo 'valkey-server: error while loading shared libraries: libssl.so.3:"
                + " cannot open shared object file: No such file or directory' >&2; exit 127");
        MissingBinariesException e = assertThrows(MissingBinariesException.class, () -> ServerBinaries.locate(
                tmp.resolve("cache"), Platform.current(), Map.of(ServerBinaries.VALKEY_ENV, own.toString())));
        assertEquals("GAFAIL_VALKEY_SERVER (" + own + ") does not run on this machine: valkey-server: error while"
                + " loading shared libraries: libssl.so.3: cannot open shared object file: No such file or directory",
                e.getMessage());
    }

    @Test
    void theUsersOwnValkeyServerIsUsedAsItIs() throws Exception {
        Path own = script("my-valkey-server", "echo Valkey server v=8.0.1");
        assertEquals(own, ServerBinaries.locate(tmp.resolve("cache"), Platform.current(),
                Map.of(ServerBinaries.VALKEY_ENV, own.toString())).valkeyServer());
    }

    @Test
    void binariesAreUnpackedOncePerVersionWhereverTheirJarLies() throws Exception {
        Path cache = tmp.resolve("cache");
        ServerBinaries first = ServerBinaries.locate(cache, Platform.current(), Map.of());
        long unpackedAt = Files.getLastModifiedTime(first.valkeyServer()).toMillis();
        ServerBinaries second = ServerBinaries.locate(cache, Platform.current(), Map.of());
        assertEquals(first.valkeyServer(), second.valkeyServer());
        assertEquals(unpackedAt, Files.getLastModifiedTime(second.valkeyServer()).toMillis());

        // The same PostgreSQL archive in a jar somewhere else (a build's lib/ beside the Maven repository).
        String archive = Packaged.byThisBuild().postgresArchive();
        URL packaged = getClass().getClassLoader().getResource(archive);
        String jar = packaged.toString().substring("jar:file:".length(), packaged.toString().indexOf('!'));
        Path copy = Files.copy(Path.of(jar), tmp.resolve("elsewhere.jar"));
        PostgresBinaries again = PostgresBinaries.unpackedIn(cache, new URL("jar:" + copy.toUri() + "!/" + archive));
        assertEquals(first.postgres().bin("postgres"), again.bin("postgres"));
        assertEquals(2, cacheEntries().size(), "one folder per server, no partial ones left: " + cacheEntries());
    }

    @Test
    void aCacheFolderOthersCanWriteIsNotUsed() throws Exception {
        Path cache = Files.createDirectory(tmp.resolve("cache"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> ServerBinaries.locate(cache, Platform.current(), Map.of()));
        assertTrue(e.getMessage().contains(cache + " is not a folder of " + System.getProperty("user.name")
                + "'s that only they can write"), e.getMessage());
        assertEquals(List.of(), cacheEntries());
    }
}
