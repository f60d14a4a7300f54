package dev.gafail.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which servers a platform has, what it lacks, said in one line, and the binaries unpacked once. */
class ServerBinariesTest {

    private static final Platform S390X = Platform.of("Linux", "s390x");

    @TempDir
    Path tmp;

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
    void thisBuildsPlatformHasBothServers() {
        assertEquals(Optional.empty(), ServerBinaries.missing(Platform.current(), Map.of()));
    }

    @Test
    void aPlatformWithoutPackagedBinariesIsNamedWithWhatItLacks() {
        assertEquals(Optional.of("no PostgreSQL server binaries and no Valkey/Redis server (GAFAIL_VALKEY_SERVER may"
                + " name one) for this platform, linux-s390x: gafail packages them for linux-amd64, linux-arm64,"
                + " macos-amd64, macos-arm64"), ServerBinaries.missing(S390X, Map.of()));
        MissingBinariesException e = assertThrows(MissingBinariesException.class,
                () -> ServerBinaries.locate(tmp, S390X, Map.of()));
        assertEquals(ServerBinaries.missing(S390X, Map.of()).orElseThrow(), e.getMessage());
        assertEquals(0, tmp.toFile().list().length, "nothing unpacked");
    }

    @Test
    void aValkeyServerOfTheUsersOwnLeavesOnlyPostgresMissing() throws Exception {
        Path own = Files.createFile(tmp.resolve("valkey-server"));
        own.toFile().setExecutable(true);
        assertEquals(Optional.of("no PostgreSQL server binaries for this platform, linux-s390x: gafail packages them for"
                + " linux-amd64, linux-arm64, macos-amd64, macos-arm64"),
                ServerBinaries.missing(S390X, Map.of(ServerBinaries.VALKEY_ENV, own.toString())));
    }

    @Test
    void aValkeyServerSettingThatNamesNoExecutableIsRefusedEvenWherePackagedOnesExist() {
        String missing = tmp.resolve("nowhere/valkey-server").toString();
        assertEquals(Optional.of("GAFAIL_VALKEY_SERVER=" + missing + " is not an executable file (it names a"
                + " valkey-server or redis-server to use instead of the packaged one)"),
                ServerBinaries.missing(Platform.current(), Map.of(ServerBinaries.VALKEY_ENV, missing)));
    }

    @Test
    void binariesAreUnpackedOnceAndReused() throws Exception {
        ServerBinaries first = ServerBinaries.locate(tmp, Platform.current(), Map.of());
        assertTrue(Files.isExecutable(first.postgres().bin("postgres")));
        assertTrue(Files.isExecutable(first.valkeyServer()));
        long unpackedAt = Files.getLastModifiedTime(first.valkeyServer()).toMillis();
        ServerBinaries second = ServerBinaries.locate(tmp, Platform.current(), Map.of());
        assertEquals(first.valkeyServer(), second.valkeyServer());
        assertEquals(unpackedAt, Files.getLastModifiedTime(second.valkeyServer()).toMillis());
        try (var entries = Files.list(tmp)) {
            assertEquals(2, entries.count(), "one folder per server, no partial ones left");
        }
    }

    @Test
    void theUsersOwnValkeyServerIsUsedAsItIs() throws Exception {
        Path own = Files.createFile(tmp.resolve("my-valkey-server"));
        own.toFile().setExecutable(true);
        assertEquals(own, ServerBinaries.locate(tmp, Platform.current(),
                Map.of(ServerBinaries.VALKEY_ENV, own.toString())).valkeyServer());
    }
}
