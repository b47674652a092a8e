package dev.archon.traceability.db;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Types;
import java.util.Map;

/**
 * A text[] parameter written as PostgreSQL's array literal ({@code {"a","b\"c",NULL}}), which the driver sends as it
 * is (PgPreparedStatement.setArray binds {@code toString()} of an Array that is not its own). The driver's own
 * encoding escapes element by element, one character at a time: for a batch carrying whole source files (hundreds
 * of KB each) that was most of the single group-commit writer's time (BENCHMARKS.md, "As-built API"). Here each
 * element is copied in bulk, escaping only the two characters an element in double quotes needs: {@code \} and
 * {@code "}.
 */
final class TextArray implements Array {

    private final String literal;

    TextArray(Object[] values) {
        int size = 2;
        for (Object v : values) {
            size += v == null ? 5 : v.toString().length() + 3;
        }
        StringBuilder b = new StringBuilder(size + 16).append('{');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            if (values[i] == null) {
                b.append("NULL");
            } else {
                String s = values[i].toString();
                b.append('"');
                if (s.indexOf('"') < 0 && s.indexOf('\\') < 0) {
                    b.append(s);
                } else {
                    b.append(s.replace("\\", "\\\\").replace("\"", "\\\""));
                }
                b.append('"');
            }
        }
        this.literal = b.append('}').toString();
    }

    @Override
    public String toString() {
        return literal;
    }

    @Override
    public String getBaseTypeName() {
        return "text";
    }

    @Override
    public int getBaseType() {
        return Types.VARCHAR;
    }

    @Override
    public Object getArray() throws SQLFeatureNotSupportedException {
        throw unsupported();
    }

    @Override
    public Object getArray(Map<String, Class<?>> map) throws SQLFeatureNotSupportedException {
        throw unsupported();
    }

    @Override
    public Object getArray(long index, int count) throws SQLFeatureNotSupportedException {
        throw unsupported();
    }

    @Override
    public Object getArray(long index, int count, Map<String, Class<?>> map) throws SQLFeatureNotSupportedException {
        throw unsupported();
    }

    @Override
    public ResultSet getResultSet() throws SQLFeatureNotSupportedException {
        throw unsupported();
    }

    @Override
    public ResultSet getResultSet(Map<String, Class<?>> map) throws SQLFeatureNotSupportedException {
        throw unsupported();
    }

    @Override
    public ResultSet getResultSet(long index, int count) throws SQLFeatureNotSupportedException {
        throw unsupported();
    }

    @Override
    public ResultSet getResultSet(long index, int count, Map<String, Class<?>> map)
            throws SQLFeatureNotSupportedException {
        throw unsupported();
    }

    @Override
    public void free() {
        // nothing held
    }

    private static SQLFeatureNotSupportedException unsupported() {
        return new SQLFeatureNotSupportedException("a parameter only: TextArray is written, never read");
    }
}
