package routes.send;

/**
 * The content of one recipient's mail cannot be built: a template that cannot be found, parsed or
 * rendered (or that exceeds its limits), or a transactional request that is no longer stored. That recipient is FAILED with
 * {@code code: message}; the rest of the chunk goes on.
 */
public class TemplateFailure extends RuntimeException {

    /** Code of a render stopped by {@link SendProperties.TemplateLimits}. */
    public static final String LIMIT = "TemplateLimit";

    private final String code;

    public TemplateFailure(String message, Throwable cause) {
        super(message, cause);
        this.code = "TemplateError";
    }

    public TemplateFailure(String message) {
        this("TemplateError", message);
    }

    public TemplateFailure(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
