package dev.gafail.servers.postgres;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;

/**
 * A replica's first copy of its primary, with PostgreSQL's low-level backup functions around a
 * file copy (the embedded binaries have no pg_basebackup): a replication slot keeps the WAL from
 * the copy's start until the replica streams it; {@code pg_backup_stop} gives the backup label.
 */
final class BaseCopy {

    /** Not copied: the running server's own files, its WAL (streamed instead) and its slots. */
    private static final Set<String> SKIPPED = Set.of("postmaster.pid", "postmaster.opts", "pg_wal", "pg_replslot",
            "pg_stat_tmp", "lab.conf", "standby.signal", "backup_label", "backup_label.old", "postgresql.auto.conf",
            "log");

    private BaseCopy() {
    }

    /** Copies {@code source}'s data into the empty folder {@code target}, for a replica using {@code slot}. */
    static void copy(Connection source, Path sourceData, Path target, String slot) throws SQLException, IOException {
        try (Statement sql = source.createStatement()) {
            sql.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                    + " WHERE slot_name = '" + slot + "' AND NOT active");
            try (ResultSet exists = sql.executeQuery("SELECT 1 FROM pg_replication_slots WHERE slot_name = '"
                    + slot + "'")) {
                if (!exists.next()) {
                    sql.execute("SELECT pg_create_physical_replication_slot('" + slot + "', true)");
                }
            }
        }
        backup(source, sourceData, target);
        Files.writeString(target.resolve("standby.signal"), "");
    }

    /**
     * A base backup of {@code source} in the empty folder {@code target}: its files between {@code
     * pg_backup_start} and {@code pg_backup_stop}, and the backup label; the WAL that makes it consistent
     * comes from a replication slot or from the source's WAL archive. A primary or a replica may be backed up.
     */
    static void backup(Connection source, Path sourceData, Path target) throws SQLException, IOException {
        try (Statement sql = source.createStatement()) {
            sql.execute("SELECT pg_backup_start('gafail-lab', true)");
            String label;
            try {
                copyTree(sourceData, target, SKIPPED);
            } finally {
                try (ResultSet stop = sql.executeQuery("SELECT labelfile FROM pg_backup_stop(false)")) {
                    stop.next();
                    label = stop.getString(1);
                }
            }
            Files.writeString(target.resolve("backup_label"), label);
        }
        Files.createDirectories(target.resolve("pg_wal/archive_status"));
        Files.createDirectories(target.resolve("pg_replslot"));
        Files.createDirectories(target.resolve("pg_stat_tmp"));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
    }

    /** A copy of the base backup {@code backup} in the empty folder {@code target}, to restore it there. */
    static void copyBackup(Path backup, Path target) throws IOException {
        copyTree(backup, target, Set.of());
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
    }

    /** {@code from}'s tree into {@code to}, but for the files and folders at its top named in {@code skipped}. */
    private static void copyTree(Path from, Path to, Set<String> skipped) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(from) && dir.getParent().equals(from) && skipped.contains(dir.getFileName().toString())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(dir)));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (file.getParent().equals(from) && skipped.contains(file.getFileName().toString())) {
                    return FileVisitResult.CONTINUE;
                }
                Files.copy(file, to.resolve(from.relativize(file)), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                // A file the server removed while we copied (a temporary one): the WAL replay covers it.
                if (e instanceof java.nio.file.NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
    }
}
