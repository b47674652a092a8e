package dev.archon.traceability.errors;

import dev.archon.traceability.db.DatabaseFailures;
import java.util.Optional;

/**
 * The database could not be reached, could not commit for reasons outside the input, or lacks a table the service
 * needs: nothing was stored, and the same input may be sent again once it is fixed (HTTP answers 503
 * DATABASE_ERROR or SCHEMA_MISSING; an inbox file stays and is retried).
 */
public class DatabaseUnavailableException extends ProblemException {

    public DatabaseUnavailableException(String message, Throwable cause) {
        this(new Problem(ErrorCode.DATABASE_ERROR, "", message), cause);
    }

    private DatabaseUnavailableException(Problem problem, Throwable cause) {
        super(problem);
        initCause(cause);
    }

    /**
     * The failure as the database's, if {@link DatabaseFailures} says it is: a missing contract table or function
     * (SCHEMA_MISSING, naming it and the way back), or the database unavailable (DATABASE_ERROR).
     */
    public static Optional<DatabaseUnavailableException> of(Throwable failure) {
        Optional<String> missing = DatabaseFailures.missingObject(failure);
        if (missing.isPresent()) {
            return Optional.of(new DatabaseUnavailableException(new Problem(ErrorCode.SCHEMA_MISSING, "",
                    missing.get() + " is missing from the database; restore it from the newest backup"
                            + " (README \"Restore\": java -jar pattern-traceability.jar restore latest, or"
                            + " POST /api/admin/restore {\"dump\":\"latest\"}) and send again"), failure));
        }
        if (DatabaseFailures.isUnavailable(failure)) {
            return Optional.of(new DatabaseUnavailableException("database unavailable: " + failure.getMessage(),
                    failure));
        }
        return Optional.empty();
    }
}
