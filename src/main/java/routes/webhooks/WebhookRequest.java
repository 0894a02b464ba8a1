package routes.webhooks;

import java.time.Clock;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * Makes the HTTP request of one delivery: resolves and guards the target, replaces every header by
 * the Standard Webhooks ones (queue headers must not leak to subscribers) and puts the payload in the body.
 */
@Component
public class WebhookRequest {

    public static final String DELIVERY = "webhookDelivery";
    public static final String URL = "webhookUrl";

    private final WebhookSubscribers subscribers;
    private final WebhookTargetGuard guard;
    private final WebhookSigner signer;
    private final Clock clock;

    public WebhookRequest(WebhookSubscribers subscribers, WebhookTargetGuard guard, WebhookSigner signer, Clock clock) {
        this.subscribers = subscribers;
        this.guard = guard;
        this.signer = signer;
        this.clock = clock;
    }

    public void prepare(Exchange exchange) {
        WebhookDelivery delivery = exchange.getMessage().getBody(WebhookDelivery.class);
        exchange.setProperty(DELIVERY, delivery);
        String url = subscribers.urlFor(delivery)
                .orElseThrow(() -> new ForbiddenWebhookTarget("subscriber " + delivery.subscriberId() + " is gone or disabled"));
        guard.check(url);
        exchange.setProperty(URL, url);
        long timestamp = clock.instant().getEpochSecond();
        Message message = exchange.getMessage();
        // The SQS receipt handle stays: a delivery from the retry queue is deleted with it when done.
        message.removeHeaders("*", "CamelAwsSqs*");
        message.setHeader("webhook-id", delivery.eventId());
        message.setHeader("webhook-timestamp", Long.toString(timestamp));
        message.setHeader("webhook-signature", signer.sign(delivery.eventId(), timestamp, delivery.payload(),
                subscribers.secretsFor(delivery.subscriberId())));
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setHeader(Exchange.HTTP_METHOD, "POST");
        message.setBody(delivery.payload());
    }
}
