package routes.send;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import routes.model.LogRedaction;
import routes.model.MessageStatus;
import routes.store.Ledger;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What follows an SES call for one recipient: the ledger, the counters, the rate, and whether the
 * send loop goes round again (exchange properties {@code sesDone} and {@code sesRetryDelay}).
 */
@Component
public class SesOutcomes {

    public static final String DELIVERY = "delivery";
    /** Exchange property: the campaigns an AccountSendingPaused answer paused. */
    public static final String PAUSED_CAMPAIGNS = "pausedCampaigns";
    static final String DONE = "sesDone";
    static final String RETRY_DELAY = "sesRetryDelay";
    static final String ATTEMPTS = "sesAttempts";
    static final String THROTTLED = "sesThrottled";
    static final String RECEIVE_COUNT = "ApproximateReceiveCount";
    private static final long THROTTLE_PAUSE_MILLIS = 100;

    private static final Logger LOG = LoggerFactory.getLogger(SesOutcomes.class);

    private final Ledger ledger;
    private final SendCounters counters;
    private final SendRate rate;
    private final AccountPause accountPause;
    private final SendProperties properties;
    private final int maxReceiveCount;
    private final ObjectMapper json;
    private final Clock clock;

    public SesOutcomes(Ledger ledger, SendCounters counters, SendRate rate, AccountPause accountPause,
                       SendProperties properties, AwsProperties aws,
                       ObjectMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
        this.ledger = ledger;
        this.counters = counters;
        this.rate = rate;
        this.accountPause = accountPause;
        this.properties = properties;
        this.maxReceiveCount = aws.maxReceiveCount();
    }

    /** SES took the mail: SENT with its MessageId; a soft-bounce retry's recipient was counted sent already. */
    public void sent(Exchange exchange) {
        Delivery delivery = delivery(exchange);
        String sesMessageId = exchange.getMessage().getHeader("CamelAwsSesMessageId", String.class);
        if (!ledger.advance(delivery.messageId(), MessageStatus.SENT, Map.of("sesMessageId", AttributeValue.fromS(sesMessageId)))) {
            // SES events can overtake this write; the row has moved on, but it must still name the SES message.
            ledger.recordSesMessageId(delivery.messageId(), sesMessageId);
        }
        if (exchange.getProperty(RecipientClaim.RECLAIMED_FROM) != MessageStatus.SOFT_BOUNCED) {
            counters.add(delivery.campaignId(), "sent");
        }
        rate.sent();
    }

    /** Throttling: never sent; halve the rate and go round again (the throttle applies to the retry too). */
    public void throttled(Exchange exchange) {
        rate.throttled();
        counters.meter(delivery(exchange).campaignId(), "throttled", 1);
        int times = exchange.getProperty(THROTTLED, 0, Integer.class) + 1;
        exchange.setProperty(THROTTLED, times);
        if (times > properties.maxThrottledRetries()) {
            giveUp(exchange);
        }
        exchange.setProperty(RETRY_DELAY, THROTTLE_PAUSE_MILLIS);
    }

    /** SES will never take this mail: FAILED with code and message. */
    public void rejected(Exchange exchange) {
        fail(exchange);
        finish(exchange);
    }

    /**
     * Account or configuration set paused: the mail was not sent, so the row goes back to QUEUED and
     * the recipient waits in the chunk's remainder; every SENDING campaign is paused. The body becomes
     * the alert to publish, or null when one went out within the last minute.
     */
    public void sendingPaused(Exchange exchange) throws JsonProcessingException {
        Delivery delivery = delivery(exchange);
        String code = SesErrorClassifier.code(exception(exchange));
        ledger.release(delivery.messageId(), reason(exchange));
        delivery.run().defer(delivery.recipient());
        AccountPause.Paused paused = accountPause.pauseAll(code);
        exchange.setProperty(PAUSED_CAMPAIGNS, paused.campaignIds());
        exchange.getMessage().setBody(paused.alert());
        finish(exchange);
    }

