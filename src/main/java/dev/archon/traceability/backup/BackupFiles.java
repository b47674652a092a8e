package dev.archon.traceability.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The backup folder (ARCHON_BACKUP_DIR) and the runbook's file names in it: {@code phase4_lineage_<stamp>.dump},
 * its verification sidecar {@code <dump>.json}, and {@code phase4_schema_<stamp>.sql.gz}, with stamps
 * {@code YYYYMMDD_HHMMSS} in UTC. A dump counts as verified when its sidecar exists (the backup job writes it last).
 */
public final class BackupFiles {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");
    private static final Pattern DUMP = Pattern.compile("phase4_lineage_(\\d{8}_\\d{6})\\.dump");
    private static final Pattern ANY = Pattern.compile(
            "phase4_(lineage|schema)_(\\d{8}_\\d{6})\\.(dump|dump\\.json|sql\\.gz)");

    private final Path dir;

    public BackupFiles(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    static String stamp(Instant at) {
        return LocalDateTime.ofInstant(at, ZoneOffset.UTC).format(STAMP);
    }

    static String dumpName(String stamp) {
        return "phase4_lineage_" + stamp + ".dump";
    }

    static String schemaName(String stamp) {
        return "phase4_schema_" + stamp + ".sql.gz";
    }

    static Path sidecarOf(Path dump) {
        return dump.resolveSibling(dump.getFileName() + ".json");
    }

    static boolean isDumpName(String name) {
        return name != null && DUMP.matcher(name).matches();
    }

    /** The newest dump, verified or not, whoever wrote it (by the stamp in its name). */
    public Optional<Path> newestDump() throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> isDumpName(f.getFileName().toString())).max(Comparator.comparing(Path::getFileName));
        }
    }

    /** The newest dump that has its verification sidecar. */
    public Optional<Path> newestVerifiedDump() throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> isDumpName(f.getFileName().toString()) && Files.exists(sidecarOf(f)))
                    .max(Comparator.comparing(Path::getFileName));
        }
    }

    /**
     * Backup files (dumps, sidecars, schemas) made before {@code cutoff}, oldest first, sparing those of the newest
     * verified dump.
     */
    List<Path> madeBefore(Instant cutoff) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        String spared = newestVerifiedDump().map(d -> stampOf(d.getFileName().toString())).orElse(null);
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted(Comparator.comparing(Path::getFileName)).toList()) {
                Matcher m = ANY.matcher(f.getFileName().toString());
                if (!m.matches() || m.group(2).equals(spared)) {
                    continue;
                }
                Instant made = stampTime(m.group(2));
                if (made != null && made.isBefore(cutoff)) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    private static String stampOf(String dumpName) {
        Matcher m = DUMP.matcher(dumpName);
        return m.matches() ? m.group(1) : null;
    }

    private static Instant stampTime(String stamp) {
        try {
            return LocalDateTime.parse(stamp, STAMP).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
