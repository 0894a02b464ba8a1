package routes.model;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One message on the send queue (its JSON ends with the recipients array, which launch's streaming
 * chunker relies on): up to 500 recipients of one campaign, each already resolved to its
 * template and overrides, so the send flow needs no campaign lookup to render and send.
 * Sender resolution (DESIGN §4): recipient override → template metadata → {@code from} → configured default.
 *
 * @param campaignId       the campaign, or {@code null} for a transactional send
 * @param chunk            position of this chunk in the launch (0-based); with the campaign id it names the chunk
 * @param from             the campaign's sender, or null
 * @param configurationSet SES configuration set for event publishing
 * @param tags             message tags added to every mail (besides campaignId, messageId, segment)
 * @param reclaim          statuses a recipient's row may be claimed from again besides QUEUED: FAILED for a
 *                         campaign resend, SOFT_BOUNCED for the retry after a transient bounce; null for none
 */
public record SendChunk(String campaignId, int chunk, String from, String replyTo, String configurationSet,
                        Map<String, String> tags, List<MessageStatus> reclaim, List<Recipient> recipients) {

    /** Chunk position of a one-off send (a soft-bounce retry) that is not part of any launch. */
    public static final int NO_CHUNK = -1;

    public SendChunk(String campaignId, int chunk, String from, String replyTo, String configurationSet,
                     Map<String, String> tags, List<Recipient> recipients) {
        this(campaignId, chunk, from, replyTo, configurationSet, tags, null, recipients);
    }

    /** The same chunk with other recipients. */
    public SendChunk withRecipients(List<Recipient> others) {
        return new SendChunk(campaignId, chunk, from, replyTo, configurationSet, tags, reclaim, others);
    }

    /**
     * @param from    sender override of the segment or row, or null
     * @param subject subject override, or null for the template's subject
     */
    public record Recipient(String messageId, String email, String template, String from, String subject,
                            String segment, Map<String, Object> variables) {

        /**
         * Variables the send flow sets itself: the S3 key of a transactional email's stored request
         * (TransactionalContent), a soft-bounce retry's one destination, and the template model's message id, unsubscribe link, unescaped view
         * ({@code raw}) and render budget (MessageRenderer). A campaign file that supplied the first could
         * point the send flow at another person's request; the others would be silently replaced.
         * {@code email} is left to files: the renderer sets it to the recipient's own address.
         */
        public static final Set<String> RESERVED_VARIABLES = Set.of(EmailRequest.CONTENT_KEY_VARIABLE,
                EmailRequest.RETRY_TO_VARIABLE, "messageId", "unsubscribeUrl", "raw", "mailroutes:budget");
    }
}