    /**
     * The account's 24-hour quota is used up: the mail was not sent, so the row goes back to QUEUED and
     * the recipient waits in the chunk's remainder; no recipient is admitted until {@code quota-recheck}
     * has passed. Nothing is FAILED. The body becomes the alert to publish, or null when this window
     * was reported already.
     */
    public void quotaExhausted(Exchange exchange) throws JsonProcessingException {
        Delivery delivery = delivery(exchange);
        ledger.release(delivery.messageId(), reason(exchange));
        delivery.run().defer(delivery.recipient());
        String alert = null;
        if (rate.quotaExhausted()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("type", "ses.daily-quota-exceeded");
            body.put("occurredAt", clock.instant().toString());
            body.put("recheckAfter", properties.quotaRecheck().toString());
            body.put("action", "SES's 24-hour quota is used up; sending resumes by itself when the window frees capacity."
                    + " Ask AWS for a higher quota if this repeats.");
            alert = json.writeValueAsString(body);
        }
        exchange.getMessage().setBody(alert);
        finish(exchange);
    }

    /**
     * Composing a claimed recipient's mail failed for a reason of its own (an address or header the MIME
     * layer refuses, a bad attachment): FAILED with the reason, never left SENDING. The body becomes null.
     */
    public void unsendable(Exchange exchange) {
        fail(exchange);
        exchange.getMessage().setBody(null);
    }

    private void fail(Exchange exchange) {
        Delivery delivery = delivery(exchange);
        String reason = reason(exchange);
        LOG.info("Message {} FAILED: {}", delivery.messageId(), LogRedaction.withoutAddresses(reason));
        ledger.advance(delivery.messageId(), MessageStatus.FAILED, Map.of("lastError", AttributeValue.fromS(reason)));
        counters.add(delivery.campaignId(), "failed");
    }

    /**
     * Composing a claimed recipient's mail failed for a reason not its own (S3 unreachable or answering
     * 5xx): the row goes back to QUEUED for the chunk's next receive, FAILED on its last. The exception
     * goes on and fails the chunk.
     */
    public void notComposed(Exchange exchange) {
        releaseOrFail(exchange);
    }

    /** The campaign or the application stopped while a retry waited for a permit: not sent, the row goes back to QUEUED. */
    public void withheld(Exchange exchange) {
        ledger.release(delivery(exchange).messageId(), "withheld before sending: campaign or application stopped");
        finish(exchange);
    }

    /** Anything else: retry with exponential backoff, then give up on this delivery of the chunk. */
    public void failedTransiently(Exchange exchange) {
        int attempts = exchange.getProperty(ATTEMPTS, 0, Integer.class) + 1;
        exchange.setProperty(ATTEMPTS, attempts);
        if (attempts >= properties.maxAttempts()) {
            giveUp(exchange);
        }
        Duration delay = properties.retryBaseDelay().multipliedBy(1L << (attempts - 1));
        exchange.setProperty(RETRY_DELAY, delay.toMillis());
    }

    /**
     * Out of retries for this delivery of the chunk. Unless this is the chunk's last receive, the row
     * goes back to QUEUED for the next one; on the last it is FAILED. Either way the chunk fails.
     */
    private void giveUp(Exchange exchange) {
        int received = releaseOrFail(exchange);
        throw new SendFailed("message " + delivery(exchange).messageId() + " not sent after retries (receive "
                + received + " of " + maxReceiveCount + "): " + reason(exchange), exception(exchange));
    }

    /** Back to QUEUED for the chunk's next receive, or FAILED on its last; returns the receive count. */
    private int releaseOrFail(Exchange exchange) {
        Delivery delivery = delivery(exchange);
        String reason = reason(exchange);
        int received = exchange.getMessage().getHeader(RECEIVE_COUNT, 1, Integer.class);
        if (received >= maxReceiveCount) {
            ledger.advance(delivery.messageId(), MessageStatus.FAILED, Map.of("lastError", AttributeValue.fromS(reason)));
            counters.add(delivery.campaignId(), "failed");
        } else {
            ledger.release(delivery.messageId(), reason);
        }
        return received;
    }

    private static void finish(Exchange exchange) {
        exchange.setProperty(DONE, true);
        exchange.setProperty(RETRY_DELAY, 0L);
    }

    private static Delivery delivery(Exchange exchange) {
        return exchange.getProperty(DELIVERY, Delivery.class);
    }

    private static Throwable exception(Exchange exchange) {
        return exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }

    private static String reason(Exchange exchange) {
        Throwable failure = exception(exchange);
        String code = SesErrorClassifier.code(failure);
        String message = failure == null ? "unknown" : String.valueOf(failure.getMessage());
        return (code == null ? failure == null ? "Unknown" : failure.getClass().getSimpleName() : code) + ": " + message;
    }
}
