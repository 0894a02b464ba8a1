package routes.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.camel.support.LRUCacheFactory;
import org.springframework.stereotype.Component;
import routes.store.Ledger;

/**
 * Narrows an SES event to one event per recipient it names and finds each one's ledger row: the row the
 * send flow's {@code messageId} tag names, else the rows on the sesMessageId index; a recipient matches
 * a row only when it is that row's recipient (a transactional email's cc and bcc have none). A recipient
 * event without a row ({@code messageId} null) is uncorrelated: the flow only logs and counts it. The
 * campaign is always the row's: the {@code campaignId} tag is a sanitised copy ({@code news.v2.x} is
 * tagged {@code news_v2_x}).
 *
 * <p>A tagged row read is remembered for {@code mailroutes.feedback.correlation-memory}: a row's campaign and
 * recipient never change, and a message's events come close together (SES's Send and Delivery within seconds),
 * so the second event of a message does not read its row again (one DynamoDB GetItem per event before). Only
 * rows that exist are remembered, and an erasure forgets its rows ({@link #forget}); another replica may still
 * correlate an event of an erased row by the old address for the rest of that time.
 */
@Component
public class EventCorrelator {

    /** At 500 mails/s with two events each close together, a minute's rows: ~300 bytes each. */
    private static final int REMEMBERED_ROWS = 50_000;

    private final Ledger ledger;
    private final long memoryNanos;
    private final Map<String, Remembered> readRows = LRUCacheFactory.newLRUCache(REMEMBERED_ROWS);

    private record Remembered(Ledger.Entry row, long readAt) {}

    public EventCorrelator(Ledger ledger, FeedbackProperties properties) {
        this.ledger = ledger;
        this.memoryNanos = properties.correlationMemory().toNanos();
    }

    public List<RecipientEvent> perRecipient(SesEvent event) {
        String taggedId = event.tag("messageId");
        // The tag beats the index: the sesMessageId is written after SES answered, and its events can come first.
        List<Ledger.Entry> candidates = taggedId != null ? tagged(taggedId).stream().toList()
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

    /** Erased rows name their recipient by a pseudonym from now on. */
    public void forget(Collection<String> messageIds) {
        messageIds.forEach(readRows::remove);
    }

    private Optional<Ledger.Entry> tagged(String messageId) {
        long now = System.nanoTime();
        Remembered remembered = readRows.get(messageId);
        if (remembered != null && now - remembered.readAt() < memoryNanos) {
            return Optional.of(remembered.row());
        }
        Optional<Ledger.Entry> row = ledger.find(messageId);
        row.ifPresent(found -> readRows.put(messageId, new Remembered(found, now)));
        return row;
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
