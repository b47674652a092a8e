package dev.archon.traceability.config;

import dev.archon.traceability.backup.BackupAudit;
import dev.archon.traceability.backup.BackupFiles;
import dev.archon.traceability.backup.PgClient;
import dev.archon.traceability.db.Database;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/** The backup folder (ARCHON_BACKUP_DIR), the PostgreSQL client tools, and the audit of the newest dump in it. */
public final class BackupConfiguration implements CamelConfiguration {

    @BindToRegistry
    public BackupFiles backupFiles(Settings settings) {
        return new BackupFiles(settings.path("archon.backup.dir"));
    }

    @BindToRegistry
    public PgClient pgClient(Settings settings, Database database) {
        return new PgClient(settings.string("traceability.backup.pg-dump"),
                settings.string("traceability.backup.pg-restore"), settings.string("traceability.backup.psql"),
                database.url());
    }

    @BindToRegistry
    public BackupAudit backupAudit(BackupFiles files, PgClient client, CamelContext context) {
        return new BackupAudit(files, client, CoreConfiguration.meters(context));
    }
}
