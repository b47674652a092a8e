package dev.archon.traceability.maintenance;

import dev.archon.traceability.jobs.Job;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Moves lineage events older than the retention (default 90 days, counted from today's date as the runbook does)
 * into lineage_events_archive, without DELETE + VACUUM FULL of a large table:
 * <ol>
 * <li>every monthly partition entirely older than the cutoff moves whole: DETACH from lineage_events, ATTACH to
 * lineage_events_archive (a catalog change: no row is copied, nothing is left to vacuum);</li>
 * <li>the rest (the month the cutoff falls in, and the default partition) moves in bounded batches, each its own
 * transaction ({@code DELETE ... RETURNING} into the archive, {@code FOR UPDATE SKIP LOCKED} so ingest never
 * waits on it); the dead tuples they leave are ordinary autovacuum work, and leave with their partition later.</li>
 * </ol>
 * The report reconciles: events older than the cutoff before = archived + left after, and the archive grew by
 * exactly the archived count. A dry run reports what would move.
 */
public final class ArchivalJob implements Job {

    private static final Pattern MONTH_PARTITION = Pattern.compile("lineage_events_(\\d{4})_(\\d{2})");

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration retention;
    private final int batchSize;
    private final Counter archivedRows;

    public ArchivalJob(DataSource dataSource, Clock clock, Duration retention, int batchSize, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.retention = retention;
        this.batchSize = batchSize;
        this.archivedRows = Counter.builder("archival_rows_archived").description("Events moved to the archive")
                .register(meters);
    }

    @Override
    public String name() {
        return "archival";
    }

    @Override
    public Map<String, Object> run(boolean dryRun) throws SQLException {
        Instant cutoff = LocalDate.now(clock.withZone(ZoneOffset.UTC)).atStartOfDay(ZoneOffset.UTC).toInstant()
                .minus(Duration.ofDays(retention.toDays()));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("cutoff", cutoff.toString());
        long oldBefore = count("SELECT count(*) FROM lineage_events WHERE \"timestamp\" < ?", cutoff);
        long archiveBefore = count("SELECT count(*) FROM lineage_events_archive", null);
        report.put("events_older_than_cutoff_before", oldBefore);
        report.put("archive_rows_before", archiveBefore);

        List<String[]> wholeMonths = wholeMonthsBefore(cutoff);
        if (dryRun) {
            report.put("would_move_partitions", wholeMonths.stream().map(m -> m[0]).toList());
            report.put("would_archive_rows", oldBefore);
            return report;
        }
        long byPartition = 0;
        List<String> moved = new ArrayList<>();
        for (String[] month : wholeMonths) {
            byPartition += movePartition(month[0], month[1], month[2]);
            moved.add(month[0]);
        }
        long byBatches = moveInBatches(cutoff);
        long oldAfter = count("SELECT count(*) FROM lineage_events WHERE \"timestamp\" < ?", cutoff);
        long archiveAfter = count("SELECT count(*) FROM lineage_events_archive", null);
        long archived = byPartition + byBatches;
        archivedRows.increment(archived);
        report.put("partitions_moved", moved);
        report.put("rows_moved_with_partitions", byPartition);
        report.put("rows_moved_in_batches", byBatches);
        report.put("rows_archived", archived);
        report.put("events_older_than_cutoff_after", oldAfter);
        report.put("archive_rows_after", archiveAfter);
        boolean reconciled = oldBefore == archived + oldAfter && archiveAfter - archiveBefore == archived;
        report.put("reconciled", reconciled);
        if (!reconciled) {
            throw new IllegalStateException("archival counts do not reconcile: " + report);
        }
        return report;
    }

    /** Monthly partitions whose whole month ends on or before the cutoff: name, from, to. */
    private List<String[]> wholeMonthsBefore(Instant cutoff) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT inhrelid::regclass::text FROM pg_inherits"
                     + " WHERE inhparent = 'lineage_events'::regclass ORDER BY 1")) {
            while (rs.next()) {
                Matcher m = MONTH_PARTITION.matcher(rs.getString(1));
                if (!m.matches()) {
                    continue;
                }
                LocalDate from = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), 1);
                LocalDate to = from.plusMonths(1);
                String archivedName = rs.getString(1).replace("lineage_events_", "lineage_events_archive_");
                if (!to.atStartOfDay(ZoneOffset.UTC).toInstant().isAfter(cutoff) && !exists(c, archivedName)) {
                    out.add(new String[] {rs.getString(1), from.toString(), to.toString()});
                }
            }
        }
        return out;
    }

    /**
     * Whether the archive already has this month as a partition: then a re-created events partition of that month
     * (a restart re-creates last month's) is emptied by the batches instead.
     */
    private static boolean exists(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** DETACH from the events, ATTACH to the archive, in one transaction; returns the rows it held. */
    private long movePartition(String partition, String from, String to) throws SQLException {
        // names come from the catalog and match lineage_events_YYYY_MM; bounds are dates we computed
        String archived = partition.replace("lineage_events_", "lineage_events_archive_");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                s.execute("ALTER TABLE lineage_events DETACH PARTITION " + partition);
                long rows; // counted under DETACH's lock: nothing can join it any more
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + partition)) {
                    rs.next();
                    rows = rs.getLong(1);
                }
                // rows of that month that earlier batches put in the archive's default partition join it first
                s.execute("WITH m AS (DELETE FROM lineage_events_archive_default WHERE \"timestamp\" >= '" + from
                        + " 00:00:00+00' AND \"timestamp\" < '" + to + " 00:00:00+00' RETURNING *) INSERT INTO "
                        + partition + " SELECT * FROM m");
                s.execute("ALTER TABLE " + partition + " RENAME TO " + archived);
                s.execute("ALTER TABLE lineage_events_archive ATTACH PARTITION " + archived
                        + " FOR VALUES FROM ('" + from + " 00:00:00+00') TO ('" + to + " 00:00:00+00')");
                c.commit();
                return rows;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Moves what is left older than the cutoff, batch by batch, partition by partition. */
    private long moveInBatches(Instant cutoff) throws SQLException {
        List<String> partitions = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT inhrelid::regclass::text FROM pg_inherits"
                     + " WHERE inhparent = 'lineage_events'::regclass ORDER BY 1")) {
            while (rs.next()) {
                partitions.add(rs.getString(1));
            }
        }
        long total = 0;
        for (String partition : partitions) {
            String sql = "WITH moved AS (DELETE FROM " + partition + " WHERE ctid IN (SELECT ctid FROM " + partition
                    + " WHERE \"timestamp\" < ? LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING *)"
                    + " INSERT INTO lineage_events_archive SELECT * FROM moved";
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
                int moved;
                do {
                    ps.setTimestamp(1, Timestamp.from(cutoff));
                    ps.setInt(2, batchSize);
                    moved = ps.executeUpdate();
                    total += moved;
                } while (moved == batchSize);
            }
        }
        return total;
    }

    private long count(String sql, Instant at) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (at != null) {
                ps.setTimestamp(1, Timestamp.from(at));
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
