package dev.archon.traceability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the command line asks for: the service (no arguments), one job run, a restore, the help text, or a usage
 * error. Pure parsing, so every form unit-tests without starting anything.
 */
sealed interface CommandLine {

    /** Job commands and the job each runs: {@code java -jar <jar> maintenance [--dry-run]}. */
    Map<String, String> JOBS = Map.of(
            "maintenance", "daily-maintenance",
            "weekly-maintenance", "weekly-maintenance",
            "backup", "backup",
            "archive", "archival",
            "health-check", "health-check");

    String USAGE = """
            Usage: java -jar pattern-traceability.jar [command] [options]

            Without a command the service starts (HTTP on traceability.http.port, 8053 by default).

            Commands: each runs once with the service's configuration and database (beside a running service on the
            embedded database: that service's database), prints the recorded run as JSON on stdout (logs go to
            stderr), and exits 0 when it succeeded, 1 when it failed.
              maintenance [--dry-run]          daily maintenance: VACUUM ANALYZE, table and index report, partitions
              weekly-maintenance [--dry-run]   REINDEX TABLE CONCURRENTLY, ANALYZE, bloat report
              archive [--dry-run]              move events older than the retention to lineage_events_archive
              backup [--dry-run]               verified pg_dump of the lineage tables to ARCHON_BACKUP_DIR
              health-check                     database, contract tables, service health, orphaned edges
              restore <file | name | latest> [--pattern <uuid>] [--dry-run]
                                               restore a dump: all of it, or one pattern's lineage
              help, --help, -h                 this text

            Settings: config/application.properties documents every key; an environment variable named after a key
            overrides it (TRACEABILITY_DB_URL_EXTERNAL, ARCHON_BACKUP_DIR, ...).
            Exit codes: 0 success, 1 the run or start-up failed, 2 bad usage.
            """;

    record Serve() implements CommandLine {
    }

    record Help() implements CommandLine {
    }

    record Job(String job, boolean dryRun) implements CommandLine {
    }

    record Restore(String dump, UUID pattern, boolean dryRun) implements CommandLine {
    }

    record Usage(String error) implements CommandLine {
    }

    static CommandLine parse(String... args) {
        if (args.length == 0) {
            return new Serve();
        }
        String command = args[0];
        if (List.of("help", "--help", "-h").contains(command)) {
            return new Help();
        }
        List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
        boolean dryRun = rest.remove("--dry-run");
        if (JOBS.containsKey(command)) {
            if (command.equals("health-check") && dryRun) {
                return new Usage("health-check has no --dry-run: it changes nothing");
            }
            return rest.isEmpty() ? new Job(JOBS.get(command), dryRun)
                    : new Usage(command + ": unexpected " + String.join(" ", rest));
        }
        if (command.equals("restore")) {
            UUID pattern = null;
            int p = rest.indexOf("--pattern");
            if (p >= 0) {
                if (p + 1 >= rest.size()) {
                    return new Usage("restore: --pattern needs a pattern id (uuid)");
                }
                try {
                    pattern = UUID.fromString(rest.get(p + 1));
                } catch (IllegalArgumentException e) {
                    return new Usage("restore: --pattern " + rest.get(p + 1) + " is not a UUID");
                }
                rest.remove(p + 1);
                rest.remove(p);
            }
            if (rest.size() != 1 || rest.get(0).startsWith("-")) {
                return new Usage(rest.isEmpty() ? "restore: which dump? a file, a name in ARCHON_BACKUP_DIR, or latest"
                        : "restore: unexpected " + String.join(" ", rest));
            }
            return new Restore(rest.get(0), pattern, dryRun);
        }
        return new Usage("unknown command '" + command + "'");
    }
}
