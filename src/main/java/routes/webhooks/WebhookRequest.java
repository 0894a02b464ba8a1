package routes.webhooks;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * Makes the HTTP request of one delivery: resolves and guards the target, replaces every header by
 * the Standard Webhooks ones (queue headers must not leak to subscribers) and puts the payload in the
 * body as the UTF-8 bytes that were signed. The target travels in {@link Exchange#HTTP_URI}, never in
 * an endpoint URI: the http component reads options out of an endpoint URI's query ({@code proxyHost},
 * {@code httpMethod}, …), but a header's query is only the request's query.
 */
@Component
public class WebhookRequest {

    public static final String DELIVERY = "webhookDelivery";

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
        long timestamp = clock.instant().getEpochSecond();
        Message message = exchange.getMessage();
        // The SQS receipt handle stays: a delivery from the retry queue is deleted with it when done.
        message.removeHeaders("*", "CamelAwsSqs*");
        message.setHeader("webhook-id", delivery.eventId());
        message.setHeader("webhook-timestamp", Long.toString(timestamp));
        message.setHeader("webhook-signature", signer.sign(delivery.eventId(), timestamp, delivery.payload(),
                subscribers.secretsFor(delivery.subscriberId())));
        message.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        message.setHeader(Exchange.HTTP_METHOD, "POST");
        message.setHeader(Exchange.HTTP_URI, url);
        message.setBody(delivery.payload().getBytes(StandardCharsets.UTF_8));
    }
}
