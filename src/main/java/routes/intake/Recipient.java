package routes.intake;

import java.util.Map;

/**
 * A row that passed validation, resolved to what the send flow needs (segment/row override → campaign).
 *
 * @param email the address as it will be sent (IDN domain in punycode)
 */
public record Recipient(long line, String segment, String email, String template, String from, String subject,
                        Map<String, String> tags, Map<String, Object> variables) {
}
