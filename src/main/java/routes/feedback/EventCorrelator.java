package routes.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import routes.store.Ledger;

/**
 * Narrows an SES event to one event per recipient it names and finds each one's ledger row: by the
 * {@code messageId} tag the send flow sets (one recipient per mail), else, for a mail with several
 * recipients or without the tag, by the sesMessageId index matched on the recipient. The campaign is always
 * the row's: the {@code campaignId} tag is a sanitised copy ({@code news.v2.x} is tagged {@code news_v2_x}).
 */
@Component
public class EventCorrelator {

    /** Rows whose campaign is remembered: a message's Send, Delivery, Open… arrive close together. */
    private static final int CAMPAIGNS_KEPT = 10_000;

    private final Ledger ledger;
    /** messageId → campaignId ("" for a transactional row); a row's campaign never changes. */
    private final Map<String, String> campaignOfRow = new LinkedHashMap<>(CAMPAIGNS_KEPT, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > CAMPAIGNS_KEPT;
        }
    };

    public EventCorrelator(Ledger ledger) {
        this.ledger = ledger;
    }

    public List<RecipientEvent> perRecipient(SesEvent event) {
        String taggedId = event.tag("messageId");
        if (taggedId != null && event.recipients().size() <= 1) {
            String recipient = event.recipients().isEmpty() ? "" : event.recipients().get(0);
            return List.of(recipientEvent(event, taggedId, campaignOf(taggedId), recipient));
        }
        Map<String, Ledger.Entry> rows = ledger.findBySesMessageId(event.sesMessageId()).stream()
                .collect(Collectors.toMap(row -> lower(row.recipient()), row -> row, (a, b) -> a));
        return event.recipients().stream().map(recipient -> {
            Ledger.Entry row = rows.get(lower(recipient));
            return row == null ? recipientEvent(event, null, null, recipient)
                    : recipientEvent(event, row.messageId(), row.campaignId(), recipient);
        }).toList();
    }

    /** The campaign of the tagged row; null for a transactional row or a tag naming no row. */
    private String campaignOf(String messageId) {
        String known;
        synchronized (campaignOfRow) {
            known = campaignOfRow.get(messageId);
        }
        if (known == null) {
            Optional<String> read = ledger.campaignOf(messageId);
            if (read.isEmpty()) {
                return null;
            }
            known = read.get();
            synchronized (campaignOfRow) {
                campaignOfRow.put(messageId, known);
            }
        }
        return known.isEmpty() ? null : known;
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
