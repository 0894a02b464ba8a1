package routes.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * One SES event as published (configuration-set {@code eventType} or identity {@code notificationType}),
 * with what the flow needs lifted out of the JSON.
 *
 * @param type         the event type as SES names it ({@code Bounce}, {@code Rendering Failure}, …)
 * @param sesMessageId SES's message id ({@code mail.messageId})
 * @param timestamp    when the event happened (the type's own timestamp, else the mail's)
 * @param tags         message tags, first value of each
 * @param recipients   the recipients this event is about (bounced, complained, delayed, delivered, or the destination)
 * @param json         the whole event, kept for details and analytics
 */
public record SesEvent(String type, String sesMessageId, String timestamp, Map<String, String> tags,
                       List<String> recipients, JsonNode json) {

    public String tag(String name) {
        return tags.get(name);
    }

    /** The type-specific object, e.g. {@code bounce} for a Bounce. */
    public JsonNode detail() {
        String key = switch (type) {
            case "Rendering Failure" -> "failure";
            case "DeliveryDelay" -> "deliveryDelay";
            default -> Character.toLowerCase(type.charAt(0)) + type.substring(1);
        };
        return json.path(key);
    }
}
