package routes.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Map;
import org.springframework.stereotype.Component;
import routes.aws.DeadLetters;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Moves a subscriber's entries from the webhook DLQ back to the webhooks queue with a fresh retry
 * window (attempts 0, first attempt now). Other subscribers' entries are left in the DLQ.
 */
@Component
public class WebhookReplay {

    private static final String QUEUE = "webhooks";

    private final DeadLetters deadLetters;
    private final ObjectMapper json;
    private final Clock clock;

    public WebhookReplay(DeadLetters deadLetters, ObjectMapper json, Clock clock) {
        this.deadLetters = deadLetters;
        this.json = json;
        this.clock = clock;
    }

    /** Returns how many entries were moved back. */
    public int replay(String subscriberId) {
        return deadLetters.move(QUEUE, entry -> {
            MessageAttributeValue owner = entry.messageAttributes().get("subscriberId");
            return owner != null && subscriberId.equals(owner.stringValue());
        }, copy -> copy.messageBody(freshWindow(copy.build().messageBody())).messageAttributes(Map.of(
                WebhookFailures.ATTEMPTS, MessageAttributeValue.builder().dataType("String").stringValue("0").build())));
    }

    private String freshWindow(String deadLetter) {
        try {
            WebhookDelivery old = json.readValue(deadLetter, WebhookDelivery.class);
            return json.writeValueAsString(new WebhookDelivery(old.subscriberId(), old.url(), old.eventId(), old.payload(),
                    clock.instant().toString()));
        } catch (JsonProcessingException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }
}
