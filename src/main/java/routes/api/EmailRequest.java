package routes.api;

import java.util.List;
import java.util.Map;

/** The body of {@code POST /api/v1/emails} (seed 004). */
public record EmailRequest(List<String> to, List<String> cc, List<String> bcc, String subject, String bodyText,
                           String bodyHtml, String template, Map<String, Object> data, String from, String replyTo,
                           List<Attachment> attachments, Map<String, String> metadata, Map<String, String> tags) {

    /** @param content base64 */
    public record Attachment(String filename, String contentType, String content) {}
}
