package routes.localaws;

import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One message SES was asked to send: its id, the envelope, the MIME content and what event publishing needs.
 *
 * @param destination every recipient (To, Cc, Bcc or the raw call's Destinations) as a bare address
 * @param raw         the caller's bytes for SendRawEmail, written to the outbox unchanged; null when SES composed it
 * @param configurationSet null when the request names none
 */
record SesMail(String messageId, Instant timestamp, String operation, String source, List<String> destination,
               MimeMessage content, byte[] raw, String configurationSet, Map<String, String> tags) {

    /** SES allows only these characters in message tag names and values. */
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_-]{1,256}");

    SesMail {
        destination = List.copyOf(destination);
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        tags.forEach((name, value) -> {
            if (!TAG.matcher(name).matches() || !TAG.matcher(value).matches()) {
                throw AwsQueryException.sender("InvalidParameterValue", "Invalid message tag " + name + "=" + value
                        + ": names and values may only contain ASCII letters, digits, '_' and '-'.");
            }
        });
    }

    /** An id shaped like SES's: 16 hex digits of time, a UUID, and {@code -000000}. */
    static String newId(Instant timestamp) {
        String time = "01" + HexFormat.of().toHexDigits(timestamp.toEpochMilli()).substring(2);
        return time + "-" + UUID.randomUUID() + "-000000";
    }

    String fromDomain() {
        String address = SesMime.address(source);
        return address.substring(address.indexOf('@') + 1);
    }

    byte[] eml() {
        return raw != null ? raw : SesMime.bytes(content);
    }
}
