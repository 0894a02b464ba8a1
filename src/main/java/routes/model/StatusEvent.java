package routes.model;

import java.util.Locale;
import java.util.Map;

/**
 * A status change as the outside world sees it (DESIGN §5): the body of every message on the
 * notifications queue and the SNS status topic, and the payload POSTed to webhook subscribers.
 *
 * @param id         unique per event; webhook consumers deduplicate on it
 * @param type       {@code message.<status>} in lower case (e.g. {@code message.delivered}),
 *                   or {@code campaign.completed} / {@code campaign.paused}
 * @param occurredAt ISO-8601 instant
 * @param detail     type-specific detail (bounce type, complaint feedback, counts of a campaign summary)
 */
public record StatusEvent(String id, String type, String occurredAt, String messageId, String campaignId,
                          String recipient, String status, Map<String, Object> detail, Map<String, String> metadata) {

    public static String typeOf(MessageStatus status) {
        return "message." + status.name().toLowerCase(Locale.ROOT);
    }
}
