package dev.archon.traceability.executions;

import dev.archon.traceability.support.TestPostgres;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * Eight execution records whose every figure is known, for the execution log tests: two months of 2026 in their own
 * partitions plus one row of 2020 in the default partition, two rows sharing a started_at, and nulls where a hook may
 * leave a field out. Ids are ordered (E1 < E2 < ... < E8) so the tie order (execution_id DESC) is known.
 *
 * <pre>
 * id  pattern node session corr agent    status   duration quality started_at (UTC)             hook_type project
 * E1  P1      N1   s1      c1   coder    success  10       0.9     2026-03-10T10:00:00           pre       alpha
 * E2  P1      N1   s1      c1   coder    failure  20       0.5     2026-03-10T11:00:00           post      alpha
 * E3  P1      N2   s2      c2   reviewer success  30       0.8     2026-03-31T23:59:59.999999    post      beta
 * E4  P2      N3   s2      c2   reviewer timeout  40       -       2026-04-01T00:00:00           post      beta
 * E5  P2      N3   s3      -    coder    success  50       0.7     2026-04-02T08:00:00           pre       alpha
 * E6  P2      -    s3      -    -        failure  -        -       2026-04-02T08:00:00 (= E5)    -         -
 * E7  P1      N2   s1      c3   tester   success  70       1.0     2026-04-05T00:00:00           pre       gamma
 * E8  P3      -    -       -    tester   timeout  80       0.2     2020-01-01T00:00:00           stop      gamma
 * </pre>
 * Newest first: E7, E6, E5, E4, E3, E2, E1, E8.
 */
public final class ExecutionLogFixture {

    public static final UUID P1 = UUID.fromString("11111111-0000-0000-0000-000000000001");
    public static final UUID P2 = UUID.fromString("11111111-0000-0000-0000-000000000002");
    public static final UUID P3 = UUID.fromString("11111111-0000-0000-0000-000000000003");
    public static final UUID N1 = UUID.fromString("22222222-0000-0000-0000-000000000001");
    public static final UUID N2 = UUID.fromString("22222222-0000-0000-0000-000000000002");
    public static final UUID N3 = UUID.fromString("22222222-0000-0000-0000-000000000003");
    public static final UUID E1 = id(1);
    public static final UUID E2 = id(2);
    public static final UUID E3 = id(3);
    public static final UUID E4 = id(4);
    public static final UUID E5 = id(5);
    public static final UUID E6 = id(6);
    public static final UUID E7 = id(7);
    public static final UUID E8 = id(8);

    /** Every row, newest first. */
    public static final List<UUID> NEWEST_FIRST = List.of(E7, E6, E5, E4, E3, E2, E1, E8);

    private ExecutionLogFixture() {
    }

    private static UUID id(int n) {
        return UUID.fromString("eeeeeeee-0000-0000-0000-00000000000" + n);
    }

    /** Inserts the rows (the schema must exist), with the March and April 2026 partitions. */
    public static void insert(String db) throws SQLException {
        TestPostgres.execute(db, "SELECT ensure_monthly_partition('hook_executions', '2026-03-01'),"
                + " ensure_monthly_partition('hook_executions', '2026-04-01')");
        TestPostgres.execute(db, "INSERT INTO hook_executions (execution_id, pattern_id, node_id, session_id,"
                + " correlation_id, agent, status, duration_ms, quality_score, started_at, hook_type, project,"
                + " hook_name, tool_name, performance_score, quality_gates_passed, context_type, file_path,"
                + " error_message, metadata) VALUES"
                + row(E1, P1, N1, "'s1'", "'c1'", "'coder'", "success", "10", "0.9", "2026-03-10T10:00:00Z", "'pre'",
                        "'alpha'") + ","
                + row(E2, P1, N1, "'s1'", "'c1'", "'coder'", "failure", "20", "0.5", "2026-03-10T11:00:00Z", "'post'",
                        "'alpha'") + ","
                + row(E3, P1, N2, "'s2'", "'c2'", "'reviewer'", "success", "30", "0.8",
                        "2026-03-31T23:59:59.999999Z", "'post'", "'beta'") + ","
                + row(E4, P2, N3, "'s2'", "'c2'", "'reviewer'", "timeout", "40", "NULL", "2026-04-01T00:00:00Z",
                        "'post'", "'beta'") + ","
                + row(E5, P2, N3, "'s3'", "NULL", "'coder'", "success", "50", "0.7", "2026-04-02T08:00:00Z", "'pre'",
                        "'alpha'") + ","
                + row(E6, P2, null, "'s3'", "NULL", "NULL", "failure", "NULL", "NULL", "2026-04-02T08:00:00Z", "NULL",
                        "NULL") + ","
                + row(E7, P1, N2, "'s1'", "'c3'", "'tester'", "success", "70", "1.0", "2026-04-05T00:00:00Z", "'pre'",
                        "'gamma'") + ","
                + row(E8, P3, null, "NULL", "NULL", "'tester'", "timeout", "80", "0.2", "2020-01-01T00:00:00Z",
                        "'stop'", "'gamma'"));
    }

    private static String row(UUID id, UUID pattern, UUID node, String session, String correlation, String agent,
                              String status, String duration, String quality, String startedAt, String hookType,
                              String project) {
        return "('" + id + "', '" + pattern + "', " + (node == null ? "NULL" : "'" + node + "'") + ", " + session
                + ", " + correlation + ", " + agent + ", '" + status + "', " + duration + ", " + quality + ", '"
                + startedAt + "', " + hookType + ", " + project + ", 'gate', 'Edit', 0.5, true, 'api', 'src/a.py', "
                + (status.equals("success") ? "NULL" : "'" + status + " of " + id + "'")
                + ", '{\"fixture\": true, \"n\": [1, 2]}')";
    }
}
