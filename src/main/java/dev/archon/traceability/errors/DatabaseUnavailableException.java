package dev.archon.traceability.errors;

/**
 * The database could not be reached or the transaction could not commit for reasons outside the input: nothing
 * was stored, and the same input may be sent again (HTTP answers 503; an inbox file stays and is retried).
 */
public class DatabaseUnavailableException extends ProblemException {

    public DatabaseUnavailableException(String message, Throwable cause) {
        super(new Problem(ErrorCode.DATABASE_ERROR, "", message));
        initCause(cause);
    }
}
