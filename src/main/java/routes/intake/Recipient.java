package routes.intake;

import java.util.Map;
import routes.model.MessageIds;
import routes.model.SendChunk;

/**
 * A row that passed validation, resolved to what the send flow needs (segment/row override → campaign).
 *
 * @param email the address as it will be sent (IDN domain in punycode)
 */
public record Recipient(long line, String segment, String email, String template, String from, String subject,
                        Map<String, String> tags, Map<String, Object> variables) {

    /** This recipient as an entry of a launch-queue chunk (JSONL rows name their segment in a tag). */
    public SendChunk.Recipient toChunkRecipient(String campaignId) {
        return new SendChunk.Recipient(MessageIds.forCampaign(campaignId, email), email, template, from, subject,
                segment != null ? segment : tags.get("segmentId"), variables);
    }
}
