package routes.api;

/**
 * An API error as the caller sees it (seed 004 shape): HTTP status, error code, message and, for bad
 * input, the field and the constraint it broke.
 */
public class ApiProblem extends RuntimeException {

    private final int status;
    private final String error;
    private final String field;
    private final String constraint;
    private final Integer retryAfter;
    private final Integer line;

    private ApiProblem(int status, String error, String message, String field, String constraint, Integer retryAfter) {
        this(status, error, message, field, constraint, retryAfter, null);
    }

    private ApiProblem(int status, String error, String message, String field, String constraint, Integer retryAfter,
                       Integer line) {
        super(message);
        this.status = status;
        this.error = error;
        this.field = field;
        this.constraint = constraint;
        this.retryAfter = retryAfter;
        this.line = line;
    }

    public static ApiProblem invalid(String field, String constraint, String message) {
        return new ApiProblem(400, "VALIDATION_ERROR", message, field, constraint, null);
    }

    /**
     * Well-formed but unusable content (a template that does not parse or render): 422 naming the field and, when
     * known, the line of that field's text.
     */
    public static ApiProblem unprocessable(String field, String constraint, String message, Integer line) {
        return new ApiProblem(422, "VALIDATION_ERROR", message, field, constraint, null, line);
    }

    /** Anything unexpected: the caller learns nothing about internals. */
    public static ApiProblem internal() {
        return new ApiProblem(500, "INTERNAL_ERROR", "Internal error", null, null, null);
    }

    public static ApiProblem unauthorized(String message) {
        return new ApiProblem(401, "UNAUTHORIZED", message, null, null, null);
    }

    /** The key is known but lacks the operation's scope; the answer names it. */
    public static ApiProblem forbidden(String scope) {
        return new ApiProblem(403, "FORBIDDEN", "This key lacks the scope " + scope, "scope", scope, null);
    }

    public static ApiProblem notFound(String message) {
        return new ApiProblem(404, "NOT_FOUND", message, null, null, null);
    }

    public static ApiProblem conflict(String message) {
        return new ApiProblem(409, "CONFLICT", message, null, null, null);
    }

    public static ApiProblem rateLimited(int retryAfterSeconds) {
        return new ApiProblem(429, "RATE_LIMIT_EXCEEDED",
                "Rate limit exceeded. Please retry after " + retryAfterSeconds + " seconds.", null, null, retryAfterSeconds);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String field() {
        return field;
    }

    public String constraint() {
        return constraint;
    }

    public Integer retryAfter() {
        return retryAfter;
    }

    public Integer line() {
        return line;
    }
}
