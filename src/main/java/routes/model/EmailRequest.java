package routes.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

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

    /**
     * Recipient variable of a soft-bounce retry of a transactional email: the one address that bounced,
     * the only destination of the retry (the others had their mail).
     */
    public static final String RETRY_TO_VARIABLE = "retryTo";

    /**
     * @param filename    shown to the reader; any Unicode text without control characters, quotes, backslashes or
     *                    slashes (at most 255 characters), encoded per RFC 2231 in the part's headers
     * @param contentType an RFC 2045 {@code type/subtype} with optional {@code ; attribute=value} parameters;
     *                    absent means application/octet-stream
     * @param content     base64
     */
    public record Attachment(String filename, String contentType, String content) {

        private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
        private static final Pattern CONTENT_TYPE = Pattern.compile(
                TOKEN + "/" + TOKEN + "(\\s*;\\s*" + TOKEN + "=(" + TOKEN + "|\"[^\"\\\\\\p{Cc}]*\"))*");
        private static final Pattern FILENAME = Pattern.compile("[^\\p{Cc}\\p{Zl}\\p{Zp}\"\\\\/]{1,255}");

        /** The first value that may not go into the part's headers, if any. */
        public Optional<HeaderProblem> headerProblem() {
            if (filename == null || filename.isBlank() || !FILENAME.matcher(filename).matches()) {
                return Optional.of(new HeaderProblem("filename",
                        "1 to 255 characters, no control characters, quotes, backslashes or slashes"));
            }
            if (contentType != null && (contentType.length() > 255 || !CONTENT_TYPE.matcher(contentType).matches())) {
                return Optional.of(new HeaderProblem("contentType",
                        "an RFC 2045 type/subtype with optional ; attribute=value parameters"));
            }
            return Optional.empty();
        }
    }

    /** An attachment value refused for a part header: which field, and the rule it breaks. */
    public record HeaderProblem(String field, String rule) {}

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
