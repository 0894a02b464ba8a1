package routes.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import routes.model.SendChunk;
import routes.model.StatusEvent;

/**
 * One SES event narrowed to one recipient and correlated to its ledger row: the unit the router,
 * the event log and the tracking work on. Tracking fills in what the outputs need, so the whole
 * flow carries one body: the status change it caused and the one soft-bounce retry it asks for.
 *
 * @param messageId  the ledger row ({@code null} when no row could be found)
 * @param campaignId the campaign, or null for a transactional send
 * @param kind       the routing key: the SES type, refined for bounces ({@code Bounce.Permanent}, …)
 * @param eventKey   {@code <timestamp>#<type>#<recipient>} (DESIGN §3)
 * @param statusChange the status event for the outputs when tracking moved the row, else null
 * @param retry      the soft-bounce retry to put on the send queue, else null
 */
public record RecipientEvent(String messageId, String campaignId, String recipient, String kind, String eventKey,
                             SesEvent event, StatusEvent statusChange, Retry retry) {

    /**
     * The same mail again as a one-recipient chunk, the queue it goes back to (a transactional mail to the
     * transactional lane, so it keeps its priority) and how long it waits there.
     */
    public record Retry(SendChunk chunk, String queue, int delaySeconds) {}

    public RecipientEvent(String messageId, String campaignId, String recipient, String kind, String eventKey, SesEvent event) {
        this(messageId, campaignId, recipient, kind, eventKey, event, null, null);
    }

    public RecipientEvent withStatusChange(StatusEvent change) {
        return new RecipientEvent(messageId, campaignId, recipient, kind, eventKey, event, change, retry);
    }

    public RecipientEvent withRetry(Retry again) {
        return new RecipientEvent(messageId, campaignId, recipient, kind, eventKey, event, statusChange, again);
    }

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
