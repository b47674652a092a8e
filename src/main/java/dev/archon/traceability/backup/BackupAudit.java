package dev.archon.traceability.backup;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads the newest {@code phase4_lineage_*.dump} in the backup folder, whoever wrote it (the backup job, the drop-in
 * ops/scripts/backup_phase4_data.sh, or the runbook's script as written), and says whether it holds data for every
 * lineage table. The health-check job runs it; /health shows its last finding and the gauge
 * {@code backup_newest_dump_complete} (1 complete, 0 incomplete, -1 no dump or not checked) lets an alert fire.
 */
public final class BackupAudit {

    /** The last finding: the dump's name and contents, or why it could not be read. */
    public record Finding(String dump, DumpContents contents, String error) {

        public Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("newest_dump", dump);
            if (contents != null) {
                m.put("complete", contents.complete());
                if (!contents.complete()) {
                    m.put("missing", contents.missing());
                    m.put("problem", contents.problem(dump));
                }
            }
            if (error != null) {
                m.put("error", error);
            }
            return m;
        }
    }

    private final BackupFiles files;
    private final PgClient client;
    private final AtomicInteger complete = new AtomicInteger(-1);
    private volatile Finding last;
    private String lastKey;

    public BackupAudit(BackupFiles files, PgClient client, MeterRegistry meters) {
        this.files = files;
        this.client = client;
        Gauge.builder("backup_newest_dump_complete", complete, AtomicInteger::get)
                .description("Whether the newest phase4_lineage_*.dump holds data for every lineage table"
                        + " (1 yes, 0 no, -1 no dump or not checked yet)")
                .register(meters);
    }

    /** Checks the newest dump (again only when it changed); empty when the folder has none. */
    public synchronized Optional<Finding> check() throws IOException {
        Optional<Path> newest = files.newestDump();
        if (newest.isEmpty()) {
            complete.set(-1);
            last = null;
            return Optional.empty();
        }
        Path dump = newest.get();
        String key = dump.getFileName() + ":" + Files.size(dump) + ":" + Files.getLastModifiedTime(dump).toMillis();
        if (!key.equals(lastKey)) {
            String name = dump.getFileName().toString();
            try {
                DumpContents contents = DumpContents.of(client.pgRestore(java.util.List.of("--list", dump.toString())));
                last = new Finding(name, contents, null);
                complete.set(contents.complete() ? 1 : 0);
            } catch (PgClient.ToolException e) {
                last = new Finding(name, null, "cannot read its table of contents: " + e.getMessage());
                complete.set(0);
            }
            lastKey = key;
        }
        return Optional.of(last);
    }

    /** The last finding, without reading anything (for /health). */
    public Optional<Finding> last() {
        return Optional.ofNullable(last);
    }
}
