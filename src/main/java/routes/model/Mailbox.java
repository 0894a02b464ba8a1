package routes.model;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/**
 * A sender or reply-to as the MIME layer will write it: exactly one address, optionally with a display
 * name. Checked where a request or file comes in, so a sender the send flow could never put into a
 * header ({@code Doe, Jane <team@example.org>}: an unquoted comma makes two addresses) is refused
 * there, not found after the recipient was claimed.
 */
public final class Mailbox {

    private Mailbox() {
    }

    public static boolean parses(String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        try {
            new InternetAddress(value.trim(), true);
            return true;
        } catch (AddressException e) {
            return false;
        }
    }
}
