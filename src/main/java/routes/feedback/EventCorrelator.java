package routes.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import routes.store.Ledger;

/**
 * Narrows an SES event to one event per recipient it names and finds each one's ledger row: by the
 * {@code messageId} tag the send flow sets (one recipient per mail), else, for a mail with several
 * recipients or without the tag, by the sesMessageId index matched on the recipient. A recipient event
 * without a row ({@code messageId} null) is uncorrelated: the flow only logs and counts it.
 */
@Component
public class EventCorrelator {

    private final Ledger ledger;

    public EventCorrelator(Ledger ledger) {
        this.ledger = ledger;
    }

    public List<RecipientEvent> perRecipient(SesEvent event) {
        String taggedId = event.tag("messageId");
        String campaignId = event.tag("campaignId");
        if (taggedId != null && event.recipients().size() <= 1) {
            String recipient = event.recipients().isEmpty() ? "" : event.recipients().get(0);
            // The tag only names a row; an event is ours when that row exists.
            return List.of(ledger.find(taggedId)
                    .map(row -> recipientEvent(event, row.messageId(), row.campaignId(), recipient))
                    .orElseGet(() -> recipientEvent(event, null, campaignId, recipient)));
        }
        Map<String, Ledger.Entry> rows = ledger.findBySesMessageId(event.sesMessageId()).stream()
                .collect(Collectors.toMap(row -> lower(row.recipient()), row -> row, (a, b) -> a));
        return event.recipients().stream().map(recipient -> {
            Ledger.Entry row = rows.get(lower(recipient));
            return row == null ? recipientEvent(event, null, campaignId, recipient)
                    : recipientEvent(event, row.messageId(), row.campaignId(), recipient);
        }).toList();
    }

    private static RecipientEvent recipientEvent(SesEvent event, String messageId, String campaignId, String recipient) {
        String kind = switch (event.type()) {
            case "Bounce" -> "Bounce." + event.detail().path("bounceType").asText("Undetermined");
            case "Subscription" -> optsOut(event) ? "Subscription" : "Subscription.OptIn";
            default -> event.type();
        };
        String eventKey = event.timestamp() + "#" + event.type() + "#" + lower(recipient);
        return new RecipientEvent(messageId, campaignId, recipient, kind, eventKey, event);
    }

    /** Whether a Subscription event unsubscribes: from everything, or from at least one topic. */
    private static boolean optsOut(SesEvent event) {
        JsonNode preferences = event.detail().path("newTopicPreferences");
        if (preferences.path("unsubscribeAll").asBoolean(false)) {
            return true;
        }
        for (JsonNode topic : preferences.path("topicSubscriptionStatus")) {
            if ("OptOut".equalsIgnoreCase(topic.path("subscriptionStatus").asText())) {
                return true;
            }
        }
        return false;
    }

    private static String lower(String address) {
        return address == null ? "" : address.toLowerCase(Locale.ROOT);
    }
}
