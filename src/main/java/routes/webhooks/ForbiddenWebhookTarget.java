package routes.webhooks;

/** A webhook URL the service refuses to call (scheme or address); permanent, so the delivery goes to the DLQ. */
public class ForbiddenWebhookTarget extends RuntimeException {

    public ForbiddenWebhookTarget(String message) {
        super(message);
    }
}
