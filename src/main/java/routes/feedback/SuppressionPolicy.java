package routes.feedback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import routes.model.EmailRequest;
import routes.model.MessageStatus;
import routes.model.SendChunk;
import routes.store.EventLog;
import routes.store.Ledger;
import routes.store.SuppressionList;
import routes.store.SuppressionList.Reason;

/**
 * DESIGN §4: which events put an address on the suppression list, and the one delayed retry after a
 * transient bounce. Mailbox-simulator addresses are never suppressed.
 */
@Component
public class SuppressionPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(SuppressionPolicy.class);
    private static final String SIMULATOR_DOMAIN = "@simulator.amazonses.com";

    private final SuppressionList suppressions;
    private final EventLog eventLog;
    private final Ledger ledger;
    private final FeedbackProperties.Suppression policy;
    private final AwsProperties.Queues queues;
    private final ObjectMapper json;
    private volatile int retryDelaySeconds;
    private volatile boolean suppressSimulator;

    public SuppressionPolicy(SuppressionList suppressions, EventLog eventLog, Ledger ledger, FeedbackProperties feedback,
                             AwsProperties aws, ObjectMapper json) {
        this.suppressions = suppressions;
        this.eventLog = eventLog;
        this.ledger = ledger;
        this.policy = feedback.suppression();
        this.queues = aws.queues();
        this.json = json;
        this.retryDelaySeconds = feedback.retryDelaySeconds();
        this.suppressSimulator = policy.simulatorAddresses();
    }

    public void hardBounce(RecipientEvent event) {
        if (policy.hardBounce()) {
            Map<String, Object> detail = Tracker.detailOf(event);
            suppress(event, Reason.HARD_BOUNCE, detail.get("bounceSubType") + ": " + detail.getOrDefault("diagnosticCode", ""));
        }
    }

    public void complaint(RecipientEvent event) {
        if (policy.complaint()) {
            suppress(event, Reason.COMPLAINT, "feedback type " + Tracker.detailOf(event).get("complaintFeedbackType"));
        }
    }

    public void unsubscribe(RecipientEvent event) {
        if (policy.unsubscribe()) {
            suppress(event, Reason.UNSUBSCRIBE, "SES subscription event");
        }
    }

    /**
     * Logs the soft bounce; at the limit within the window the address is suppressed, otherwise the event
     * comes back with the message's one retry when the ledger row carries the send inputs.
     */
    public RecipientEvent softBounce(RecipientEvent event) {
        String email = event.recipient().toLowerCase(Locale.ROOT);
        long recent = eventLog.softBounce(email, instantOf(event), event.logKey(), policy.softBounceWindow());
        if (recent >= policy.softBounceLimit()) {
            suppress(event, Reason.SOFT_BOUNCE_LIMIT, recent + " transient bounces within " + policy.softBounceWindow());
            return event;
        }
        if (!policy.softBounceRetry()) {
            return event;
        }
        Optional<Ledger.Resend> resend = ledger.resendOf(event.messageId())
                .filter(found -> ledger.takeRetry(event.messageId(), "transient bounce " + event.eventKey()));
        if (resend.isEmpty()) {
            LOG.info("No retry of message {}: retried before, not SOFT_BOUNCED, or the row lacks the send inputs", event.messageId());
            return event;
        }
        SendChunk retry = chunkOf(resend.get(), event);
        return event.withRetry(new RecipientEvent.Retry(retry,
                retry.campaignId() == null ? queues.transactional() : queues.send(), retryDelaySeconds));
    }

    /** Changes at runtime how long the soft-bounce retry waits on the send queue (operations; tests). */
    public void setRetryDelay(Duration delay) {
        this.retryDelaySeconds = (int) Math.min(delay.toSeconds(), 900);
    }

    /** Changes at runtime whether mailbox-simulator addresses may be suppressed (operations; tests). */
    public void setSuppressSimulatorAddresses(boolean suppress) {
        this.suppressSimulator = suppress;
    }

    public static boolean isSimulator(String email) {
        return email.toLowerCase(Locale.ROOT).endsWith(SIMULATOR_DOMAIN);
    }

    private void suppress(RecipientEvent event, Reason reason, String detail) {
        if (!suppressSimulator && isSimulator(event.recipient())) {
            LOG.debug("Simulator address {} not suppressed ({})", event.recipient(), reason);
            return;
        }
        if (suppressions.suppress(event.recipient(), reason, detail, event.messageId())) {
            LOG.info("Suppressed the recipient of message {}: {}", event.messageId(), reason);
        }
    }

    /** The same mail again (sender, reply-to, template, variables), to the one address that bounced. */
    private SendChunk chunkOf(Ledger.Resend resend, RecipientEvent event) {
        Map<String, Object> variables = new HashMap<>(variables(resend.variablesJson()));
        if (variables.containsKey(EmailRequest.CONTENT_KEY_VARIABLE)) {
            variables.put(EmailRequest.RETRY_TO_VARIABLE, event.recipient());
        }
        SendChunk.Recipient recipient = new SendChunk.Recipient(resend.messageId(), resend.recipient(), resend.template(),
                resend.from(), resend.subject(), resend.segment(), variables);
        return new SendChunk(resend.campaignId(), SendChunk.NO_CHUNK, resend.chunkFrom(), resend.replyTo(),
                event.event().tag("ses:configuration-set"), Map.of("retry", "soft-bounce"),
                List.of(MessageStatus.SOFT_BOUNCED), List.of(recipient));
    }

    private Map<String, Object> variables(String variablesJson) {
        if (variablesJson == null) {
            return Map.of();
        }
        try {
            return json.readValue(variablesJson, new TypeReference<>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("ledger attribute 'variables' is not a JSON object: " + e.getOriginalMessage(), e);
        }
    }

    private static Instant instantOf(RecipientEvent event) {
        try {
            return Instant.parse(event.event().timestamp());
        } catch (DateTimeParseException e) {
            return Instant.now();
        }
    }
}
