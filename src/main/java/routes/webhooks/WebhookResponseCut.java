package routes.webhooks;

import java.io.IOException;
import java.time.Duration;

/** A subscriber's answer did not complete within the deadline; transient, like any timeout. */
public class WebhookResponseCut extends IOException {

    public WebhookResponseCut(Duration deadline) {
        super("no complete response within " + deadline.toMillis() + " ms; connection cut");
    }
}
