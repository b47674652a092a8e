package dev.archon.traceability.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Makes restore jobs from what an operator names: a dump in the backup folder by file name, or {@code latest} (the
 * newest verified dump). Over HTTP only those two forms are accepted, so a request can never reach outside the
 * backup folder; the command line also takes a path.
 */
public final class Restores {

    private final DataSource dataSource;
    private final PgClient client;
    private final BackupFiles backups;

    public Restores(DataSource dataSource, PgClient client, BackupFiles backups) {
        this.dataSource = dataSource;
        this.client = client;
        this.backups = backups;
    }

    /** A restore of {@code dump} (a file name in the backup folder, or "latest"); the whole dump or one pattern. */
    public RestoreJob fromBackupFolder(String dump, UUID patternId) throws IOException {
        return new RestoreJob(dataSource, client, resolve(dump), patternId);
    }

    /** The same, from the command line, where a path to a dump anywhere is accepted too. */
    public RestoreJob fromCommandLine(String dump, UUID patternId) throws IOException {
        Path path = Path.of(dump);
        return new RestoreJob(dataSource, client, Files.isRegularFile(path) ? path : resolve(dump), patternId);
    }

    private Path resolve(String dump) throws IOException {
        if ("latest".equals(dump)) {
            return backups.newestVerifiedDump()
                    .orElseThrow(() -> new IllegalArgumentException("no verified dump in " + backups.dir()));
        }
        if (!BackupFiles.isDumpName(dump)) {
            throw new IllegalArgumentException("expected a dump file name such as phase4_lineage_20261127_020000.dump"
                    + " (in " + backups.dir() + ") or \"latest\", got '" + dump + "'");
        }
        Path path = backups.dir().resolve(dump);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("no dump " + dump + " in " + backups.dir());
        }
        return path;
    }
}
