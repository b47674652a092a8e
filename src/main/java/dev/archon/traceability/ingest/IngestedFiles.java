package dev.archon.traceability.ingest;

import dev.archon.traceability.errors.DatabaseUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The ingest_files table: one row per inbox file content (SHA-256), written when the file is done, so a file dropped
 * again is recognised and stores nothing twice. Any SQL failure is a {@link DatabaseUnavailableException}: the file
 * stays in the inbox and is read again later.
 */
final class IngestedFiles {

    private final DataSource dataSource;

    IngestedFiles(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    boolean alreadyIngested(String sha256) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM ingest_files WHERE sha256 = ?")) {
            ps.setString(1, sha256);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** The file of {@code kind}'s inbox is done: {@code lines} records, with these tallies. */
    void record(String sha256, String kind, String name, long lines, Tally tally) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO ingest_files (sha256, inbox, file_name, lines,"
                     + " stored, duplicates, rejected) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, sha256);
            ps.setString(2, kind);
            ps.setString(3, name);
            ps.setLong(4, lines);
            ps.setLong(5, tally.storedCount());
            ps.setLong(6, tally.duplicateCount());
            ps.setLong(7, tally.rejectedCount());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Any failure here keeps the file in the inbox for a retry; a missing table is named as such. */
    private static DatabaseUnavailableException unavailable(SQLException e) {
        return DatabaseUnavailableException.of(e)
                .orElseGet(() -> new DatabaseUnavailableException("database unavailable: " + e.getMessage(), e));
    }
}
