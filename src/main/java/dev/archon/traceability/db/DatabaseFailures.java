package dev.archon.traceability.db;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one classifier of database failures. Every door (HTTP, inbox, health, jobs) asks it whether a failure is the
 * database's rather than the input's, and whether a table the service relies on is missing, so they all answer the
 * same way: 503 DATABASE_ERROR (nothing stored, send again; an inbox file stays), 503 SCHEMA_MISSING.
 */
public final class DatabaseFailures {

    /** SQLState 42P01 undefined_table: "relation \"x\" does not exist". */
    private static final Pattern UNDEFINED_RELATION = Pattern.compile("relation \"([^\"]+)\" does not exist");

    /** SQLState 42883 undefined_function: "function x(argument types) does not exist". */
    private static final Pattern UNDEFINED_FUNCTION = Pattern.compile("function (?:public\\.)?([a-z_][a-z0-9_]*)\\(");

    private DatabaseFailures() {
    }

    /**
     * Whether the failure is the database's, not the input's: nothing was stored and the same input may be sent
     * again. Connection loss (08), operator intervention or shutdown (57: includes 57014, a statement cancelled by
     * its timeout, e.g. while a restore holds the tables), read-only after a failover (25006), insufficient
     * resources such as a full disk (53), lock not available (55P03), system errors (58), and a pool that timed out
     * or closed.
     */
    public static boolean isUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                if (state.startsWith("08") || state.startsWith("57") || state.equals("25006")
                        || state.startsWith("53") || state.equals("55P03") || state.startsWith("58")) {
                    return true;
                }
            }
            if (t instanceof SQLException s && s.getMessage() != null && s.getMessage().contains("has been closed")) {
                return true;
            }
        }
        return false;
    }

    /** Whether the connection itself could not be made (08, or the pool gave up): start-up waits for those. */
    public static boolean isConnectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException
                    || t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    /**
     * A statement cancelled (SQLState 57014): by its statement timeout, or by a cancel request. Also counted by
     * {@link #isUnavailable}; the feedback loop asks it separately because its own deadline cancels statements.
     */
    public static boolean isCancelled(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && "57014".equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** Serialization failure, deadlock, or another instance storing the same key first (also when wrapped). */
    public static boolean isRetryable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                if ("40001".equals(state) || "40P01".equals(state) || "23505".equals(state)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * What a statement needed and did not find, e.g. after an operator dropped a table as in the runbook's recovery
     * scenario: {@code "table <name>"} (SQLState 42P01), or {@code "function <name>"} for one of our own SQL
     * functions ({@link Tables#FUNCTIONS}, SQLState 42883): DROP TABLE hook_executions CASCADE also drops the
     * functions that return its rows. A restore brings both back. Empty for any other failure (another function
     * not found is a bug, not a missing schema).
     */
    public static Optional<String> missingObject(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && "42P01".equals(s.getSQLState())) {
                Matcher m = UNDEFINED_RELATION.matcher(String.valueOf(s.getMessage()));
                return Optional.of("table " + (m.find() ? m.group(1) : "(unnamed)"));
            }
            if (t instanceof SQLException s && "42883".equals(s.getSQLState())) {
                Matcher m = UNDEFINED_FUNCTION.matcher(String.valueOf(s.getMessage()));
                if (m.find() && Tables.FUNCTIONS.contains(m.group(1))) {
                    return Optional.of("function " + m.group(1));
                }
            }
        }
        return Optional.empty();
    }
}
