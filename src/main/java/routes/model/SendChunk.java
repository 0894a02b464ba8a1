package routes.model;

import java.util.List;
import java.util.Map;

/**
 * One message on the send queue: up to 500 recipients of one campaign, each already resolved to its
 * template and overrides, so the send flow needs no campaign lookup to render and send.
 * Sender resolution (DESIGN §4): recipient override → template metadata → {@code from} → configured default.
 *
 * @param campaignId       the campaign, or {@code null} for a transactional send
 * @param chunk            position of this chunk in the launch (0-based); with the campaign id it names the chunk
 * @param from             the campaign's sender, or null
 * @param configurationSet SES configuration set for event publishing
 * @param tags             message tags added to every mail (besides campaignId, messageId, segment)
 */
public record SendChunk(String campaignId, int chunk, String from, String replyTo, String configurationSet,
                        Map<String, String> tags, List<Recipient> recipients) {

    /**
     * @param from    sender override of the segment or row, or null
     * @param subject subject override, or null for the template's subject
     */
    public record Recipient(String messageId, String email, String template, String from, String subject,
                            String segment, Map<String, Object> variables) {}
}
