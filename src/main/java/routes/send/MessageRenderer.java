package routes.send;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.velocity.Template;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.event.EventCartridge;
import org.apache.velocity.exception.ExtendedParseException;
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
 * subject and bodies the API stored. Every value the HTML template inserts is HTML-escaped unless the
 * template names it under {@code $raw.} ({@link HtmlEscaping}); subject and text are not escaped. A
 * template that cannot be found, parsed or rendered, that runs past its limits ({@link RenderBudget}),
 * or a missing required variable, fails only this recipient: its row is FAILED with the reason and the
 * result is null, so the route skips it and the chunk goes on.
 */
@Component
public class MessageRenderer {

    private static final Logger LOG = LoggerFactory.getLogger(MessageRenderer.class);
    static final String PREVIEW_ADDRESS = "recipient@example.org";
    static final String PREVIEW_MESSAGE_ID = "preview";

    private final TemplateStore templates;
    private final Ledger ledger;
    private final SendCounters counters;
    private final SendProperties properties;
    private final TransactionalContent transactional;
    private final UnsubscribeLinks links;

    public MessageRenderer(TemplateStore templates, Ledger ledger, SendCounters counters, SendProperties properties,
                           TransactionalContent transactional, UnsubscribeLinks links) {
        this.transactional = transactional;
        this.links = links;
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
                        request.bodyText(), request, null);
            }
            MailTemplate template = templates.get(recipient.template());
            String unsubscribeToken = delivery.campaignId() == null ? null : links.token(recipient.messageId());
            Content content = content(template, recipient.variables() == null ? Map.of() : recipient.variables(),
                    recipient.email(), recipient.messageId(), unsubscribeToken == null ? null : links.url(unsubscribeToken),
                    recipient.subject());
            return new Rendered(delivery, sender(delivery, template.info().sender()), content.subject(), content.html(),
                    content.text(), request, unsubscribeToken);
        } catch (TemplateFailure e) {
            LOG.info("Message {} FAILED: {}", recipient.messageId(), LogRedaction.withoutAddresses(e.getMessage()));
            ledger.advance(recipient.messageId(), MessageStatus.FAILED,
                    Map.of("lastError", AttributeValue.fromS(e.code() + ": " + e.getMessage())));
            counters.add(delivery.campaignId(), "failed");
            return null;
        }
    }

    /** A template's subject and bodies for one set of variables. */
    public record Content(String subject, String html, String text) {}

    /**
     * Renders a template outside a send (the API's preview and its check on save) exactly as a campaign mail:
     * the same model, HTML escaping and limits. {@code email} comes from the variables or is {@value #PREVIEW_ADDRESS};
     * {@code $unsubscribeUrl} is a signed link for the message id {@value #PREVIEW_MESSAGE_ID}, which names no mail.
     *
     * @throws TemplateFailure a missing required variable, a render error (with where it happened) or a limit
     */
    public Content preview(MailTemplate template, Map<String, Object> variables) {
        Object email = variables.get("email");
        return content(template, variables, email == null ? PREVIEW_ADDRESS : email.toString(), PREVIEW_MESSAGE_ID,
                links.url(links.token(PREVIEW_MESSAGE_ID)), null);
    }

    private Content content(MailTemplate template, Map<String, Object> variables, String email, String messageId,
                            String unsubscribeUrl, String subjectOverride) {
        List<String> missing = template.info().requiredVariables().stream()
                .filter(name -> variables.get(name) == null).toList();
        if (!missing.isEmpty()) {
            throw new TemplateFailure("template '" + template.name() + "' needs variables " + missing);
        }
        Map<String, Object> model = new HashMap<>(variables);
        model.put("email", email);
        model.put("messageId", messageId);
        if (unsubscribeUrl != null) {
            model.put("unsubscribeUrl", unsubscribeUrl);
        }
        model.put(HtmlEscaping.RAW, Collections.unmodifiableMap(new HashMap<>(model)));
        RenderBudget budget = new RenderBudget(properties.template());
        model.put(RenderBudget.KEY, budget);
        VelocityContext context = new VelocityContext(model);
        VelocityContext html = new VelocityContext(context);
        EventCartridge escaping = new EventCartridge();
        escaping.addReferenceInsertionEventHandler(new HtmlEscaping());
        escaping.attachToContext(html);
        String subject = subjectOverride != null ? subjectOverride : merge(template.subject(), context, budget).strip();
        return new Content(subject, merge(template.html(), html, budget), merge(template.text(), context, budget));
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

    private static String merge(Template template, VelocityContext context, RenderBudget budget) {
        StringBuilder out = new StringBuilder();
        try {
            template.merge(context, budget.writer(out));
        } catch (RuntimeException e) {
            throw budget.breach().map(limit -> new TemplateFailure(limit.code(),
                            "template '" + template.getName() + "': " + limit.getMessage()))
                    .orElseGet(() -> new TemplateFailure("template '" + template.getName() + "' failed to render: "
                            + e.getMessage(), e, where(template, e)));
        }
        return out.toString();
    }

    /** The file (after the template's name) and line the engine reports for a render error, if it does. */
    private static TemplateFailure.Where where(Template template, Throwable failure) {
        String file = template.getName().substring(template.getName().lastIndexOf('/') + 1);
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ExtendedParseException located) {
                return new TemplateFailure.Where(file, located.getLineNumber());
            }
        }
        return new TemplateFailure.Where(file, 0);
    }
}
