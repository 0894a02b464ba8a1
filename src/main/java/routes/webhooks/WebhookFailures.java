package routes.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import routes.ops.MailMetrics;

/**
 * What happens to a delivery that failed: permanent failures (4xx except 408/429, forbidden target) go
 * to the webhook DLQ at once; transient ones, after the in-process redeliveries, become a delayed SQS
 * message on the webhooks queue until {@code give-up-after} has passed, then the DLQ.
 * The attempt count travels as the SQS message attribute {@value #ATTEMPTS}.
 */
@Component
public class WebhookFailures {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookFailures.class);

    public static final String ATTEMPTS = "attempts";
    public static final String GIVE_UP = "webhookGiveUp";
    static final int MAX_SQS_DELAY_SECONDS = 900;

    private final WebhookProperties.Retry retry;
    private final ObjectMapper json;
    private final Clock clock;
    private final MailMetrics metrics;

    public WebhookFailures(WebhookProperties properties, ObjectMapper json, Clock clock, MailMetrics metrics) {
        this.retry = properties.retry();
        this.metrics = metrics;
        this.json = json;
        this.clock = clock;
    }

    public boolean isPermanent(Exception caught) {
        return httpFailure(caught).map(HttpOperationFailedException::getStatusCode)
                .filter(status -> status >= 400 && status < 500 && status != 408 && status != 429).isPresent();
    }

    /**
     * Prepares the next durable retry (body, attempts attribute, delay) or, when the retry window is
     * used up, the dead letter; sets the {@value #GIVE_UP} property to tell the route which.
     */
    public void scheduleRetry(Exchange exchange) throws JsonProcessingException {
        WebhookDelivery delivery = exchange.getProperty(WebhookRequest.DELIVERY, WebhookDelivery.class);
        int attempts = exchange.getProperty(ATTEMPTS, 0, Integer.class) + 1;
        long delay = Math.min(MAX_SQS_DELAY_SECONDS, (long) retry.durableDelaySeconds() << Math.min(attempts - 1, 20));
        Duration elapsed = Duration.between(Instant.parse(delivery.firstAttemptAt()), clock.instant());
        boolean giveUp = elapsed.plusSeconds(delay).getSeconds() > retry.giveUpAfterSeconds();
        exchange.setProperty(GIVE_UP, giveUp);
        if (giveUp) {
            deadLetter(exchange);
            return;
        }
        Message message = replaceHeaders(exchange, delivery);
        message.setHeader(ATTEMPTS, Integer.toString(attempts));
        message.setHeader("CamelAwsSqsDelaySeconds", Integer.toString((int) delay));
        metrics.webhookDelivery(delivery.subscriberId(), "retry_scheduled");
    }

    /** Body and attributes of the webhook DLQ entry: the delivery, its subscriber, the last status and error. */
    public void deadLetter(Exchange exchange) throws JsonProcessingException {
        WebhookDelivery delivery = exchange.getProperty(WebhookRequest.DELIVERY, WebhookDelivery.class);
        int attempts = exchange.getProperty(ATTEMPTS, 0, Integer.class);
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Message message = replaceHeaders(exchange, delivery);
        message.setHeader("subscriberId", delivery.subscriberId());
        message.setHeader(ATTEMPTS, Integer.toString(attempts));
        message.setHeader("lastStatus", httpFailure(caught).map(http -> Integer.toString(http.getStatusCode())).orElse("none"));
        Throwable cause = rootCause(caught);
        message.setHeader("lastError", cause == null ? "unknown" : cause.getClass().getSimpleName() + ": " + cause.getMessage());
        metrics.webhookDelivery(delivery.subscriberId(), "dead_lettered");
        LOG.warn("Webhook event {} for subscriber {} dead-lettered after {} durable attempts (last status {}, {})",
                delivery.eventId(), delivery.subscriberId(), attempts, message.getHeader("lastStatus"),
                cause == null ? "unknown" : cause.getClass().getSimpleName());
    }

    /** The circuit breaker wraps what the call threw; the HTTP failure may sit anywhere in the chain. */
    private static Optional<HttpOperationFailedException> httpFailure(Throwable caught) {
        for (Throwable t = caught; t != null; t = t.getCause()) {
            if (t instanceof HttpOperationFailedException http) {
                return Optional.of(http);
            }
        }
        return Optional.empty();
    }

    private static Throwable rootCause(Throwable caught) {
        Throwable t = caught;
        while (t != null && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private Message replaceHeaders(Exchange exchange, WebhookDelivery delivery) throws JsonProcessingException {
        Message message = exchange.getMessage();
        // The SQS receipt handle stays: a delivery from the retry queue is deleted with it when done.
        message.removeHeaders("*", "CamelAwsSqs*");
        message.setBody(json.writeValueAsString(delivery));
        return message;
    }
}
