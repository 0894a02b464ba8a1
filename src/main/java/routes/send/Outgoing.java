package routes.send;

import jakarta.mail.internet.MimeMessage;
import java.util.Map;

/**
 * A claimed recipient's mail, composed and ready for SES: the MIME message and what the aws2-ses
 * producer takes beside it (route {@code send-ses-call} turns the fields into its headers).
 *
 * @param destinations every address SES delivers to, comma-separated (to, cc and bcc; a bcc never
 *                     reaches a header)
 */
public record Outgoing(Delivery delivery, MimeMessage mail, String from, String destinations,
                       String configurationSet, Map<String, String> tags) implements RecipientInWork {

    /** SES accepted the mail under this message id. */
    public Accepted accepted(String sesMessageId) {
        return new Accepted(delivery, sesMessageId);
    }
}
