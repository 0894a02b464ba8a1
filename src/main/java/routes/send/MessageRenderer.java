package routes.send;

import java.io.StringWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.velocity.Template;
import org.apache.velocity.VelocityContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import routes.model.EmailRequest;
import routes.model.LogRedaction;
import routes.model.MessageStatus;
import routes.model.SendChunk.Recipient;
import routes.store.Ledger;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Renders a claimed recipient's mail: its template, or for a transactional email without one the
 * subject and bodies the API stored. A template that cannot be found, parsed or rendered, or a
 * missing required variable, fails only this recipient: its row is FAILED with the reason and the
 * result is null, so the route skips it and the chunk goes on.
 */
@Component
public class MessageRenderer {

    private static final Logger LOG = LoggerFactory.getLogger(MessageRenderer.class);

    private final TemplateStore templates;
    private final Ledger ledger;
    private final SendCounters counters;
    private final SendProperties properties;
    private final TransactionalContent transactional;

    public MessageRenderer(TemplateStore templates, Ledger ledger, SendCounters counters, SendProperties properties,
                           TransactionalContent transactional) {
        this.transactional = transactional;
        this.templates = templates;
        this.ledger = ledger;
        this.counters = counters;
        this.properties = properties;
    }

    public Rendered render(Delivery delivery) {
        Recipient recipient = delivery.recipient();
        try {
            EmailRequest request = transactional.of(recipient).orElse(null);
            if (request != null && request.template() == null) {
                return new Rendered(delivery, sender(delivery, null), request.subject(), request.bodyHtml(),
                        request.bodyText(), request);
            }
            MailTemplate template = templates.get(recipient.template());
            Map<String, Object> variables = recipient.variables() == null ? Map.of() : recipient.variables();
            List<String> missing = template.info().requiredVariables().stream()
                    .filter(name -> variables.get(name) == null).toList();
            if (!missing.isEmpty()) {
                throw new TemplateFailure("template '" + template.name() + "' needs variables " + missing);
            }
            Map<String, Object> model = new HashMap<>(variables);
            model.put("email", recipient.email());
            model.put("messageId", recipient.messageId());
            VelocityContext context = new VelocityContext(model);
            String subject = recipient.subject() != null ? recipient.subject() : merge(template.subject(), context).strip();
            return new Rendered(delivery, sender(delivery, template.info().sender()), subject,
                    merge(template.html(), context), merge(template.text(), context), request);
        } catch (TemplateFailure e) {
            LOG.info("Message {} FAILED: {}", recipient.messageId(), LogRedaction.withoutAddresses(e.getMessage()));
            ledger.advance(recipient.messageId(), MessageStatus.FAILED,
                    Map.of("lastError", AttributeValue.fromS(e.code() + ": " + e.getMessage())));
            counters.add(delivery.campaignId(), "failed");
            return null;
        }
    }

    /** DESIGN §4: recipient override → template metadata → campaign → configured default. */
    private String sender(Delivery delivery, String templateSender) {
        if (delivery.recipient().from() != null) {
            return delivery.recipient().from();
        }
        if (templateSender != null) {
            return templateSender;
        }
        return delivery.chunk().from() != null ? delivery.chunk().from() : properties.defaultFrom();
    }

    private static String merge(Template template, VelocityContext context) {
        StringWriter out = new StringWriter();
        try {
            template.merge(context, out);
        } catch (RuntimeException e) {
            throw new TemplateFailure("template '" + template.getName() + "' failed to render: " + e.getMessage(), e);
        }
        return out.toString();
    }
}
