package routes.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import routes.store.Ledger;

/**
 * Narrows an SES event to one event per recipient it names and finds each one's ledger row: the row the
 * send flow's {@code messageId} tag names, else the rows on the sesMessageId index; a recipient matches
 * a row only when it is that row's recipient (a transactional email's cc and bcc have none). A recipient
 * event without a row ({@code messageId} null) is uncorrelated: the flow only logs and counts it. The
 * campaign is always the row's: the {@code campaignId} tag is a sanitised copy ({@code news.v2.x} is
 * tagged {@code news_v2_x}).
 */
@Component
public class EventCorrelator {

    private final Ledger ledger;

    public EventCorrelator(Ledger ledger) {
        this.ledger = ledger;
    }

    public List<RecipientEvent> perRecipient(SesEvent event) {
        String taggedId = event.tag("messageId");
        // The tag beats the index: the sesMessageId is written after SES answered, and its events can come first.
        List<Ledger.Entry> candidates = taggedId != null ? ledger.find(taggedId).stream().toList()
                : ledger.findBySesMessageId(event.sesMessageId());
        if (event.recipients().isEmpty()) {
            return List.of(candidates.size() == 1
                    ? recipientEvent(event, candidates.get(0).messageId(), candidates.get(0).campaignId(), "")
                    : recipientEvent(event, null, null, ""));
        }
        // A row is one recipient's: a transactional email's cc or bcc is named by its events, not by the row.
        Map<String, Ledger.Entry> rows = candidates.stream()
                .collect(Collectors.toMap(row -> lower(row.recipient()), row -> row, (a, b) -> a));
        return event.recipients().stream().map(recipient -> {
            Ledger.Entry row = rows.get(lower(recipient));
            return row == null ? recipientEvent(event, null, null, recipient)
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
