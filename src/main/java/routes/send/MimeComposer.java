package routes.send;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import routes.model.UnsubscribeToken;

/**
 * Builds the raw mail SES sends: multipart/alternative text + HTML in UTF-8, RFC 8058 one-click
 * unsubscribe headers with a signed token, X-Campaign-Id; and the aws2-ses headers (sender,
 * destination, configuration set, tags campaignId/messageId/segment so feedback needs no lookup).
 */
@Component
public class MimeComposer {

    static final String CAMPAIGN_HEADER = "X-Campaign-Id";
    private static final String UTF_8 = StandardCharsets.UTF_8.name();
    /** SES tag values allow only these characters. */
    private static final Pattern TAG_UNSAFE = Pattern.compile("[^A-Za-z0-9_-]");

    private final Session session = Session.getInstance(new Properties());
    private final UnsubscribeToken tokens;
    private final SendProperties properties;
    private final String defaultConfigurationSet;

    public MimeComposer(UnsubscribeToken tokens, SendProperties properties,
                        @Value("${mailroutes.aws.configuration-set}") String defaultConfigurationSet) {
        this.tokens = tokens;
        this.properties = properties;
        this.defaultConfigurationSet = defaultConfigurationSet;
    }

    public void compose(Rendered rendered, Exchange exchange) throws MessagingException {
        Delivery delivery = rendered.delivery();
        MimeMessage mail = new MimeMessage(session);
        mail.setFrom(new InternetAddress(rendered.from()));
        mail.setRecipient(jakarta.mail.Message.RecipientType.TO, new InternetAddress(delivery.recipient().email()));
        if (delivery.chunk().replyTo() != null) {
            mail.setReplyTo(InternetAddress.parse(delivery.chunk().replyTo()));
        }
        mail.setSubject(rendered.subject(), UTF_8);
        if (delivery.campaignId() != null) {
            String token = tokens.sign(delivery.messageId());
            mail.setHeader(CAMPAIGN_HEADER, delivery.campaignId());
            mail.setHeader("List-Unsubscribe", "<" + properties.unsubscribeBaseUrl() + "/u/" + token + ">, <mailto:"
                    + properties.unsubscribeMailto() + "?subject=unsubscribe-" + token + ">");
            mail.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        MimeBodyPart text = new MimeBodyPart();
        text.setText(rendered.text(), UTF_8, "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(rendered.html(), UTF_8, "html");
        mail.setContent(new MimeMultipart("alternative", text, html));
        mail.saveChanges();

        Message message = exchange.getMessage();
        message.setBody(mail);
        message.setHeader("CamelAwsSesFrom", rendered.from());
        message.setHeader("CamelAwsSesTo", delivery.recipient().email());
        message.setHeader("CamelAwsSesConfigurationSet", delivery.chunk().configurationSet() != null
                ? delivery.chunk().configurationSet() : defaultConfigurationSet);
        message.setHeader("CamelAwsSesTags", tags(delivery));
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
