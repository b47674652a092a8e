package dev.archon.traceability.errors;

/** The error codes of the HTTP error envelope and of inbox error reports, with the HTTP status of each. */
public enum ErrorCode {
    VALIDATION_FAILED(400),
    UNAUTHORIZED(401),
    FORBIDDEN(403),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    NOT_ACCEPTABLE(406),
    PATTERN_EXISTS(409),
    JOB_RUNNING(409),
    CIRCULAR_DEPENDENCY(409),
    WORKFLOW_RUNNING(409),
    PROPOSAL_DECIDED(409),
    PAYLOAD_TOO_LARGE(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    INVALID_PATTERN_ID(422),
    INVALID_NODE_ID(422),
    INSUFFICIENT_DATA(422),
    INTERNAL_ERROR(500),
    DATABASE_ERROR(503),
    SCHEMA_MISSING(503),
    SERVICE_UNAVAILABLE(503),
    WORKFLOW_TIMEOUT(504);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
