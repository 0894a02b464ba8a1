package routes.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /api/v1/emails} (seed 004). The API stores it as JSON in S3 under
 * {@link #contentKey(String)}; the send flow reads it back there, so a chunk on the transactional
 * queue stays small whatever the attachments weigh.
 */
public record EmailRequest(List<String> to, List<String> cc, List<String> bcc, String subject, String bodyText,
                           String bodyHtml, String template, Map<String, Object> data, String from, String replyTo,
                           List<Attachment> attachments, Map<String, String> metadata, Map<String, String> tags) {

    /** Recipient variable of a transactional chunk that names the stored request. */
    public static final String CONTENT_KEY_VARIABLE = "transactionalContentKey";

    /** @param content base64 */
    public record Attachment(String filename, String contentType, String content) {}

    /** Where the full request of a transactional email is kept in the campaign bucket. */
    public static String contentKey(String emailId) {
        return "transactional/" + emailId + ".json";
    }

    /** Every envelope recipient: to, then cc, then bcc. */
    public List<String> destinations() {
        List<String> all = new ArrayList<>(to);
        all.addAll(cc == null ? List.of() : cc);
        all.addAll(bcc == null ? List.of() : bcc);
        return all;
    }
}
