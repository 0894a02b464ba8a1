package routes.localaws;

/**
 * An AWS Query error answer: HTTP status plus the {@code <Error>} code and message the SDK maps to its
 * modeled exceptions. Thrown anywhere inside an action; {@link AwsQueryServer} turns it into the response.
 */
class AwsQueryException extends RuntimeException {

    private final int status;
    private final String code;

    AwsQueryException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    static AwsQueryException sender(String code, String message) {
        return new AwsQueryException(400, code, message);
    }

    static AwsQueryException invalidAction(String action) {
        return sender("InvalidAction", "The action " + action + " is not valid for this web service.");
    }

    static AwsQueryException missingParameter(String name) {
        return sender("MissingParameter", "The request must contain the parameter " + name + ".");
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    /** AWS reports 5xx errors as the receiver's fault and everything else as the sender's. */
    String type() {
        return status >= 500 ? "Receiver" : "Sender";
    }
}
