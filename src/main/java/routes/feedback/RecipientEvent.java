package routes.feedback;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One SES event narrowed to one recipient and correlated to its ledger row: the unit the router,
 * the event log and the tracking work on.
 *
 * @param messageId  the ledger row ({@code null} when no row could be found)
 * @param campaignId the campaign, or null for a transactional send
 * @param kind       the routing key: the SES type, refined for bounces ({@code Bounce.Permanent}, …)
 * @param eventKey   {@code <timestamp>#<type>#<recipient>} (DESIGN §3)
 */
public record RecipientEvent(String messageId, String campaignId, String recipient, String kind, String eventKey,
                             SesEvent event) {

    public String type() {
        return event.type();
    }

    public JsonNode detail() {
        return event.detail();
    }

    /** The event-log key of this event: the ledger row, or the SES id when no row is known. */
    public String logKey() {
        return messageId != null ? messageId : "ses:" + event.sesMessageId();
    }
}
