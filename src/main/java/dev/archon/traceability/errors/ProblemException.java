package dev.archon.traceability.errors;

/** Carries a {@link Problem} out of validation or processing to whichever door (HTTP, inbox) reports it. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.field() == null || problem.field().isEmpty() ? problem.message()
                : problem.field() + ": " + problem.message());
        this.problem = problem;
    }

    public ProblemException(ErrorCode code, String field, String message) {
        this(new Problem(code, field, message));
    }

    public Problem problem() {
        return problem;
    }
}
