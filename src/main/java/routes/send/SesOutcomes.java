package routes.send;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.ExchangeException;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import routes.model.LogRedaction;
import routes.model.MessageStatus;
import routes.store.Ledger;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What becomes of a claimed recipient: the ledger, the counters and the rate, for each way its
 * composition or its SES call can end (the error handlers of send.yaml's {@code send-ses} and
 * {@code send-compose-errors} configurations). After the claim every outcome is recorded: SENT, FAILED
 * with a reason, or back to QUEUED for a later delivery of the chunk.
 */
@Component
public class SesOutcomes {

    /** The SQS header that counts the chunk's receives; on its last, a recipient that is still not sent is FAILED. */
    static final String RECEIVE_COUNT = "ApproximateReceiveCount";

    private static final Logger LOG = LoggerFactory.getLogger(SesOutcomes.class);

    /** An alert for the alerts topic, and the campaigns it paused (each gets a campaign.paused event). */
    public record Alert(String alert, List<String> pausedCampaigns) {}

    private final Ledger ledger;
    private final SendCounters counters;
    private final SendRate rate;
    private final AccountPause accountPause;
    private final SendProperties properties;
    private final int maxReceiveCount;
    private final ObjectMapper json;
    private final Clock clock;

    public SesOutcomes(Ledger ledger, SendCounters counters, SendRate rate, AccountPause accountPause,
                       SendProperties properties, AwsProperties aws, ObjectMapper json, Clock clock) {
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
    public void sent(Accepted accepted) {
        Delivery delivery = accepted.delivery();
        if (!ledger.advance(delivery.messageId(), MessageStatus.SENT,
                Map.of("sesMessageId", AttributeValue.fromS(accepted.sesMessageId())))) {
            // SES events can overtake this write; the row has moved on, but it must still name the SES message.
            ledger.recordSesMessageId(delivery.messageId(), accepted.sesMessageId());
        }
        if (delivery.reclaimedFrom() != MessageStatus.SOFT_BOUNCED) {
            counters.add(delivery.campaignId(), "sent");
        }
        rate.sent();
    }

    /** Throttling: never sent; the rate halves (the redelivery waits for a slot at the new rate). */
    public void throttled(RecipientInWork work) {
        rate.throttled();
        counters.meter(work.delivery().campaignId(), "throttled", 1);
    }

    /** SES will never take this mail, or it can never be built (an address or header the MIME layer refuses): FAILED. */
    public void rejected(RecipientInWork work, @ExchangeException Exception failure) {
        Delivery delivery = work.delivery();
        String reason = reason(failure);
        LOG.info("Message {} FAILED: {}", delivery.messageId(), LogRedaction.withoutAddresses(reason));
        ledger.advance(delivery.messageId(), MessageStatus.FAILED, Map.of("lastError", AttributeValue.fromS(reason)));
        counters.add(delivery.campaignId(), "failed");
    }

    /**
     * Account or configuration set paused: the mail was not sent, so the row goes back to QUEUED and
     * the recipient waits in the chunk's remainder; every SENDING campaign is paused. Returns the alert,
     * or null when one went out within the last minute.
     */
    public Alert sendingPaused(RecipientInWork work, @ExchangeException Exception failure) throws JsonProcessingException {
        withhold(work, reason(failure));
        AccountPause.Paused paused = accountPause.pauseAll(SesErrorClassifier.code(failure));
        return paused.alert() == null ? null : new Alert(paused.alert(), paused.campaignIds());
    }

    /**
     * The account's 24-hour quota is used up: the mail was not sent, so the row goes back to QUEUED and
     * the recipient waits in the chunk's remainder; no recipient is admitted until {@code quota-recheck}
     * has passed. Nothing is FAILED. Returns the alert, or null when this window was reported already.
     */
    public Alert quotaExhausted(RecipientInWork work, @ExchangeException Exception failure) throws JsonProcessingException {
        withhold(work, reason(failure));
        if (!rate.quotaExhausted()) {
            return null;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "ses.daily-quota-exceeded");
        body.put("occurredAt", clock.instant().toString());
        body.put("recheckAfter", properties.quotaRecheck().toString());
        body.put("action", "SES's 24-hour quota is used up; sending resumes by itself when the window frees capacity."
                + " Ask AWS for a higher quota if this repeats.");
        return new Alert(json.writeValueAsString(body), List.of());
    }

    /** The campaign or the application stopped while a retry waited for its slot: not sent, the row goes back to QUEUED. */
    public void withheld(RecipientInWork work) {
        withhold(work, "withheld before sending: campaign or application stopped");
    }

    /**
     * Out of retries for this delivery of the chunk, or the mail could not be composed for a reason not its
     * own (S3 unreachable): unless this is the chunk's last receive, the row goes back to QUEUED for the next
     * one; on the last it is FAILED. Either way the exception goes on and fails the chunk.
     */
    public void gaveUp(RecipientInWork work, @ExchangeException Exception failure, @Header(RECEIVE_COUNT) Integer received) {
        Delivery delivery = work.delivery();
        String reason = reason(failure);
        int receives = received == null ? 1 : received;
        LOG.warn("Message {} not sent on receive {} of {}: {}", delivery.messageId(), receives, maxReceiveCount,
                LogRedaction.withoutAddresses(reason));
        if (receives >= maxReceiveCount) {
            ledger.advance(delivery.messageId(), MessageStatus.FAILED, Map.of("lastError", AttributeValue.fromS(reason)));
            counters.add(delivery.campaignId(), "failed");
        } else {
            ledger.release(delivery.messageId(), reason);
        }
    }

    private void withhold(RecipientInWork work, String reason) {
        Delivery delivery = work.delivery();
        ledger.release(delivery.messageId(), reason);
        delivery.run().defer(delivery.recipient());
    }

    private static String reason(Throwable failure) {
        String code = SesErrorClassifier.code(failure);
        String message = failure == null ? "unknown" : String.valueOf(failure.getMessage());
        return (code == null ? failure == null ? "Unknown" : failure.getClass().getSimpleName() : code) + ": " + message;
    }
}
