package dev.archon.traceability.db;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Several parameterized statements sent to PostgreSQL in one round trip (the driver pipelines a multi-statement
 * prepared statement), their results read back in order. On a busy machine a round trip costs more than the
 * statement itself, so the ingest path reads in one trip and writes in one.
 */
public final class Pipeline {

    /** Reads the rows of a query step. */
    public interface Rows {
        void read(ResultSet rs) throws SQLException;
    }

    private record Step(String sql, List<Object> params, Rows rows) {
    }

    private final Connection connection;
    private final List<Step> steps = new ArrayList<>();

    public Pipeline(Connection connection) {
        this.connection = connection;
    }

    /** A column of values as one array parameter, for {@code unnest(?::type[])}. */
    public <T> Array array(String sqlType, List<T> rows, Function<T, Object> column) throws SQLException {
        return SqlArrays.array(connection, sqlType, rows, column);
    }

    /** A query whose rows {@code rows} reads. */
    public Pipeline query(String sql, Rows rows, Object... params) {
        steps.add(new Step(sql, List.of(params), rows));
        return this;
    }

    /** A statement whose update count {@link #run()} returns. */
    public Pipeline update(String sql, Object... params) {
        steps.add(new Step(sql, List.of(params), null));
        return this;
    }

    /** The steps queued so far: the index in {@link #run()}'s answer of the step queued next. */
    public int steps() {
        return steps.size();
    }

    /** Runs every step in one round trip; returns the update count of each step (-1 for queries). */
    public int[] run() throws SQLException {
        int[] counts = new int[steps.size()];
        if (steps.isEmpty()) {
            return counts;
        }
        StringBuilder sql = new StringBuilder();
        for (Step s : steps) {
            sql.append(s.sql()).append(";\n");
        }
        try (PreparedStatement ps = connection.prepareStatement(sql.toString())) {
            int index = 1;
            for (Step s : steps) {
                for (Object p : s.params()) {
                    if (p instanceof Array a) {
                        ps.setArray(index++, a);
                    } else {
                        ps.setObject(index++, p);
                    }
                }
            }
            boolean isResultSet = ps.execute();
            for (int i = 0; i < steps.size(); i++) {
                if (isResultSet) {
                    counts[i] = -1;
                    try (ResultSet rs = ps.getResultSet()) {
                        Rows rows = steps.get(i).rows();
                        if (rows != null) {
                            rows.read(rs);
                        }
                    }
                } else {
                    counts[i] = ps.getUpdateCount();
                }
                isResultSet = ps.getMoreResults();
            }
        }
        steps.clear();
        return counts;
    }
}
