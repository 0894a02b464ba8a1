package routes.send;

import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import routes.model.EmailRequest;

/**
 * Builds the raw mail SES sends: multipart/alternative text + HTML in UTF-8 (wrapped in
 * multipart/mixed with a transactional email's attachments), RFC 8058 one-click
 * unsubscribe headers with a signed token, X-Campaign-Id; and what SES takes beside it (sender,
 * destinations, configuration set, tags campaignId/messageId/segment so feedback needs no lookup).
 */
@Component
public class MimeComposer {

    static final String CAMPAIGN_HEADER = "X-Campaign-Id";
    private static final String UTF_8 = StandardCharsets.UTF_8.name();
    /** SES tag values allow only these characters. */
    private static final Pattern TAG_UNSAFE = Pattern.compile("[^A-Za-z0-9_-]");

    private final Session session = MailSession.create();
    private final UnsubscribeLinks links;
    private final String defaultConfigurationSet;

    public MimeComposer(UnsubscribeLinks links, AwsProperties aws) {
        this.links = links;
        this.defaultConfigurationSet = aws.configurationSet();
    }

    public Outgoing compose(Rendered rendered) throws MessagingException {
        Delivery delivery = rendered.delivery();
        MimeMessage mail = new MimeMessage(session);
        mail.setFrom(new InternetAddress(rendered.from()));
        EmailRequest request = rendered.request();
        List<String> destinations = request == null ? List.of(delivery.recipient().email()) : destinations(request, delivery);
        if (request == null) {
            mail.setRecipient(jakarta.mail.Message.RecipientType.TO, new InternetAddress(delivery.recipient().email()));
        } else {
            mail.setRecipients(jakarta.mail.Message.RecipientType.TO, addresses(request.to()));
            mail.setRecipients(jakarta.mail.Message.RecipientType.CC, addresses(request.cc()));
        }
        if (delivery.chunk().replyTo() != null) {
            mail.setReplyTo(InternetAddress.parse(delivery.chunk().replyTo()));
        }
        mail.setSubject(rendered.subject(), UTF_8);
        if (delivery.campaignId() != null) {
            mail.setHeader(CAMPAIGN_HEADER, delivery.campaignId());
        }
        if (rendered.unsubscribeToken() != null) {
            mail.setHeader("List-Unsubscribe", links.header(rendered.unsubscribeToken()));
            mail.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        MimeMultipart body = body(rendered);
        List<EmailRequest.Attachment> attachments = request == null || request.attachments() == null
                ? List.of() : request.attachments();
        if (attachments.isEmpty()) {
            mail.setContent(body);
        } else {
            MimeBodyPart content = new MimeBodyPart();
            content.setContent(body);
            MimeMultipart mixed = new MimeMultipart("mixed", content);
            for (EmailRequest.Attachment attachment : attachments) {
                mixed.addBodyPart(attachment(attachment));
            }
            mail.setContent(mixed);
        }
        mail.saveChanges();

        // The raw path sends to the destinations only, so cc and bcc go there too (bcc never reaches a header).
        return new Outgoing(delivery, mail, rendered.from(), String.join(",", destinations),
                delivery.chunk().configurationSet() != null ? delivery.chunk().configurationSet() : defaultConfigurationSet,
                tags(delivery));
    }

    /** Every to, cc and bcc; for a soft-bounce retry only the address that bounced (headers stay as sent). */
    private static List<String> destinations(EmailRequest request, Delivery delivery) {
        Object retryTo = delivery.recipient().variables() == null ? null
                : delivery.recipient().variables().get(EmailRequest.RETRY_TO_VARIABLE);
        return retryTo == null ? request.destinations() : List.of(retryTo.toString());
    }

    /** multipart/alternative of the bodies present (a transactional email may give only one). */
    private static MimeMultipart body(Rendered rendered) throws MessagingException {
        MimeMultipart alternative = new MimeMultipart("alternative");
        if (rendered.text() != null) {
            MimeBodyPart text = new MimeBodyPart();
            text.setText(rendered.text(), UTF_8, "plain");
            alternative.addBodyPart(text);
        }
        if (rendered.html() != null) {
            MimeBodyPart html = new MimeBodyPart();
            html.setText(rendered.html(), UTF_8, "html");
            alternative.addBodyPart(html);
        }
        return alternative;
    }

    private static MimeBodyPart attachment(EmailRequest.Attachment attachment) throws MessagingException {
        byte[] bytes = Base64.getMimeDecoder().decode(attachment.content());
        // Parsed and written again by Jakarta Mail, never copied: the header holds only what the parser understood.
        String type = attachment.contentType() == null ? "application/octet-stream"
                : new ContentType(attachment.contentType()).toString();
        MimeBodyPart part = new MimeBodyPart();
        part.setDataHandler(new DataHandler(new ByteArrayDataSource(bytes, type)));
        part.setFileName(attachment.filename());
        part.setDisposition(Part.ATTACHMENT);
        return part;
    }

    private static InternetAddress[] addresses(List<String> values) throws AddressException {
        return values == null ? new InternetAddress[0] : InternetAddress.parse(String.join(",", values));
    }

    private static Map<String, String> tags(Delivery delivery) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (delivery.chunk().tags() != null) {
            delivery.chunk().tags().forEach((name, value) -> tags.put(safe(name), safe(value)));
        }
        if (delivery.campaignId() != null) {
            tags.put("campaignId", safe(delivery.campaignId()));
        }
        tags.put("messageId", delivery.messageId());
        if (delivery.recipient().segment() != null) {
            tags.put("segment", safe(delivery.recipient().segment()));
        }
        return tags;
    }

    private static String safe(String value) {
        return TAG_UNSAFE.matcher(value).replaceAll("_");
    }
}
