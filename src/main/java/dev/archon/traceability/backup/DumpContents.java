package dev.archon.traceability.backup;

import dev.archon.traceability.db.Tables;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a dump holds, read from its table of contents ({@code pg_restore --list}): which tables have data. A dump
 * is complete when every lineage table has data; for a partitioned table that means its partitions (PostgreSQL 15's
 * {@code pg_dump --table=lineage_events} writes the parent's definition and none of its partitions' rows, exiting 0:
 * the runbook's backup_phase4_data.sh as written does exactly that).
 */
public record DumpContents(Set<String> tablesWithData, List<String> missing) {

    private static final Pattern TABLE_DATA = Pattern.compile(" TABLE DATA \\S+ (\\S+) ");

    public static DumpContents of(String listing) {
        Set<String> withData = new TreeSet<>();
        Matcher m = TABLE_DATA.matcher(listing);
        while (m.find()) {
            withData.add(m.group(1));
        }
        List<String> missing = new ArrayList<>();
        for (String table : Tables.LINEAGE) {
            Pattern rows = Tables.PARTITIONED.contains(table)
                    ? Pattern.compile(Pattern.quote(table) + "_(\\d{4}_\\d{2}|default)") : Pattern.compile(
                    Pattern.quote(table));
            if (withData.stream().noneMatch(t -> rows.matcher(t).matches())) {
                missing.add(Tables.PARTITIONED.contains(table) ? table + " (its partitions)" : table);
            }
        }
        return new DumpContents(withData, List.copyOf(missing));
    }

    public boolean complete() {
        return missing.isEmpty();
    }

    /** Why a dump is incomplete, and what to do, for health and job reports. */
    public String problem(String dumpName) {
        return dumpName + " has no data for " + String.join(", ", missing) + ": it was made by a pg_dump that does"
                + " not follow partitions (such as the runbook's backup_phase4_data.sh as written) and would restore"
                + " no events. Back up with ops/scripts/backup_phase4_data.sh or the backup job"
                + " (POST /api/admin/jobs/backup/run), which dump the partitions and verify the dump.";
    }
}
