package routes.feedback;

/** A message that no retry can ever process (not JSON, forged topic, not an SES event): parked in the DLQ at once. */
public class UnprocessableEventException extends RuntimeException {

    public UnprocessableEventException(String reason) {
        super(reason);
    }
}
