package routes.feedback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.camel.util.function.Suppliers;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import routes.ops.MailMetrics;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.Topic;

/**
 * Reads an ses-events queue message: an SNS envelope ({@code Type=Notification}, the event as the
 * {@code Message} string) from an allow-listed topic with a valid SNS signature, or, only when
 * {@code accept-raw-delivery} is on, the event itself (raw message delivery, unsigned).
 */
@Component
public class SesEventReader {

    private final ObjectMapper json;
    private final FeedbackProperties feedback;
    private final Supplier<Set<String>> allowedTopics;
    private final SnsSignatureVerifier signature;
    private final MailMetrics metrics;
    private final Clock clock;

    public SesEventReader(ObjectMapper json, FeedbackProperties feedback, AwsProperties aws, SnsClient sns,
                          SnsSignatureVerifier signature, MailMetrics metrics, Clock clock) {
        this.json = json;
        this.metrics = metrics;
        this.clock = clock;
        this.feedback = feedback;
        this.signature = signature;
        // Resolved on first use: at construction the topic may not be provisioned yet.
        this.allowedTopics = Suppliers.memorize(() -> feedback.allowedTopicArns().isEmpty()
                ? Set.of(provisionedTopicArn(sns, aws.topics().sesEvents()))
                : Set.copyOf(feedback.allowedTopicArns()));
    }

    /** The event in {@code body}; throws {@link UnprocessableEventException} with the reason when it never can be one. */
    public SesEvent read(String body) {
        JsonNode message = parse(body, "body is not JSON");
        if (message.has("Type")) {
            // A SubscriptionConfirmation stops here unread: its SubscribeURL is for an operator to judge.
            String type = message.path("Type").asText();
            if (!"Notification".equals(type)) {
                throw new UnprocessableEventException("SNS envelope of type " + type + " is not a Notification");
            }
            String topic = message.path("TopicArn").asText();
            if (!allowedTopics.get().contains(topic)) {
                throw new UnprocessableEventException("TopicArn " + topic + " is not on the allow-list");
            }
            signature.verify(message);
            message = parse(message.path("Message").asText(), "SNS Message is not JSON");
        } else if (!feedback.acceptRawDelivery()) {
            throw new UnprocessableEventException("raw delivery (no SNS envelope) is not accepted");
        }
        SesEvent event = event(message);
        metrics.feedbackEvent(event.type(), lag(event));
        return event;
    }

    /** From SES's timestamp of the event to now; zero when the event carries none SES would write. */
    private Duration lag(SesEvent event) {
        try {
            return Duration.between(Instant.parse(event.timestamp()), clock.instant());
        } catch (DateTimeParseException noTimestamp) {
            return Duration.ZERO;
        }
    }

    private SesEvent event(JsonNode message) {
        String type = message.hasNonNull("eventType") ? message.path("eventType").asText()
                : message.path("notificationType").asText(null);
        JsonNode mail = message.path("mail");
        if (type == null || !mail.hasNonNull("messageId")) {
            throw new UnprocessableEventException("not an SES event: no eventType/notificationType or mail.messageId");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        mail.path("tags").properties().forEach(tag -> tags.put(tag.getKey(),
                tag.getValue().isArray() ? tag.getValue().path(0).asText() : tag.getValue().asText()));
        SesEvent shell = new SesEvent(type, mail.path("messageId").asText(), null, tags, List.of(), message);
        JsonNode detail = shell.detail();
        String timestamp = detail.path("timestamp").asText(mail.path("timestamp").asText(""));
        return new SesEvent(type, shell.sesMessageId(), timestamp, tags, recipients(type, detail, mail), message);
    }

    /** The recipients the event names; events about the whole mail (Send, Open, Click, …) name its destination. */
    private static List<String> recipients(String type, JsonNode detail, JsonNode mail) {
        List<String> named = new ArrayList<>();
        switch (type) {
            case "Bounce" -> detail.path("bouncedRecipients").forEach(r -> named.add(r.path("emailAddress").asText()));
            case "Complaint" -> detail.path("complainedRecipients").forEach(r -> named.add(r.path("emailAddress").asText()));
            case "DeliveryDelay" -> detail.path("delayedRecipients").forEach(r -> named.add(r.path("emailAddress").asText()));
            case "Delivery" -> detail.path("recipients").forEach(r -> named.add(r.asText()));
            default -> { }
        }
        if (named.isEmpty()) {
            mail.path("destination").forEach(r -> named.add(r.asText()));
        }
        return named;
    }

    private JsonNode parse(String text, String reason) {
        try {
            JsonNode node = json.readTree(text);
            if (node == null || !node.isObject()) {
                throw new UnprocessableEventException(reason);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new UnprocessableEventException(reason + ": " + e.getOriginalMessage());
        }
    }

    private static String provisionedTopicArn(SnsClient sns, String name) {
        return sns.listTopicsPaginator(b -> { }).topics().stream().map(Topic::topicArn)
                .filter(arn -> arn.endsWith(":" + name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("SNS topic " + name
                        + " not found; set mailroutes.feedback.allowed-topic-arns"));
    }
}
