package routes.send;

import java.util.Optional;

/**
 * The content of one recipient's mail cannot be built: a template that cannot be found, parsed or
 * rendered (or that exceeds its limits), or a transactional request that is no longer stored. That recipient is FAILED with
 * {@code code: message}; the rest of the chunk goes on.
 */
public class TemplateFailure extends RuntimeException {

    /** Code of a render stopped by {@link SendProperties.TemplateLimits}. */
    public static final String LIMIT = "TemplateLimit";

    private final String code;
    private final Where where;

    /** Which Velocity file of the template and which line of it the engine stopped at; line 0 when it does not say. */
    public record Where(String file, int line) {}

    public TemplateFailure(String message, Throwable cause) {
        this(message, cause, null);
    }

    public TemplateFailure(String message, Throwable cause, Where where) {
        super(message, cause);
        this.code = "TemplateError";
        this.where = where;
    }

    public TemplateFailure(String message) {
        this("TemplateError", message);
    }

    public TemplateFailure(String code, String message) {
        super(message);
        this.code = code;
        this.where = null;
    }

    public String code() {
        return code;
    }

    /** Where in the template it failed, if the engine said (a parse or render error). */
    public Optional<Where> where() {
        return Optional.ofNullable(where);
    }
}
