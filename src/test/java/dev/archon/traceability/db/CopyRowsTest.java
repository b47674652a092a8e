package dev.archon.traceability.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.archon.traceability.support.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What COPY stores is exactly what was given: text with COPY's own delimiters, nulls, numbers, times, json, across
 * the chunks the rows are sent in; and a failed COPY leaves the connection usable for the caller's rollback.
 */
class CopyRowsTest {

    private record Row(UUID id, String text, Double number, Instant at, String json) {
    }

    /** One database for the class; each test copies into a table of its own. */
    private static String db;

    @BeforeAll
    static void createDatabase() {
        db = TestPostgres.server().createDatabase();
    }

    @AfterAll
    static void dropDatabase() {
        TestPostgres.server().dropDatabaseAt(db);
    }

    @Test
    void storesEveryValueExactlyIncludingCopysDelimitersAndNulls() throws Exception {
        try (Connection c = TestPostgres.connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE copied_values (id uuid, text text, number float8, at timestamptz, json jsonb)");
            List<Row> rows = List.of(
                    new Row(UUID.randomUUID(), "tab\there, newline\nthere, cr\r, backslash \\ and \\N", 1.5e-7,
                            Instant.parse("2026-11-28T10:15:30.123456Z"),
                            "{\"code\": \"a\\tb\\nc \\\\ d\", \"ü\": \"日本\"}"),
                    new Row(UUID.randomUUID(), "\\N", null, null, null),
                    new Row(UUID.randomUUID(), "", -0.0, Instant.EPOCH, "[]"));
            c.setAutoCommit(false);
            long copied = CopyRows.copy(c, "COPY copied_values (id, text, number, at, json) FROM STDIN", rows,
                    Row::id, Row::text, Row::number, Row::at, Row::json);
            c.commit();
            assertThat(copied).isEqualTo(3);

            Map<UUID, Row> stored = new HashMap<>();
            try (ResultSet rs = s.executeQuery("SELECT id, text, number, at, json::text FROM copied_values")) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    stored.put(id, new Row(id, rs.getString(2), (Double) rs.getObject(3),
                            rs.getTimestamp(4) == null ? null : rs.getTimestamp(4).toInstant(), rs.getString(5)));
                }
            }
            assertThat(stored).hasSize(3);
            // jsonb normalises key order and spacing; everything else comes back as given
            assertThat(stored.get(rows.get(0).id())).isEqualTo(new Row(rows.get(0).id(), rows.get(0).text(),
                    1.5e-7, rows.get(0).at(), "{\"ü\": \"日本\", \"code\": \"a\\tb\\nc \\\\ d\"}"));
            assertThat(stored.get(rows.get(1).id())).isEqualTo(rows.get(1));
            assertThat(stored.get(rows.get(2).id())).isEqualTo(rows.get(2));
        }
    }

    @Test
    void rowsSpanningManyChunksArriveWholeAndInOrder() throws Exception {
        try (Connection c = TestPostgres.connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE chunked (n int, text text)");
            List<String> texts = new ArrayList<>();
            for (int n = 0; n < 20_000; n++) {
                // multi-byte characters and escapes everywhere, so chunk edges fall beside them
                texts.add(n + " über\t日本 \\ " + "x".repeat(n % 97));
            }
            c.setAutoCommit(false);
            long copied = CopyRows.copy(c, "COPY chunked (n, text) FROM STDIN", texts,
                    t -> Integer.parseInt(t.substring(0, t.indexOf(' '))), t -> t);
            c.commit();
            assertThat(copied).isEqualTo(20_000);
            assertThat(texts.stream().mapToInt(String::length).sum()).isGreaterThan(10 * CopyRows.CHUNK);
            List<String> stored = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT text FROM chunked ORDER BY n")) {
                while (rs.next()) {
                    stored.add(rs.getString(1));
                }
            }
            assertThat(stored).isEqualTo(texts);
        }
    }

    @Test
    void aRefusedRowOrAValueThatFailsToEncodeLeavesTheConnectionUsable() throws Exception {
        try (Connection c = TestPostgres.connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE keyed (n int PRIMARY KEY)");
            List<Integer> numbers = new ArrayList<>();
            for (int n = 0; n < 30_000; n++) {
                numbers.add(n == 29_000 ? 7 : n); // a duplicate key in a late chunk
            }
            c.setAutoCommit(false);
            assertThatThrownBy(() -> CopyRows.copy(c, "COPY keyed (n) FROM STDIN", numbers, n -> n))
                    .isInstanceOf(SQLException.class).hasMessageContaining("duplicate key");
            c.rollback();
            assertThatThrownBy(() -> CopyRows.copy(c, "COPY keyed (n) FROM STDIN", numbers,
                    n -> { if (n == 20_000) { throw new IllegalStateException("no value"); } return n; }))
                    .isInstanceOf(IllegalStateException.class);
            c.rollback();
            assertThat(CopyRows.copy(c, "COPY keyed (n) FROM STDIN", List.of(1, 2, 3), n -> n)).isEqualTo(3);
            c.commit();
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM keyed")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(3);
            }
        }
    }
}
