package routes.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import routes.model.MessageStatus;
import routes.model.StatusEvent;
import routes.store.Ledger;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Moves a recipient's ledger row to the status an event means (only ever up in rank), stores the
 * event's details on it, counts opens and clicks, and returns the event with the resulting
 * {@link StatusEvent} for the outputs (none when the row did not move).
 */
@Component
public class Tracker {

    private final Ledger ledger;

    public Tracker(Ledger ledger) {
        this.ledger = ledger;
    }

    public RecipientEvent advance(RecipientEvent event, MessageStatus status) {
        Map<String, Object> detail = detailOf(event);
        Map<String, AttributeValue> extra = new HashMap<>();
        detail.forEach((name, value) -> extra.put(attributeOf(event, name), AttributeValue.fromS(String.valueOf(value))));
        // Events find the row by its tag and may overtake the send flow's own write of SES's message id.
        if (event.event().sesMessageId() != null) {
            extra.put("sesMessageId", AttributeValue.fromS(event.event().sesMessageId()));
        }
        return ledger.advance(event.messageId(), status, extra, EventLogRepository.keyOf(event))
                ? event.withStatusChange(statusEvent(event, status, detail))
                : event;
    }

    /**
     * An Open or Click: counted on the row ({@code opens}, {@code firstOpenAt}) before the status moves. The
     * count returns the row as it was, so a second open of an OPENED row, which could not move it, costs no
     * second write (the status can only have risen since, which would refuse the move all the same).
     */
    public RecipientEvent engaged(RecipientEvent event, MessageStatus status) {
        boolean open = status == MessageStatus.OPENED;
        return ledger.count(event.messageId(), open ? "opens" : "clicks", open ? "firstOpenAt" : "firstClickAt")
                .filter(row -> row.admits(status, EventLogRepository.keyOf(event)))
                .map(row -> advance(event, status))
                .orElse(event);
    }

    static StatusEvent statusEvent(RecipientEvent event, MessageStatus status, Map<String, Object> detail) {
        String id = UUID.nameUUIDFromBytes(EventLogRepository.keyOf(event).getBytes(StandardCharsets.UTF_8)).toString();
        Map<String, String> metadata = new LinkedHashMap<>();
        event.event().tags().forEach((name, value) -> {
            // The event's own ids are fields of the status event; the campaignId tag is only a sanitised copy.
            if (!name.startsWith("ses:") && !name.equals("campaignId") && !name.equals("messageId")) {
                metadata.put(name, value);
            }
        });
        return new StatusEvent(id, StatusEvent.typeOf(status), event.event().timestamp(), event.messageId(),
                event.campaignId(), event.recipient(), status.name(), detail, metadata);
    }

    /** The type-specific facts worth keeping: bounce type and diagnostic, complaint type, reasons, the link. */
    static Map<String, Object> detailOf(RecipientEvent event) {
        JsonNode detail = event.detail();
        Map<String, Object> facts = new LinkedHashMap<>();
        switch (event.type()) {
            case "Bounce" -> {
                facts.put("bounceType", detail.path("bounceType").asText());
                facts.put("bounceSubType", detail.path("bounceSubType").asText());
                detail.path("bouncedRecipients").forEach(r -> {
                    if (r.path("emailAddress").asText().equalsIgnoreCase(event.recipient()) && r.hasNonNull("diagnosticCode")) {
                        facts.put("diagnosticCode", r.path("diagnosticCode").asText());
                    }
                });
            }
            case "Complaint" -> facts.put("complaintFeedbackType", detail.path("complaintFeedbackType").asText("unknown"));
            case "Reject" -> facts.put("reason", detail.path("reason").asText());
            case "Rendering Failure" -> facts.put("reason", detail.path("errorMessage").asText());
            case "DeliveryDelay" -> facts.put("delayType", detail.path("delayType").asText());
            case "Click" -> facts.put("link", detail.path("link").asText());
            case "Delivery" -> facts.put("smtpResponse", detail.path("smtpResponse").asText());
            default -> { }
        }
        return facts;
    }

    /** Where a detail lands on the ledger row: reasons as {@code lastError}, the rest under their own name. */
    private static String attributeOf(RecipientEvent event, String detail) {
        return "reason".equals(detail) ? "lastError" : "Click".equals(event.type()) ? "lastLink" : detail;
    }
}
