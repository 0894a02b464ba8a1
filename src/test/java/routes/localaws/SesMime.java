package routes.localaws;

import jakarta.mail.Address;
import jakarta.mail.Header;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Properties;

/**
 * The MIME side of the SES fake: builds the message SES would send for SendEmail and the templated calls,
 * parses SendRawEmail's message, and reads addresses and headers for routing and events.
 * Malformed addresses or messages are the sender's fault: InvalidParameterValue.
 */
final class SesMime {

    /** The SES message content parameters; a rendered template has the same three parts. */
    record Content(String subject, String text, String html) {}

    record Destination(List<String> to, List<String> cc, List<String> bcc) {
        static Destination of(QueryParams destination) {
            return new Destination(destination.members("ToAddresses"), destination.members("CcAddresses"),
                    destination.members("BccAddresses"));
        }

        List<String> all() {
            List<String> all = new ArrayList<>(to);
            all.addAll(cc);
            all.addAll(bcc);
            return all;
        }
    }

    private static final Session SESSION = Session.getInstance(new Properties());
    private static final String UTF_8 = StandardCharsets.UTF_8.name();

    private SesMime() {}

    /** The message as SES composes it; Bcc recipients stay out of the headers, as in the delivered mail. */
    static MimeMessage compose(String messageId, Instant date, String source, List<String> replyTo,
                               Destination destination, Content content) {
        try {
            MimeMessage message = new MimeMessage(SESSION);
            message.setFrom(internetAddress(source));
            message.setRecipients(RecipientType.TO, internetAddresses(destination.to()));
            message.setRecipients(RecipientType.CC, internetAddresses(destination.cc()));
            if (!replyTo.isEmpty()) {
                message.setReplyTo(internetAddresses(replyTo));
            }
            if (content.subject() != null) {
                message.setSubject(content.subject(), UTF_8);
            }
            message.setSentDate(Date.from(date));
            setBody(message, content);
            message.saveChanges();
            // After saveChanges, which would otherwise generate its own Message-ID.
            message.setHeader("Message-ID", "<" + messageId + "@email.amazonses.com>");
            return message;
        } catch (MessagingException e) {
            throw invalid(e);
        }
    }

    static MimeMessage parse(byte[] raw) {
        try {
            return new MimeMessage(SESSION, new ByteArrayInputStream(raw));
        } catch (MessagingException e) {
            throw invalid(e);
        }
    }

    static byte[] bytes(MimeMessage message) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            message.writeTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MessagingException e) {
            throw new IllegalStateException("A composed message always serialises", e);
        }
    }

    /** The bare addresses, e.g. {@code a@example.com} for {@code "A" <a@example.com>}. */
    static List<String> addresses(List<String> mailboxes) {
        List<String> addresses = new ArrayList<>();
        for (InternetAddress address : internetAddresses(mailboxes)) {
            addresses.add(address.getAddress());
        }
        return addresses;
    }

    static String address(String mailbox) {
        return internetAddress(mailbox).getAddress();
    }

    /** To, Cc and Bcc of a raw message, as bare addresses. */
    static List<String> recipients(MimeMessage message) {
        return bareAddresses(call(message::getAllRecipients));
    }

    /** The first From mailbox, or InvalidParameterValue when the message has none. */
    static String from(MimeMessage message) {
        Address[] from = call(message::getFrom);
        if (from == null || from.length == 0) {
            throw AwsQueryException.sender("InvalidParameterValue", "Missing required header 'From'.");
        }
        return from[0].toString();
    }

    static List<String> mailboxes(MimeMessage message, String header) {
        String value = header(message, header);
        if (value == null) {
            return List.of();
        }
        List<String> mailboxes = new ArrayList<>();
        for (InternetAddress address : call(() -> InternetAddress.parseHeader(value, false))) {
            mailboxes.add(address.toUnicodeString());
        }
        return mailboxes;
    }

    static String subject(MimeMessage message) {
        return call(message::getSubject);
    }

    /** The header's value, several occurrences joined by commas as jakarta.mail does; null when absent. */
    static String header(MimeMessage message, String name) {
        return call(() -> message.getHeader(name, ","));
    }

    static List<Header> headers(MimeMessage message) {
        return Collections.list(call(message::getAllHeaders));
    }

    private static void setBody(MimeMessage message, Content content) throws MessagingException {
        if (content.text() != null && content.html() != null) {
            MimeMultipart alternative = new MimeMultipart("alternative");
            alternative.addBodyPart(part(content.text(), "plain"));
            alternative.addBodyPart(part(content.html(), "html"));
            message.setContent(alternative);
        } else if (content.html() != null) {
            message.setText(content.html(), UTF_8, "html");
        } else {
            message.setText(content.text() == null ? "" : content.text(), UTF_8);
        }
    }

    private static MimeBodyPart part(String text, String subtype) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setText(text, UTF_8, subtype);
        return part;
    }

    private static InternetAddress internetAddress(String mailbox) {
        try {
            return new InternetAddress(mailbox, true);
        } catch (AddressException e) {
            throw AwsQueryException.sender("InvalidParameterValue", "Illegal address: " + mailbox);
        }
    }

    private static InternetAddress[] internetAddresses(List<String> mailboxes) {
        return mailboxes.stream().map(SesMime::internetAddress).toArray(InternetAddress[]::new);
    }

    private static List<String> bareAddresses(Address[] addresses) {
        List<String> bare = new ArrayList<>();
        if (addresses != null) {
            for (Address address : addresses) {
                if (address instanceof InternetAddress internet) {
                    bare.add(internet.getAddress());
                }
            }
        }
        return bare;
    }

    private static AwsQueryException invalid(MessagingException e) {
        return AwsQueryException.sender("InvalidParameterValue", "Invalid message: " + e.getMessage());
    }

    @FunctionalInterface
    private interface MailCall<T> {
        T call() throws MessagingException;
    }

    private static <T> T call(MailCall<T> call) {
        try {
            return call.call();
        } catch (MessagingException e) {
            throw invalid(e);
        }
    }
}
