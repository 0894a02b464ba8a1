package routes.send;

/** A template that cannot be found, parsed or rendered for a recipient; that recipient is FAILED. */
public class TemplateFailure extends RuntimeException {

    public TemplateFailure(String message, Throwable cause) {
        super(message, cause);
    }

    public TemplateFailure(String message) {
        super(message);
    }
}
