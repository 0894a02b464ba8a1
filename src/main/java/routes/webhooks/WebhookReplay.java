package routes.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Moves a subscriber's entries from the webhook DLQ back to the webhooks queue with a fresh retry
 * window (attempts 0, first attempt now). Other subscribers' entries are left in the DLQ.
 */
@Component
public class WebhookReplay {

    private final SqsClient sqs;
    private final ObjectMapper json;
    private final Clock clock;
    private final String deadLetters;
    private final String retries;

    public WebhookReplay(SqsClient sqs, AwsProperties aws, ObjectMapper json, Clock clock) {
        this.sqs = sqs;
        this.json = json;
        this.clock = clock;
        this.deadLetters = AwsProperties.deadLetterQueue(aws.queues().webhooks());
        this.retries = aws.queues().webhooks();
    }

    /** Returns how many entries were moved back. */
    public int replay(String subscriberId) throws JsonProcessingException {
        String dlqUrl = sqs.getQueueUrl(b -> b.queueName(deadLetters)).queueUrl();
        String queueUrl = sqs.getQueueUrl(b -> b.queueName(retries)).queueUrl();
        List<String> othersSeen = new ArrayList<>();
        int moved = 0;
        List<Message> batch;
        do {
            // Received entries stay invisible until released below, so the loop sees each entry once.
            batch = sqs.receiveMessage(b -> b.queueUrl(dlqUrl).maxNumberOfMessages(10).visibilityTimeout(60)
                    .messageAttributeNames("All")).messages();
            for (Message entry : batch) {
                MessageAttributeValue owner = entry.messageAttributes().get("subscriberId");
                if (owner != null && subscriberId.equals(owner.stringValue())) {
                    WebhookDelivery old = json.readValue(entry.body(), WebhookDelivery.class);
                    String fresh = json.writeValueAsString(new WebhookDelivery(old.subscriberId(), old.url(),
                            old.eventId(), old.payload(), clock.instant().toString()));
                    sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(fresh).messageAttributes(Map.of(
                            WebhookFailures.ATTEMPTS, MessageAttributeValue.builder().dataType("String").stringValue("0").build())));
                    sqs.deleteMessage(b -> b.queueUrl(dlqUrl).receiptHandle(entry.receiptHandle()));
                    moved++;
                } else {
                    othersSeen.add(entry.receiptHandle());
                }
            }
        } while (!batch.isEmpty());
        othersSeen.forEach(handle -> sqs.changeMessageVisibility(b -> b.queueUrl(dlqUrl).receiptHandle(handle).visibilityTimeout(0)));
        return moved;
    }
}
